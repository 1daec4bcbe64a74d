package dev.softkey.core.ctap2;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.SignCounter;
import dev.softkey.core.store.StoredCredential;
import java.util.Optional;

/**
 * The profile's signature counter policy (WebAuthn L3 section 6.1.1, {@link SignCounter}):
 * per-credential (each credential counts its own assertions), global (one counter for the device,
 * as many real keys do) or zero (always 0, as synced passkey providers do).
 */
public final class SignCounters {
  private SignCounters() {}

  /** The counter reported in makeCredential. */
  public static long initial(AuthenticatorEnv env) {
    return switch (env.profile().credentials().signCounter()) {
      case GLOBAL -> env.keys().nextGlobalCounter();
      case PER_CREDENTIAL, ZERO -> 0;
    };
  }

  /** Advances and returns the counter for an assertion; updates a stored credential's record. */
  public static long next(AuthenticatorEnv env, Bytes credentialId, Optional<StoredCredential> stored) {
    return switch (env.profile().credentials().signCounter()) {
      case ZERO -> 0;
      case GLOBAL -> env.keys().nextGlobalCounter();
      case PER_CREDENTIAL -> {
        if (stored.isPresent()) {
          long n = (stored.get().signCount() + 1) & 0xFFFFFFFFL;
          env.credentials().update(stored.get().withSignCount(n));
          yield n;
        }
        yield env.keys().nextCredentialCounter(credentialId);
      }
    };
  }
}
