package dev.softkey.core.presence;

import dev.softkey.core.OperationContext;

/** Built-in user verification (a fingerprint on a "Bio" model). */
public interface UserVerifier {
  enum Result {
    /** The user was verified (implies presence). */
    VERIFIED,
    /** A wrong finger: counts against the UV retries. */
    MISMATCH,
    TIMEOUT,
    CANCELLED
  }

  Result verify(UserRequest request, OperationContext ctx);
}
