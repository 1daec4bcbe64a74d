package dev.softkey.core.presence;

import dev.softkey.core.OperationContext;
import dev.softkey.core.OperationContext.KeepaliveStatus;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Ready-made presence policies, and the one mapping from a presence result to a CTAP status. */
public final class Presence {
  private Presence() {}

  /** Always touches at once (CI). */
  public static UserPresence approve() {
    return (r, ctx) -> UserPresence.Result.APPROVED;
  }

  /** Always refuses (the user pressed "no" or never touched). */
  public static UserPresence deny() {
    return (r, ctx) -> UserPresence.Result.DENIED;
  }

  /** Waits {@code delay}, sending UP_NEEDED keepalives every 100 ms, then answers {@code then}. */
  public static UserPresence delayed(Duration delay, UserPresence then) {
    return (r, ctx) -> {
      UserPresence.Result waited = waitFor(delay, ctx);
      return waited != null ? waited : then.requestPresence(r, ctx);
    };
  }

  /** Never touches: waits {@code timeout} with keepalives and then answers TIMEOUT. */
  public static UserPresence timeout(Duration timeout) {
    return (r, ctx) -> {
      UserPresence.Result waited = waitFor(timeout, ctx);
      return waited != null ? waited : UserPresence.Result.TIMEOUT;
    };
  }

  /** Answers the given results in order; after the last one, repeats it. */
  public static UserPresence scripted(List<UserPresence.Result> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("a script needs at least one result");
    }
    Deque<UserPresence.Result> queue = new ArrayDeque<>(results);
    return (r, ctx) -> {
      synchronized (queue) {
        return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
      }
    };
  }

  /** Returns CANCELLED if cancelled while waiting, otherwise null after the full wait. */
  static UserPresence.Result waitFor(Duration d, OperationContext ctx) {
    long end = System.nanoTime() + d.toNanos();
    while (true) {
      if (ctx.isCancelled()) {
        return UserPresence.Result.CANCELLED;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      ctx.keepalive(KeepaliveStatus.UP_NEEDED);
      try {
        Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return UserPresence.Result.CANCELLED;
      }
    }
  }

  /** CTAP status for a presence result that is not APPROVED (OpenSK's mapping). */
  public static CtapStatus statusOf(UserPresence.Result r) {
    return switch (r) {
      case APPROVED -> CtapStatus.CTAP2_OK;
      case DENIED -> CtapStatus.CTAP2_ERR_OPERATION_DENIED;
      case TIMEOUT -> CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT;
      case CANCELLED -> CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL;
    };
  }

  /** Asks for presence and throws the mapped status unless approved. */
  public static void require(UserPresence up, UserRequest request, OperationContext ctx) {
    UserPresence.Result r = up.requestPresence(request, ctx);
    if (r != UserPresence.Result.APPROVED) {
      throw new CtapException(statusOf(r));
    }
  }
}
