package dev.softkey.cli;

import dev.softkey.control.AuthenticatorHost;
import dev.softkey.control.AuthenticatorSpec;
import dev.softkey.control.Hosted;
import dev.softkey.control.InProcessHost;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.profile.Profile;
import dev.softkey.usb.backend.HidDeviceBackend;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.backend.UhidBackend;
import dev.softkey.usb.ctaphid.CtapHidDevice;
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
    HidDeviceBackend backend;
    String endpoint;
    String[] parts = serve.split(":", -1);
    if (serve.equals("uhid")) {
      backend = new UhidBackend(s.device().authenticator().orElseThrow().profile().usb());
      endpoint = "uhid";
    } else if (parts[0].equals("udp") && (parts.length == 2 || parts.length == 3)) {
      int port = port(parts[1]);
      int reply = parts.length == 3 ? port(parts[2]) : UdpBackend.DEFAULT_HOST_PORT;
      backend = UdpBackend.onLoopback(port, reply);
      endpoint = "udp://127.0.0.1:" + port + (parts.length == 3 ? "?reply=" + reply : "");
    } else {
      s.device().close();
      throw new IllegalArgumentException("softkey:serve must be udp:PORT, udp:PORT:REPLYPORT or uhid, not " + serve);
    }
    CtapHidDevice hid;
    try {
      hid = CtapHidDevice.builder(s.device().authenticator().orElseThrow()).start(backend);
    } catch (RuntimeException e) {
      backend.close();
      s.device().close();
      throw e;
    }
    AutoCloseable resources = () -> {
      hid.close();
      backend.close();
      s.device().close();
    };
    return s.served(Optional.of(endpoint), resources);
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("softkey:serve: port " + s + " is not 1..65535");
  }
}
