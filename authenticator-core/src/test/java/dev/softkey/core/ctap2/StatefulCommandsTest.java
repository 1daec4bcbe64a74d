package dev.softkey.core.ctap2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one mechanism for stateful commands (CTAP 2.1 6.3, 6.8.3, 6.8.4; OpenSK's StatefulPermission). */
class StatefulCommandsTest {
  private final MutableClock clock = new MutableClock();
  private final StatefulCommands stateful = new StatefulCommands(clock);

  private void beginNext(String state) {
    stateful.begin(Set.of(CtapCommand.GET_NEXT_ASSERTION), state, Duration.ofSeconds(30));
  }

  @Test
  void continuation_withinTimer_seesTheState_andRestartsTheTimer() {
    beginNext("s");
    clock.advance(Duration.ofSeconds(29));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).contains("s");
    clock.advance(Duration.ofSeconds(29));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).contains("s");
  }

  @Test
  void continuation_afterTimer_findsNothing_andTheSequenceEnds() {
    beginNext("s");
    clock.advance(Duration.ofMillis(30_001));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).isEmpty();
    clock.advance(Duration.ofSeconds(-10));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).isEmpty();
  }

  @Test
  void anyOtherCommand_endsIt_butItsContinuationDoesNot() {
    beginNext("s");
    stateful.beforeCommand(Optional.of(CtapCommand.GET_NEXT_ASSERTION));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).contains("s");
    stateful.beforeCommand(Optional.of(CtapCommand.GET_INFO));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).isEmpty();
  }

  @Test
  void aNonCtap2Message_endsIt() {
    beginNext("s");
    stateful.beforeCommand(Optional.empty());
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).isEmpty();
  }

  @Test
  void aCommandThatDoesNotContinueIt_orAnotherStateType_findsNothing() {
    stateful.begin(Set.of(CtapCommand.CREDENTIAL_MANAGEMENT), 42, Duration.ofSeconds(30));
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, Integer.class)).isEmpty();
    assertThat(stateful.continueWith(CtapCommand.CREDENTIAL_MANAGEMENT, String.class)).isEmpty();
    assertThat(stateful.continueWith(CtapCommand.CREDENTIAL_MANAGEMENT, Integer.class)).contains(42);
  }

  @Test
  void aNewSequence_replacesThePendingOne() {
    beginNext("first");
    beginNext("second");
    assertThat(stateful.continueWith(CtapCommand.GET_NEXT_ASSERTION, String.class)).contains("second");
  }
}
