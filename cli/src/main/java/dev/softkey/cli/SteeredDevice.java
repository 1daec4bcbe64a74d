package dev.softkey.cli;

import dev.softkey.control.ControlServer;
import dev.softkey.control.Hosted;
import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.presence.SteerablePresence;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A device the control API steers, as the CLI opens it ({@code serve --control} and the API's
 * {@link CliAuthenticatorHost}): the engine's presence is a {@link SteerablePresence} whose
 * fallback is the {@code --presence} policy, and {@link ControlServer#wrap} puts the control chain
 * (the tap over the fault plan) between the engine and every transport, through {@link
 * DeviceFactory}'s per-device chain. The one place that knows how a {@link Hosted} is made and
 * copied.
 *
 * @param device the opened device (its {@code authenticator()} is the chain's head)
 * @param hosted what the control API registers, without an endpoint until a transport serves it
 */
record SteeredDevice(DeviceFactory.Device device, Hosted hosted) {
  SteeredDevice {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(hosted, "hosted");
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
    DeviceFactory.Device d = opener.open(o, b -> customize.apply(b.presence(presence)), engine -> {
      Hosted h = ControlServer.wrap(engine, presence, transport, Optional.empty(), () -> {});
      chain.set(h);
      return h.device();
    });
    return new SteeredDevice(d, copy(chain.get(), Optional.empty(), () -> {}, d.ca()));
  }

  /** The same device served at {@code endpoint}; {@code resources} close when the API removes it. */
  SteeredDevice served(Optional<String> endpoint, AutoCloseable resources) {
    return new SteeredDevice(device, copy(hosted, endpoint, resources, hosted.attestationCa()));
  }

  private static Hosted copy(Hosted h, Optional<String> endpoint, AutoCloseable resources, Optional<AttestationCa> ca) {
    return new Hosted(h.engine(), h.device(), h.faults(), h.presence(), h.tap(), h.transport(), endpoint, resources, ca);
  }

  /** {@link DeviceFactory#open(DeviceFactory.DeviceOptions, UnaryOperator, Function)} or a wrapper of it. */
  @FunctionalInterface
  interface Opener {
    DeviceFactory.Device open(DeviceFactory.DeviceOptions o, UnaryOperator<AuthenticatorBuilder> customize,
        Function<Authenticator, CtapDevice> chain);
  }
}
