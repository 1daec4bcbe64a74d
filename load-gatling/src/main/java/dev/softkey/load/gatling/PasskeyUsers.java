package dev.softkey.load.gatling;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.SignCounter;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.testkit.VirtualKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The virtual users of a load test: which softkey profile their keys present, the run seed their
 * keys derive from, an optional PIN, and how a user's index becomes a user name. User {@code i}'s
 * key is seeded with {@link VirtualKey#userSeed(long, long) VirtualKey.userSeed(runSeed, i)}, so
 * the same user built on another injector is the same key: it opens the non-discoverable
 * credentials the first one registered and signs in with them, with no state shared between the
 * machines.
 *
 * <p>Every key of one {@code PasskeyUsers} attests under one CA derived from the run seed (not one
 * per user, which would cost a root, an intermediate and a batch certificate per key): an RP trusts
 * {@link #attestationRoot()}, the same on every injector of the run.
 *
 * <p>Signature counters: a counter lives in the memory of one key, so a key rebuilt from the seed
 * (on another injector, or for the next scenario) starts again from zero, and an RP that checks
 * that the counter grows (Yubico's java-webauthn-server does by default) refuses its sign-in. The
 * keys therefore report a counter of 0, as synced passkey providers do (WebAuthn L3 section 6.1.1:
 * an RP does not check a counter that stays 0). {@link #withProfileSignCounter()} keeps the
 * profile's own counter, for runs where one key object registers and then signs in.
 *
 * <p>Immutable and thread-safe; share one between all virtual users of a simulation.
 */
public final class PasskeyUsers {
  private final Profile profile;
  private final Profile keyProfile;
  private final long runSeed;
  private final Optional<String> pin;
  private final boolean keepAttestation;
  private final BiFunction<Long, Long, String> usernames;
  private final AttestationCa ca;

  private PasskeyUsers(Profile profile, Profile keyProfile, long runSeed, Optional<String> pin, boolean keepAttestation, BiFunction<Long, Long, String> usernames, AttestationCa ca) {
    this.profile = profile;
    this.keyProfile = keyProfile;
    this.runSeed = runSeed;
    this.pin = pin;
    this.keepAttestation = keepAttestation;
    this.usernames = usernames;
    this.ca = ca;
  }

  /**
   * Users whose keys present {@code profileIdOrPath} (a built-in profile id such as {@code generic}
   * or {@code yubikey-5}, as {@code softkey profiles} lists them, or a profile file), derived from
   * {@code runSeed}; user {@code i} is named {@code user-<runSeed>-<i>}.
   *
   * @throws dev.softkey.core.profile.InvalidProfileException for an unknown id or a bad file
   */
  public static PasskeyUsers of(String profileIdOrPath, long runSeed) {
    return of(Profiles.load(Objects.requireNonNull(profileIdOrPath, "profile")), runSeed);
  }

  /** {@link #of(String, long)} with a profile object. */
  public static PasskeyUsers of(Profile profile, long runSeed) {
    Objects.requireNonNull(profile, "profile");
    return new PasskeyUsers(
        profile,
        profile.credentials().signCounter() == SignCounter.ZERO ? profile : profile.toBuilder().signCounter(SignCounter.ZERO).build(),
        runSeed,
        Optional.empty(),
        false,
        (run, i) -> "user-" + run + "-" + i,
        AttestationCa.seeded(new MemoryStore(), runSeed, Clock.systemUTC()));
  }

  /**
   * Keys with the profile's own signature counter (global or per credential): only for runs where
   * the key that registered is the one that signs in (the counter is in its memory).
   */
  public PasskeyUsers withProfileSignCounter() {
    return new PasskeyUsers(profile, profile, runSeed, pin, keepAttestation, usernames, ca);
  }

  /**
   * Every key gets this PIN (setPIN over CTAP when the key is built) and uses it when the RP or the
   * profile asks for user verification. The PIN is never logged nor shown by {@link #toString()}.
   */
  public PasskeyUsers withPin(String p) {
    return new PasskeyUsers(profile, keyProfile, runSeed, Optional.of(Objects.requireNonNull(p, "pin")), keepAttestation, usernames, ca);
  }

  /**
   * Keep the attestation statement whatever the RP's attestation preference ({@link
   * VirtualKey.Builder#keepAttestation}); default: as browsers do.
   */
  public PasskeyUsers withKeepAttestation(boolean keep) {
    return new PasskeyUsers(profile, keyProfile, runSeed, pin, keep, usernames, ca);
  }

  /** User names from (run seed, user index); default {@code user-<runSeed>-<index>}. */
  public PasskeyUsers withUsernames(BiFunction<Long, Long, String> names) {
    return new PasskeyUsers(profile, keyProfile, runSeed, pin, keepAttestation, Objects.requireNonNull(names, "usernames"), ca);
  }

  /** The user name of user {@code index}. */
  public String username(long index) {
    return usernames.apply(runSeed, index);
  }

  /** A new key for user {@code index}: the same on every machine for the same run seed and index. */
  public VirtualKey key(long index) {
    VirtualKey.Builder b =
        VirtualKey.builder().profile(keyProfile).seed(VirtualKey.userSeed(runSeed, index)).attestationCa(ca).keepAttestation(keepAttestation);
    pin.ifPresent(b::pin);
    return b.build();
  }

  /**
   * A Gatling feeder of the user indexes {@code first} to {@code first + count - 1}, each record
   * {@code {Passkeys.USER_INDEX: i}}: give each injector its own range (first = injector number *
   * count) and the sign-in scenario the range the registration had.
   */
  public static Iterator<Map<String, Object>> feeder(long first, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next < first + count;
      }

      @Override
      public Map<String, Object> next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the feeder's " + count + " users are used up");
        }
        return Map.of(Passkeys.USER_INDEX, next++);
      }
    };
  }

  /** The root every key of these users attests under (one per run seed). */
  public X509Certificate attestationRoot() {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(ca.rootCertificate().toArray()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("softkey's root certificate does not parse", e);
    }
  }

  /** The profile as given (the keys' own differs only in the signature counter, see above). */
  public Profile profile() {
    return profile;
  }

  /** The profile the keys are built from. */
  public Profile keyProfile() {
    return keyProfile;
  }

  public long runSeed() {
    return runSeed;
  }

  @Override
  public String toString() {
    return "PasskeyUsers[" + profile.id() + ", run seed " + runSeed + (pin.isPresent() ? ", PIN set" : "") + "]";
  }
}
