package dev.softkey.core;

import dev.softkey.core.profile.Profile;
import java.util.Objects;

/**
 * A {@link CtapDevice} that hands every call to another one. Decorators (a fault plan that injects
 * errors, delays or dropped responses) extend it and override what they change; whatever they do
 * not override reaches the delegate unchanged.
 */
public abstract class ForwardingCtapDevice implements CtapDevice {
  private final CtapDevice delegate;

  protected ForwardingCtapDevice(CtapDevice delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The device this one forwards to. */
  protected final CtapDevice delegate() {
    return delegate;
  }

  @Override
  public byte[] process(byte[] request, OperationContext ctx) {
    return delegate.process(request, ctx);
  }

  @Override
  public byte[] processU2f(byte[] apdu, OperationContext ctx) {
    return delegate.processU2f(apdu, ctx);
  }

  @Override
  public void powerCycle() {
    delegate.powerCycle();
  }

  @Override
  public Profile profile() {
    return delegate.profile();
  }
}
