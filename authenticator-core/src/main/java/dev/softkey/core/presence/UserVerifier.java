package dev.softkey.core.presence;

import dev.softkey.core.OperationContext;

/**
 * Built-in user verification: the fingerprint sensor of a "Bio" model (getInfo uvModality
 * USER_VERIFY_FINGERPRINT_INTERNAL). softkey has no authenticatorBioEnrollment yet, so the emulated
 * sensor holds one pre-enrolled template; a verifier answers whether the finger presented for one
 * attempt matched it. ClientPin counts the attempts against uvRetries (CTAP 2.1 section 6.5.2.3)
 * and turns the results into each command's status codes.
 *
 * <p>Implementations may block (a console prompt, a delay) but must send keepalives through the
 * context at least every 100 ms and return {@link Result#CANCELLED} promptly once the context is
 * cancelled. Ready-made ones are in {@link UserVerifiers}.
 */
public interface UserVerifier {
  enum Result {
    /** The finger matched the enrolled template: the user is verified (and was present). */
    VERIFIED,
    /** Another finger: one failed attempt, counted against uvRetries. */
    MISMATCH,
    /** No finger within the time the sensor waits (a user action timeout). */
    TIMEOUT,
    /** The platform cancelled the request while the sensor waited. */
    CANCELLED
  }

  /** One built-in user verification attempt. */
  Result verify(UserRequest request, OperationContext ctx);
}
