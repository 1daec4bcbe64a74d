package dev.softkey.cli;

import dev.softkey.control.AuthenticatorHost;
import dev.softkey.control.AuthenticatorSpec;
import dev.softkey.control.Hosted;
import dev.softkey.control.InProcessHost;
import dev.softkey.control.ServeTarget;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.profile.Profile;
import java.util.Optional;

/**
 * The {@link AuthenticatorHost} of {@code softkey serve --control}: an authenticator that {@code
 * POST /softkey/v1/webauthn/authenticator} adds is opened by the CLI's {@link DeviceFactory} like
 * any other device (an in-memory store, the installation's attestation CA of {@code --ca}, so that
 * {@code softkey ca export} gives the root an RP trusts for it too), steered through {@link
 * SteeredDevice}, and with {@code softkey:serve} also served over CTAPHID: {@code udp:PORT} (reply
 * port 7112) or {@code udp:PORT:REPLYPORT} on loopback, or {@code uhid} (a Linux HID device).
 *
 * <p>The WebDriver options map onto the built-in profile {@code softkey:profile}: {@code
 * hasResidentKey} is getInfo rk; {@code hasUserVerification} gives a profile without built-in UV a
 * fingerprint sensor (and takes it from one that has it); {@code isUserVerified} is whether the
 * finger on it is the enrolled one; {@code isUserConsenting} is the presence fallback (approve or
 * deny); {@code defaultBackupEligibility}/{@code defaultBackupState} are the profile's BE/BS flags.
 * A non-empty {@code extensions} keeps only those of the profile's extensions. The mapping is
 * {@link InProcessHost#profile}'s, shared by both hosts.
 */
final class CliAuthenticatorHost implements AuthenticatorHost {
  private final DeviceFactory factory;
  private final DeviceFactory.DeviceOptions base;

  /** {@code base}: the global options of the serve command (CA directory, profile, seed). */
  CliAuthenticatorHost(DeviceFactory factory, DeviceFactory.DeviceOptions base) {
    this.factory = factory;
    this.base = base.inMemory();
  }

  @Override
  public Hosted start(AuthenticatorSpec spec) throws Exception {
    Profile profile = InProcessHost.profile(spec);
    DeviceFactory.DeviceOptions o = base.withProfile(spec.profileId())
        .withSeed(spec.seed())
        .withPresence(spec.isUserConsenting() ? "approve" : "deny");
    boolean builtInUv = profile.getInfo().options().builtInUv();
    SteeredDevice steered = SteeredDevice.open(factory::open, o, spec.transport(), b -> {
      b.profile(profile);
      if (builtInUv) {
        b.finger(spec.isUserVerified() ? Fingers.enrolled() : Fingers.unknown());
      }
      return b;
    });
    if (spec.serve().isEmpty()) {
      return steered.served(Optional.empty(), steered.device()).hosted();
    }
    return serve(steered, spec.serve().get()).hosted();
  }

  private static SteeredDevice serve(SteeredDevice s, String serve) throws Exception {
    ServeTarget target;
    AutoCloseable hid;
    try {
      target = ServeTarget.parse(serve);
      hid = target.start(s.device().authenticator().orElseThrow());
    } catch (RuntimeException e) {
      s.device().close();
      throw e;
    }
    String endpoint = target.uhid()
        ? "uhid"
        : "udp://127.0.0.1:" + target.port() + (target.explicitReply() ? "?reply=" + target.replyPort() : "");
    DeviceFactory.Device device = s.device();
    AutoCloseable resources = () -> {
      try (device; hid) {
        // CTAPHID and its back-end stop first, then the device
      }
    };
    return s.served(Optional.of(endpoint), resources);
  }
}
