package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The one pending stateful command sequence (CTAP 2.1 sections 6.3 getNextAssertion, 6.8.3/6.8.4
 * credential and RP enumeration, 6.7 fingerprint enrollment): its state, the commands that may
 * continue it, and its timer. Any other command, a CTAP1 message or a power cycle ends it (the
 * dispatcher calls {@link #beforeCommand}); a continuation after the timer finds nothing. OpenSK's
 * {@code StatefulPermission} is the model.
 */
public final class StatefulCommands {
  private final Clock clock;
  private Pending pending;

  private record Pending(Set<CtapCommand> continuations, Object state, Duration timeout, long lastMillis) {}

  public StatefulCommands(Clock clock) {
    this.clock = clock;
  }

  /** Starts a sequence (replacing any other) that {@code continuations} may continue within {@code timeout} of the last step. */
  public synchronized void begin(Set<CtapCommand> continuations, Object state, Duration timeout) {
    pending = new Pending(Set.copyOf(continuations), state, timeout, clock.millis());
  }

  /**
   * The state of the sequence {@code command} continues, when there is one of {@code type} within
   * its timer; the timer restarts. An expired sequence ends here.
   */
  public synchronized <T> Optional<T> continueWith(CtapCommand command, Class<T> type) {
    if (pending == null || !pending.continuations().contains(command) || !type.isInstance(pending.state())) {
      return Optional.empty();
    }
    long now = clock.millis();
    if (now - pending.lastMillis() > pending.timeout().toMillis()) {
      pending = null;
      return Optional.empty();
    }
    pending = new Pending(pending.continuations(), pending.state(), pending.timeout(), now);
    return Optional.of(type.cast(pending.state()));
  }

  /** Ends the sequence (its last step was taken). */
  public synchronized void end() {
    pending = null;
  }

  /** The dispatcher's rule: a command that does not continue the sequence ends it (empty: not a CTAP2 command). */
  public synchronized void beforeCommand(Optional<CtapCommand> command) {
    if (pending != null && (command.isEmpty() || !pending.continuations().contains(command.get()))) {
      pending = null;
    }
  }
}
