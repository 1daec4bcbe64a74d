package dev.softkey.core.presence;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.SteerablePresence.Answer;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SteerablePresence: queue before default before fallback, delays with keepalives, cancel. */
class SteerablePresenceTest {
  private static final UserRequest ASK = UserRequest.of(UserRequest.Kind.MAKE_CREDENTIAL, "example.com");

  /** A transport's context that counts UP_NEEDED keepalives and can be cancelled. */
  static final class Ctx implements OperationContext {
    final AtomicInteger upNeeded = new AtomicInteger();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public void keepalive(KeepaliveStatus status) {
      if (status == KeepaliveStatus.UP_NEEDED) {
        upNeeded.incrementAndGet();
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled.get();
    }

    @Override
    public String transport() {
      return "usb";
    }
  }

  @Test
  void queueFirst_thenDefault_thenFallback() {
    SteerablePresence p = new SteerablePresence(Presence.deny());
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.DENIED);
    p.setDefault(Answer.approve());
    p.queue(List.of(Answer.deny(), Answer.timeout()));
    assertThat(p.pending()).containsExactly(Answer.deny(), Answer.timeout());
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.DENIED);
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.TIMEOUT);
    assertThat(p.pending()).isEmpty();
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.APPROVED);
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.APPROVED);
    p.clearDefault();
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.DENIED);
  }

  @Test
  void delay_sendsUpNeededKeepalives_thenAnswers() {
    SteerablePresence p = new SteerablePresence(Presence.approve());
    p.setDefault(Answer.deny().after(Duration.ofMillis(350)));
    Ctx ctx = new Ctx();
    long start = System.nanoTime();
    assertThat(p.requestPresence(ASK, ctx)).isEqualTo(UserPresence.Result.DENIED);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).isGreaterThanOrEqualTo(340);
    // At least one keepalive per 100 ms of waiting.
    assertThat(ctx.upNeeded.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void cancelWhileWaiting_answersCancelledPromptly() throws Exception {
    SteerablePresence p = new SteerablePresence(Presence.approve());
    p.queue(List.of(Answer.approve().after(Duration.ofSeconds(30))));
    Ctx ctx = new Ctx();
    long start = System.nanoTime();
    CompletableFuture<UserPresence.Result> r = CompletableFuture.supplyAsync(() -> p.requestPresence(ASK, ctx));
    Thread.sleep(150);
    ctx.cancelled.set(true);
    assertThat(r.get(2, TimeUnit.SECONDS)).isEqualTo(UserPresence.Result.CANCELLED);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    // Answers can be set while a request waits (the wait is outside the monitor).
    p.setDefault(Answer.deny());
    assertThat(p.requestPresence(ASK, OperationContext.INTERNAL)).isEqualTo(UserPresence.Result.DENIED);
  }

  @Test
  void throughTheEngine_eachAnswerIsItsCtapStatus() {
    SteerablePresence p = new SteerablePresence(Presence.approve());
    Device d = TestDevices.build(Profiles.defaultProfile(), p);
    p.queue(List.of(Answer.deny(), Answer.timeout()));
    assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
    assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).status())
        .isEqualTo(CtapStatus.CTAP2_OK);
  }

  @Test
  void negativeDelay_isRefused() {
    assertThatThrownBy(() -> Answer.approve().after(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
