package dev.softkey.core.bio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.SimulatedFinger.Cancelled;
import dev.softkey.core.bio.SimulatedFinger.Captured;
import dev.softkey.core.bio.SimulatedFinger.EnrolledFinger;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.bio.SimulatedFinger.Touch;
import dev.softkey.core.bio.SimulatedFinger.UnknownFinger;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.ctap.command.EnrollSampleStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FingersTest {
  private static final UserRequest ASK = UserRequest.of(UserRequest.Kind.PIN_UV_AUTH_TOKEN, "example.com");
  private static final OperationContext CANCELLED =
      new OperationContext() {
        @Override
        public void keepalive(KeepaliveStatus status) {}

        @Override
        public boolean isCancelled() {
          return true;
        }

        @Override
        public String transport() {
          return "usb";
        }
      };

  private static List<Touch> touches(SimulatedFinger f, int n) {
    List<Touch> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(f.touch(ASK, OperationContext.INTERNAL));
    }
    return out;
  }

  @Nested
  class Fixed {
    @Test
    void enrolledAndUnknown_answerTheSameEveryTime_withGoodSamples() {
      assertThat(touches(Fingers.enrolled(), 3)).containsOnly(new EnrolledFinger());
      assertThat(touches(Fingers.unknown(), 3)).containsOnly(new UnknownFinger());
      assertThat(Fingers.unknown().sample(ASK, OperationContext.INTERNAL)).isEqualTo(new Captured(EnrollSampleStatus.FP_GOOD));
    }
  }

  @Nested
  class Following {
    @Test
    void presenceAnswers_mapToTheFingerOnTheSensor() {
      assertThat(touches(Fingers.following(Presence.approve()), 1)).containsExactly(new EnrolledFinger());
      assertThat(touches(Fingers.following(Presence.deny()), 1)).containsExactly(new UnknownFinger());
      assertThat(touches(Fingers.following(Presence.timeout(Duration.ofMillis(1))), 1)).containsExactly(new NoFinger());
    }

    @Test
    void presenceAnswers_mapToEnrollmentSamples() {
      assertThat(Fingers.following(Presence.approve()).sample(ASK, OperationContext.INTERNAL))
          .isEqualTo(new Captured(EnrollSampleStatus.FP_GOOD));
      assertThat(Fingers.following(Presence.deny()).sample(ASK, OperationContext.INTERNAL))
          .isEqualTo(new Captured(EnrollSampleStatus.NO_USER_ACTIVITY));
      assertThat(Fingers.following(Presence.timeout(Duration.ofMillis(1))).sample(ASK, OperationContext.INTERNAL))
          .isEqualTo(new NoFinger());
    }

    @Test
    void cancelWhileWaiting_isCancelled() {
      SimulatedFinger f = Fingers.following(Presence.timeout(Duration.ofSeconds(5)));
      assertThat(f.touch(ASK, CANCELLED)).isEqualTo(new Cancelled());
      assertThat(f.sample(ASK, CANCELLED)).isEqualTo(new Cancelled());
    }

    @Test
    void theRequestReachesThePresencePolicy() {
      List<UserRequest> seen = new ArrayList<>();
      Fingers.following((r, ctx) -> {
        seen.add(r);
        return UserPresence.Result.APPROVED;
      }).touch(ASK, OperationContext.INTERNAL);
      assertThat(seen).containsExactly(ASK);
    }
  }

  @Nested
  class Scripted {
    @Test
    void unknownThenEnrolled_failsNTimesThenVerifiesFromThenOn() {
      assertThat(touches(Fingers.unknownThenEnrolled(2), 4))
          .containsExactly(new UnknownFinger(), new UnknownFinger(), new EnrolledFinger(), new EnrolledFinger());
      assertThat(touches(Fingers.unknownThenEnrolled(0), 1)).containsExactly(new EnrolledFinger());
    }

    @Test
    void touches_repeatTheLastOne() {
      assertThat(touches(Fingers.touches(List.of(new NoFinger(), new UnknownFinger())), 3))
          .containsExactly(new NoFinger(), new UnknownFinger(), new UnknownFinger());
    }

    @Test
    void scriptedSampleStatuses_comeFirst_thenTheFingersOwn() {
      SimulatedFinger f =
          Fingers.withSampleStatuses(Fingers.enrolled(), List.of(EnrollSampleStatus.FP_TOO_HIGH, EnrollSampleStatus.FP_POOR_QUALITY));
      assertThat(f.sample(ASK, OperationContext.INTERNAL)).isEqualTo(new Captured(EnrollSampleStatus.FP_TOO_HIGH));
      assertThat(f.sample(ASK, OperationContext.INTERNAL)).isEqualTo(new Captured(EnrollSampleStatus.FP_POOR_QUALITY));
      assertThat(f.sample(ASK, OperationContext.INTERNAL)).isEqualTo(new Captured(EnrollSampleStatus.FP_GOOD));
      assertThat(f.touch(ASK, OperationContext.INTERNAL)).isEqualTo(new EnrolledFinger());
    }

    @Test
    void emptyScriptOrNegativeCount_isRefused() {
      assertThatThrownBy(() -> Fingers.touches(List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Fingers.unknownThenEnrolled(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
