package dev.softkey.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.UserVerifier.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UserVerifiersTest {
  private static final UserRequest ASK = UserRequest.of(UserRequest.Kind.PIN_UV_AUTH_TOKEN, "example.com");

  private static List<Result> attempts(UserVerifier v, int n) {
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(v.verify(ASK, OperationContext.INTERNAL));
    }
    return out;
  }

  @Nested
  class Fixed {
    @Test
    void verified_andMismatch_answerTheSameEveryTime() {
      assertThat(attempts(UserVerifiers.verified(), 3)).containsOnly(Result.VERIFIED);
      assertThat(attempts(UserVerifiers.mismatch(), 3)).containsOnly(Result.MISMATCH);
    }
  }

  @Nested
  class Following {
    @Test
    void presenceAnswers_mapToTheFingerOnTheSensor() {
      assertThat(attempts(UserVerifiers.following(Presence.approve()), 1)).containsExactly(Result.VERIFIED);
      assertThat(attempts(UserVerifiers.following(Presence.deny()), 1)).containsExactly(Result.MISMATCH);
      assertThat(attempts(UserVerifiers.following(Presence.timeout(Duration.ofMillis(1))), 1))
          .containsExactly(Result.TIMEOUT);
    }

    @Test
    void cancelWhileWaiting_isCancelled() {
      OperationContext cancelled =
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
      assertThat(UserVerifiers.following(Presence.timeout(Duration.ofSeconds(5))).verify(ASK, cancelled))
          .isEqualTo(Result.CANCELLED);
    }

    @Test
    void theRequestReachesThePresencePolicy() {
      List<UserRequest> seen = new ArrayList<>();
      UserVerifiers.following((r, ctx) -> {
        seen.add(r);
        return UserPresence.Result.APPROVED;
      }).verify(ASK, OperationContext.INTERNAL);
      assertThat(seen).containsExactly(ASK);
    }
  }

  @Nested
  class Scripted {
    @Test
    void mismatchThenVerified_failsNTimesThenVerifiesFromThenOn() {
      assertThat(attempts(UserVerifiers.mismatchThenVerified(2), 4))
          .containsExactly(Result.MISMATCH, Result.MISMATCH, Result.VERIFIED, Result.VERIFIED);
      assertThat(attempts(UserVerifiers.mismatchThenVerified(0), 1)).containsExactly(Result.VERIFIED);
    }

    @Test
    void scripted_repeatsTheLastResult() {
      assertThat(attempts(UserVerifiers.scripted(List.of(Result.TIMEOUT, Result.MISMATCH)), 3))
          .containsExactly(Result.TIMEOUT, Result.MISMATCH, Result.MISMATCH);
    }

    @Test
    void emptyScriptOrNegativeCount_isRefused() {
      assertThatThrownBy(() -> UserVerifiers.scripted(List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> UserVerifiers.mismatchThenVerified(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
