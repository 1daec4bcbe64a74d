package dev.softkey.load.gatling;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
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
 * <p>Immutable and thread-safe; share one between all virtual users of a simulation.
 */
public final class PasskeyUsers {
  private final Profile profile;
  private final long runSeed;
  private final Optional<String> pin;
  private final boolean keepAttestation;
  private final BiFunction<Long, Long, String> usernames;
  private final AttestationCa ca;

  private PasskeyUsers(Profile profile, long runSeed, Optional<String> pin, boolean keepAttestation, BiFunction<Long, Long, String> usernames, AttestationCa ca) {
    this.profile = profile;
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
    return new PasskeyUsers(
        Objects.requireNonNull(profile, "profile"),
        runSeed,
        Optional.empty(),
        false,
        (run, i) -> "user-" + run + "-" + i,
        AttestationCa.seeded(new MemoryStore(), runSeed, Clock.systemUTC()));
  }

  /**
   * Every key gets this PIN (setPIN over CTAP when the key is built) and uses it when the RP or the
   * profile asks for user verification. The PIN is never logged nor shown by {@link #toString()}.
   */
  public PasskeyUsers withPin(String p) {
    return new PasskeyUsers(profile, runSeed, Optional.of(Objects.requireNonNull(p, "pin")), keepAttestation, usernames, ca);
  }

  /**
   * Keep the attestation statement whatever the RP's attestation preference ({@link
   * VirtualKey.Builder#keepAttestation}); default: as browsers do.
   */
  public PasskeyUsers withKeepAttestation(boolean keep) {
    return new PasskeyUsers(profile, runSeed, pin, keep, usernames, ca);
  }

  /** User names from (run seed, user index); default {@code user-<runSeed>-<index>}. */
  public PasskeyUsers withUsernames(BiFunction<Long, Long, String> names) {
    return new PasskeyUsers(profile, runSeed, pin, keepAttestation, Objects.requireNonNull(names, "usernames"), ca);
  }

  /** The user name of user {@code index}. */
  public String username(long index) {
    return usernames.apply(runSeed, index);
  }

  /** A new key for user {@code index}: the same on every machine for the same run seed and index. */
  public VirtualKey key(long index) {
    VirtualKey.Builder b =
        VirtualKey.builder().profile(profile).seed(VirtualKey.userSeed(runSeed, index)).attestationCa(ca).keepAttestation(keepAttestation);
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

  public Profile profile() {
    return profile;
  }

  public long runSeed() {
    return runSeed;
  }

  @Override
  public String toString() {
    return "PasskeyUsers[" + profile.id() + ", run seed " + runSeed + (pin.isPresent() ? ", PIN set" : "") + "]";
  }
}
