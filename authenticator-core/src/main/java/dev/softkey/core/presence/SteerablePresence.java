package dev.softkey.core.presence;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user presence whose answers a test or an operator steers at run time (the control API's
 * {@code POST .../presence}, WebDriver's isUserConsenting): a queue of answers consumed one per
 * request, then a default answer, then the fallback policy it was built with. An answer may wait
 * first, sending UP_NEEDED keepalives and honouring a cancel meanwhile, as a user who takes a while
 * to touch. Thread-safe: answers are set from one thread while the engine waits on another.
 *
 * <p>Nothing wires it by default ({@code AuthenticatorBuilder} keeps approve); an assembler that
 * wants steering passes one to {@code .presence(...)}.
 */
public final class SteerablePresence implements UserPresence {
  /**
   * One steered answer.
   *
   * @param kind what the user does
   * @param delay how long before the answer (keepalives UP_NEEDED meanwhile, cancel honoured)
   */
  public record Answer(Kind kind, Duration delay) {
    /** Touch, refuse, or never touch (CTAP2_ERR_USER_ACTION_TIMEOUT once the delay is over). */
    public enum Kind {
      APPROVE,
      DENY,
      TIMEOUT
    }

    public Answer {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(delay);
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
    }

    public static Answer approve() {
      return new Answer(Kind.APPROVE, Duration.ZERO);
    }

    public static Answer deny() {
      return new Answer(Kind.DENY, Duration.ZERO);
    }

    public static Answer timeout() {
      return new Answer(Kind.TIMEOUT, Duration.ZERO);
    }

    /** This answer, given after {@code d}. */
    public Answer after(Duration d) {
      return new Answer(kind, d);
    }
  }

  private final UserPresence fallback;
  private final Deque<Answer> queue = new ArrayDeque<>();
  private Optional<Answer> defaultAnswer = Optional.empty();

  /** @param fallback what answers when neither a queued answer nor a default is set */
  public SteerablePresence(UserPresence fallback) {
    this.fallback = Objects.requireNonNull(fallback);
  }

  /** Answers every request from now on (after the queue is used up). */
  public synchronized void setDefault(Answer a) {
    defaultAnswer = Optional.of(Objects.requireNonNull(a));
  }

  /** Back to the fallback once the queue is used up. */
  public synchronized void clearDefault() {
    defaultAnswer = Optional.empty();
  }

  /** Appends answers consumed one per request, before the default. */
  public synchronized void queue(List<Answer> answers) {
    for (Answer a : answers) {
      queue.addLast(Objects.requireNonNull(a));
    }
  }

  /** The queued answers not yet consumed, next first. */
  public synchronized List<Answer> pending() {
    return List.copyOf(queue);
  }

  /** The default answer, if one is set. */
  public synchronized Optional<Answer> defaultAnswer() {
    return defaultAnswer;
  }

  private synchronized Optional<Answer> next() {
    Answer q = queue.pollFirst();
    return q != null ? Optional.of(q) : defaultAnswer;
  }

  @Override
  public Result requestPresence(UserRequest request, dev.softkey.core.OperationContext ctx) {
    Optional<Answer> steered = next();
    if (steered.isEmpty()) {
      return fallback.requestPresence(request, ctx);
    }
    Answer a = steered.get();
    // The wait happens outside this object's monitor, so that answers can be set meanwhile.
    if (ctx.isCancelled()) {
      return Result.CANCELLED;
    }
    if (!a.delay().isZero()) {
      Result waited = Presence.waitFor(a.delay(), ctx);
      if (waited != null) {
        return waited;
      }
    }
    return switch (a.kind()) {
      case APPROVE -> Result.APPROVED;
      case DENY -> Result.DENIED;
      case TIMEOUT -> Result.TIMEOUT;
    };
  }

  @Override
  public String toString() {
    return "SteerablePresence[fallback=" + fallback + "]";
  }
}
