package dev.softkey.core.fault;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One fault a {@link FaultPlan} injects into CTAP2 requests: which command it applies to (empty:
 * every CTAP2 command, known or not), how often it fires, and what it does when it fires. A rule
 * that fires first waits {@code delay} (keepalives PROCESSING every 100 ms, a cancel answers
 * CTAP2_ERR_KEEPALIVE_CANCEL at once), then either answers {@code status} without running the
 * engine or, without a status, lets the engine run. With {@code dropReply} the answer (the status,
 * or the engine's real response) is replaced by {@link dev.softkey.core.CtapDevice#NO_REPLY}: with a
 * status the engine never saw the request, without one the engine did the work (a credential was
 * made, a counter moved) and only its reply was lost.
 *
 * <p>Built with the static factories and the {@code with...} copies, for example {@code
 * FaultRule.status(CtapCommand.GET_ASSERTION, CtapStatus.CTAP2_ERR_NO_CREDENTIALS).everyNth(3)}.
 *
 * @param command the command the rule applies to; empty for every CTAP2 command
 * @param mode how often a matching request makes the rule fire
 * @param n for {@link Mode#EVERY_NTH}: the rule fires on the n-th, 2n-th... matching request (1 or
 *     more); ignored (1) otherwise
 * @param status the status answered instead of the engine's response; empty to let the engine run
 * @param delay how long to wait before answering or forwarding; zero for none
 * @param dropReply whether the answer is dropped ({@code NO_REPLY})
 */
public record FaultRule(
    Optional<CtapCommand> command,
    Mode mode,
    int n,
    Optional<CtapStatus> status,
    Duration delay,
    boolean dropReply) {

  /** How often a rule fires, counted over the requests it matches. */
  public enum Mode {
    /** The next matching request only; the rule then leaves the plan. */
    ONCE,
    /** Every matching request. */
    ALWAYS,
    /** Every n-th matching request (the n-th, the 2n-th...). */
    EVERY_NTH
  }

  /** Checks the rule does something and its numbers make sense (IllegalArgumentException). */
  public FaultRule {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(delay, "delay");
    if (mode == Mode.EVERY_NTH) {
      if (n < 1) {
        throw new IllegalArgumentException("every n-th needs n of 1 or more, not " + n);
      }
    } else {
      n = 1;
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + delay);
    }
    if (status.isPresent() && status.get() == CtapStatus.CTAP2_OK) {
      throw new IllegalArgumentException("CTAP2_OK without a response body is not a fault: omit the status to let the engine answer");
    }
    if (status.isEmpty() && delay.isZero() && !dropReply) {
      throw new IllegalArgumentException("a fault rule needs a status, a delay or dropReply");
    }
  }

  /** Answers {@code status} to the next {@code command} instead of running the engine. */
  public static FaultRule status(CtapCommand command, CtapStatus status) {
    return new FaultRule(Optional.of(command), Mode.ONCE, 1, Optional.of(status), Duration.ZERO, false);
  }

  /** Answers {@code status} to the next CTAP2 request, whatever its command. */
  public static FaultRule status(CtapStatus status) {
    return new FaultRule(Optional.empty(), Mode.ONCE, 1, Optional.of(status), Duration.ZERO, false);
  }

  /** Holds the next {@code command} for {@code delay} (keepalives, cancel honoured), then runs it. */
  public static FaultRule delay(CtapCommand command, Duration delay) {
    return new FaultRule(Optional.of(command), Mode.ONCE, 1, Optional.empty(), delay, false);
  }

  /** Runs the next {@code command} in the engine and drops its reply (the work is done, unseen). */
  public static FaultRule dropReply(CtapCommand command) {
    return new FaultRule(Optional.of(command), Mode.ONCE, 1, Optional.empty(), Duration.ZERO, true);
  }

  /** This rule, firing once. */
  public FaultRule once() {
    return new FaultRule(command, Mode.ONCE, 1, status, delay, dropReply);
  }

  /** This rule, firing on every matching request. */
  public FaultRule always() {
    return new FaultRule(command, Mode.ALWAYS, 1, status, delay, dropReply);
  }

  /** This rule, firing on every {@code n}-th matching request. */
  public FaultRule everyNth(int n) {
    return new FaultRule(command, Mode.EVERY_NTH, n, status, delay, dropReply);
  }

  /** This rule, for every CTAP2 command. */
  public FaultRule anyCommand() {
    return new FaultRule(Optional.empty(), mode, n, status, delay, dropReply);
  }

  /** This rule, for {@code command} only. */
  public FaultRule forCommand(CtapCommand command) {
    return new FaultRule(Optional.of(command), mode, n, status, delay, dropReply);
  }

  /** This rule, waiting {@code delay} before it answers or forwards. */
  public FaultRule withDelay(Duration delay) {
    return new FaultRule(command, mode, n, status, delay, dropReply);
  }

  /** This rule, answering {@code status} instead of running the engine. */
  public FaultRule withStatus(CtapStatus status) {
    return new FaultRule(command, mode, n, Optional.of(status), delay, dropReply);
  }

  /** This rule, dropping its answer ({@code NO_REPLY}) or not. */
  public FaultRule withDropReply(boolean dropReply) {
    return new FaultRule(command, mode, n, status, delay, dropReply);
  }

  /** True if the rule applies to a request whose first byte is {@code commandByte}. */
  boolean matches(int commandByte) {
    return command.isEmpty() || command.get().code() == (commandByte & 0xFF);
  }
}
