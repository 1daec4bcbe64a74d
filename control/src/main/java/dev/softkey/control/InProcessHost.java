package dev.softkey.control;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.SteerablePresence;
import dev.softkey.core.profile.InvalidProfileException;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link AuthenticatorHost}: each authenticator is a new engine on an in-memory store,
 * with its own attestation CA (seeded from {@code softkey:seed} when given, so keys, credential IDs
 * and the attestation root repeat; else secure randomness and a fresh in-memory CA).
 *
 * <p>The WebDriver options map onto the built-in profile ({@code softkey:profile}) like this:
 *
 * <ul>
 *   <li>{@code hasResidentKey}: getInfo option rk of the profile (false: the key refuses rk as a
 *       U2F-era key does);
 *   <li>{@code hasUserVerification}: built-in user verification. true gives a profile without it
 *       a fingerprint sensor with one enrolled template (getInfo uv, as a Bio model); false takes
 *       it away from a Bio profile. clientPIN stays: a PIN is another way to verify the user;
 *   <li>{@code isUserVerified}: the verdict of built-in UV ({@code DeviceControl.setUserVerified}:
 *       false fails as an unknown finger);
 *   <li>{@code isUserConsenting}: the fallback of the {@link SteerablePresence}, approve (true) or
 *       deny (false), which {@code .../presence} answers override;
 *   <li>{@code defaultBackupEligibility}/{@code defaultBackupState}: the profile's credential
 *       flags BE and BS for new credentials;
 *   <li>{@code extensions}: when not empty, the profile's extensions cut down to those listed
 *       (WebAuthn names such as largeBlob and prf map to largeBlobKey and hmac-secret); one the
 *       profile lacks is refused.
 * </ul>
 *
 * <p>{@code softkey:serve} {@code udp:PORT} (or {@code udp:PORT:REPLYPORT}, default reply port
 * 7112) also serves the authenticator as CTAPHID over UDP on loopback (the SoloKeys simulator
 * convention), at endpoint {@code udp://127.0.0.1:PORT}.
 */
public final class InProcessHost implements AuthenticatorHost {
  private static final Map<String, String> WEBAUTHN_EXTENSION_NAMES =
      Map.of("largeBlob", "largeBlobKey", "prf", "hmac-secret", "credentialProtectionPolicy", "credProtect", "hmacCreateSecret",
          "hmac-secret", "getCredBlob", "credBlob");

  @Override
  public Hosted start(AuthenticatorSpec spec) throws Exception {
    Profile profile = profile(spec);
    MemoryStore store = new MemoryStore();
    SteerablePresence presence = new SteerablePresence(spec.isUserConsenting() ? Presence.approve() : Presence.deny());
    AuthenticatorBuilder b = Authenticator.builder().profile(profile).store(store).presence(presence);
    AttestationCa ca;
    if (spec.seed().isPresent()) {
      b.seed(spec.seed().getAsLong());
      ca = AttestationCa.seeded(new MemoryStore(), spec.seed().getAsLong(), Clock.systemUTC());
    } else {
      ca = AttestationCa.inMemory();
    }
    b.attestationCa(ca);
    Authenticator engine = b.build();
    if (profile.getInfo().options().builtInUv()) {
      engine.control().setUserVerified(spec.isUserVerified());
    }
    Hosted bare = ControlServer.wrap(engine, presence, spec.transport(), Optional.empty(), () -> {}, Optional.of(ca));
    if (spec.serve().isEmpty()) {
      return bare;
    }
    return serve(bare, spec.serve().get());
  }

  private static Hosted serve(Hosted h, String serve) {
    ServeTarget target = ServeTarget.parse(serve);
    if (target.uhid()) {
      throw new IllegalArgumentException("softkey:serve uhid needs softkey serve's host; here: udp:PORT or udp:PORT:REPLYPORT");
    }
    AutoCloseable resources = target.start(h.device());
    return new Hosted(h.engine(), h.device(), h.faults(), h.presence(), h.tap(), h.transport(), Optional.of("udp://127.0.0.1:" + target.port()), resources,
        h.attestationCa());
  }

  /**
   * The built-in profile adjusted to the WebDriver options (see the class comment); every host
   * (the CLI's too) maps them here, so an authenticator means the same whoever hosts it.
   * IllegalArgumentException: no such profile, or options it cannot take.
   */
  public static Profile profile(AuthenticatorSpec spec) {
    Profile base = Profiles.builtIn(spec.profileId())
        .orElseThrow(() -> new IllegalArgumentException("no built-in profile " + spec.profileId() + " (softkey profiles lists them)"));
    Profile.Builder b = base.toBuilder().rk(spec.hasResidentKey());
    boolean builtInUv = base.getInfo().options().builtInUv();
    if (spec.hasUserVerification() && !builtInUv) {
      b.builtInUv(true).fingerprint(Optional.of(Profile.Fingerprint.DEFAULT));
    } else if (!spec.hasUserVerification() && builtInUv) {
      b.builtInUv(false).fingerprint(Optional.empty()).bioEnrollment(true);
    }
    b.backupEligible(spec.defaultBackupEligibility()).backupState(spec.defaultBackupState());
    if (!spec.extensions().isEmpty()) {
      List<String> kept = new ArrayList<>();
      for (String e : spec.extensions()) {
        String ctap = WEBAUTHN_EXTENSION_NAMES.getOrDefault(e, e);
        if (!base.extensions().has(ctap)) {
          throw new IllegalArgumentException("extension " + e + " is not one of profile " + base.id() + "'s");
        }
        if (!kept.contains(ctap)) {
          kept.add(ctap);
        }
      }
      b.extensionIdentifiers(kept);
      if (!kept.contains("largeBlobKey")) {
        b.largeBlobs(Optional.empty());
      }
    }
    try {
      return b.build().validate();
    } catch (InvalidProfileException e) {
      throw new IllegalArgumentException("the options do not fit profile " + base.id() + ": " + e.getMessage(), e);
    }
  }

}
