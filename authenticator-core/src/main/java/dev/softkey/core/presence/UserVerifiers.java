package dev.softkey.core.presence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Ready-made simulated fingerprints for {@link UserVerifier}: the user's finger on the sensor of an
 * emulated key with one pre-enrolled template.
 */
public final class UserVerifiers {
  private UserVerifiers() {}

  /** The enrolled finger, every time (CI). */
  public static UserVerifier verified() {
    return (r, ctx) -> UserVerifier.Result.VERIFIED;
  }

  /** Another finger, every time: each attempt fails and costs a UV retry. */
  public static UserVerifier mismatch() {
    return (r, ctx) -> UserVerifier.Result.MISMATCH;
  }

  /**
   * The same simulated user as a presence policy: each attempt asks {@code presence} (so delays,
   * keepalives, prompts and cancellation behave as for a touch) and maps its answer: APPROVED is the
   * enrolled finger (VERIFIED), DENIED another finger (MISMATCH), TIMEOUT no finger (TIMEOUT),
   * CANCELLED stays CANCELLED. This is what {@code AuthenticatorBuilder} wires for profiles with
   * built-in UV when no verifier is given, so {@code --presence approve|deny} decides both.
   */
  public static UserVerifier following(UserPresence presence) {
    return (r, ctx) ->
        switch (presence.requestPresence(r, ctx)) {
          case APPROVED -> UserVerifier.Result.VERIFIED;
          case DENIED -> UserVerifier.Result.MISMATCH;
          case TIMEOUT -> UserVerifier.Result.TIMEOUT;
          case CANCELLED -> UserVerifier.Result.CANCELLED;
        };
  }

  /** Answers the given results in order, one per attempt; after the last one, repeats it. */
  public static UserVerifier scripted(List<UserVerifier.Result> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("a script needs at least one result");
    }
    Deque<UserVerifier.Result> queue = new ArrayDeque<>(results);
    return (r, ctx) -> {
      synchronized (queue) {
        return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
      }
    };
  }

  /** {@code mismatches} attempts with another finger, then the enrolled one from then on. */
  public static UserVerifier mismatchThenVerified(int mismatches) {
    if (mismatches < 0) {
      throw new IllegalArgumentException("mismatches must not be negative");
    }
    List<UserVerifier.Result> script = new ArrayList<>(Collections.nCopies(mismatches, UserVerifier.Result.MISMATCH));
    script.add(UserVerifier.Result.VERIFIED);
    return scripted(script);
  }
}
