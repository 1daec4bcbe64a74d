package dev.softkey.cli;

import dev.softkey.control.CtapTap;
import dev.softkey.control.Hosted;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.presence.SteerablePresence;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A device the control API steers, as the CLI opens it ({@code serve --control} and the API's
 * {@link CliAuthenticatorHost}): the engine's presence is a {@link SteerablePresence} whose
 * fallback is the {@code --presence} policy, and the control chain goes
 * (a fault plan and the tap) between the engine and every transport, through {@link DeviceFactory}'s
 * per-device chain. The one place that knows how a {@link Hosted} is made and copied.
 *
 * @param device the opened device (its {@code authenticator()} is the chain's head)
 * @param hosted what the control API registers, without an endpoint until a transport serves it
 * @param presence the engine's presence, which the API's presence route steers
 * @param faults the fault plan between the tap and the engine
 */
record SteeredDevice(DeviceFactory.Device device, Hosted hosted, SteerablePresence presence, FaultPlan faults) {
  SteeredDevice {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(hosted, "hosted");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(faults, "faults");
  }

  /**
   * Opens a device of {@code o} through {@code opener} (the factory's or the root command's open
   * with a builder adjustment and a chain).
   *
   * @param transport the WebDriver transport the API reports (usb for CTAPHID)
   * @param customize further builder adjustments (a simulated finger), after the presence
   */
  static SteeredDevice open(Opener opener, DeviceFactory.DeviceOptions o, String transport,
      UnaryOperator<AuthenticatorBuilder> customize) {
    SteerablePresence presence = new SteerablePresence(o.userPresence());
    AtomicReference<Hosted> chain = new AtomicReference<>();
    AtomicReference<FaultPlan> faults = new AtomicReference<>();
    DeviceFactory.Device d = opener.open(o, b -> customize.apply(b.presence(presence)), engine -> {
      // transports -> tap -> fault plan -> engine: the tap sees what the client sent and got
      FaultPlan plan = new FaultPlan(engine);
      CtapTap tap = new CtapTap(plan);
      faults.set(plan);
      chain.set(new Hosted(engine, tap, tap, transport, Optional.empty(), () -> {}, Optional.empty()));
      return tap;
    });
    Hosted h = chain.get();
    Hosted withCa = new Hosted(h.engine(), h.device(), h.tap(), h.transport(), h.endpoint(), h.resources(), d.ca());
    return new SteeredDevice(d, withCa, presence, faults.get());
  }

  /** The same device served at {@code endpoint}; {@code resources} close when the API removes it. */
  SteeredDevice served(Optional<String> endpoint, AutoCloseable resources) {
    Hosted h = hosted;
    return new SteeredDevice(device,
        new Hosted(h.engine(), h.device(), h.tap(), h.transport(), endpoint, resources, h.attestationCa()), presence, faults);
  }

  /** {@link DeviceFactory#open(DeviceFactory.DeviceOptions, UnaryOperator, java.util.function.Function)} or a wrapper of it. */
  @FunctionalInterface
  interface Opener {
    DeviceFactory.Device open(DeviceFactory.DeviceOptions o, UnaryOperator<AuthenticatorBuilder> customize,
        java.util.function.Function<dev.softkey.core.Authenticator, dev.softkey.core.CtapDevice> chain);
  }
}
