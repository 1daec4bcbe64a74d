package dev.softkey.core.presence;

import dev.softkey.core.OperationContext;

/**
 * The "touch" of a security key. Implementations may block (a console prompt, a delay) but must
 * send keepalives through the context at least every 100 ms and return {@link Result#CANCELLED}
 * promptly once the context is cancelled.
 */
public interface UserPresence {
  enum Result {
    APPROVED,
    DENIED,
    TIMEOUT,
    CANCELLED
  }

  Result requestPresence(UserRequest request, OperationContext ctx);
}
