package dev.softkey.core.fault;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.OperationContext.KeepaliveStatus;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fault plan in front of the real engine: when rules fire, what they answer, what they leave alone. */
class FaultPlanTest {
  private static final byte[] GET_INFO = {0x04};
  private static final byte[] U2F_VERSION = {0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00};

  private final Device dev = TestDevices.generic();
  private final FaultPlan plan = new FaultPlan(dev.authenticator());
  private final CtapTestClient client = new CtapTestClient(plan);

  private CtapStatus getInfo() {
    return client.sendRaw(GET_INFO).status();
  }

  private CtapTestClient.Response makeCredentialRk(byte userId) {
    return client.send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {userId}, List.of(-7L), map("rk", true)));
  }

  private static byte[] makeCredentialBytes() {
    byte[] body = CborEncoder.encode(makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true)));
    byte[] mc = new byte[body.length + 1];
    mc[0] = (byte) CtapCommand.MAKE_CREDENTIAL.code();
    System.arraycopy(body, 0, mc, 1, body.length);
    return mc;
  }

  @Nested
  class HowOften {
    @Test
    void once_firesOnTheNextMatchingRequest_thenTheEngineAnswersAgain() {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_OTHER));
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER);
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(plan.rules()).isEmpty();
    }

    @Test
    void always_firesEveryTime_untilCleared() {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP2_ERR_OPERATION_DENIED).always());
      for (int i = 0; i < 4; i++) {
        assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      }
      assertThat(plan.rules()).hasSize(1);
      plan.clear();
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void everyThird_firesOnTheThirdSixthAndNinth() {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_CHANNEL_BUSY).everyNth(3));
      List<Integer> faulted = new ArrayList<>();
      for (int i = 1; i <= 9; i++) {
        if (getInfo() == CtapStatus.CTAP1_ERR_CHANNEL_BUSY) {
          faulted.add(i);
        }
      }
      assertThat(faulted).containsExactly(3, 6, 9);
    }

    @Test
    void theFirstRuleThatFiresDecides_laterOnesStillCount() {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_OTHER));
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_CHANNEL_BUSY).everyNth(2));
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER);
      // The second rule counted the first request too: the second one is its 2nd.
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP1_ERR_CHANNEL_BUSY);
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_OK);
    }
  }

  @Nested
  class WhichCommands {
    @Test
    void aRuleForOneCommand_leavesTheOthersAlone() {
      plan.add(FaultRule.status(CtapCommand.MAKE_CREDENTIAL, CtapStatus.CTAP2_ERR_KEY_STORE_FULL).always());
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(makeCredentialRk((byte) 1).status()).isEqualTo(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      // The engine never ran: nothing stored.
      assertThat(dev.store().count()).isZero();
    }

    @Test
    void anyCommand_hitsEveryCtap2Command_evenUnknownBytes() {
      plan.add(FaultRule.status(CtapStatus.CTAP2_ERR_PROCESSING).always());
      assertThat(getInfo()).isEqualTo(CtapStatus.CTAP2_ERR_PROCESSING);
      assertThat(makeCredentialRk((byte) 1).status()).isEqualTo(CtapStatus.CTAP2_ERR_PROCESSING);
      assertThat(client.sendRaw(new byte[] {0x55}).status()).isEqualTo(CtapStatus.CTAP2_ERR_PROCESSING);
    }

    @Test
    void u2f_isUntouched_evenByAnAnyCommandRule() {
      plan.add(FaultRule.status(CtapStatus.CTAP1_ERR_OTHER).withDropReply(true).always());
      byte[] r = plan.processU2f(U2F_VERSION, OperationContext.INTERNAL);
      assertThat(new String(Arrays.copyOf(r, r.length - 2), StandardCharsets.US_ASCII)).isEqualTo("U2F_V2");
      assertThat(Arrays.copyOfRange(r, r.length - 2, r.length)).containsExactly(0x90, 0x00);
    }
  }

  @Nested
  class Delay {
    /** Records keepalives; cancels after {@code cancelAfter} of them (never if negative). */
    final class Ctx implements OperationContext {
      final List<KeepaliveStatus> keepalives = Collections.synchronizedList(new ArrayList<>());
      final AtomicBoolean cancelled = new AtomicBoolean();
      final int cancelAfter;

      Ctx(int cancelAfter) {
        this.cancelAfter = cancelAfter;
      }

      @Override
      public void keepalive(KeepaliveStatus status) {
        keepalives.add(status);
        if (cancelAfter >= 0 && keepalives.size() >= cancelAfter) {
          cancelled.set(true);
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
    void delay_sendsKeepalivesWhileWaiting_thenTheEngineAnswers() {
      plan.add(FaultRule.delay(CtapCommand.GET_INFO, Duration.ofMillis(350)));
      Ctx ctx = new Ctx(-1);
      long start = System.nanoTime();
      byte[] r = plan.process(GET_INFO, ctx);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(r[0]).isEqualTo((byte) 0x00);
      assertThat(r.length).isGreaterThan(1);
      assertThat(tookMs).isGreaterThanOrEqualTo(340);
      // At least one keepalive per 100 ms of waiting.
      assertThat(ctx.keepalives).hasSizeGreaterThanOrEqualTo(3).containsOnly(KeepaliveStatus.PROCESSING);
    }

    @Test
    void delay_thenStatus_answersTheStatusAfterTheWait() {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT).withDelay(Duration.ofMillis(200)));
      long start = System.nanoTime();
      byte[] r = plan.process(GET_INFO, new Ctx(-1));
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
      assertThat(r).containsExactly(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT.code());
    }

    @Test
    void cancelDuringTheDelay_answersKeepaliveCancel_atOnce_andTheEngineDoesNotRun() {
      plan.add(FaultRule.delay(CtapCommand.MAKE_CREDENTIAL, Duration.ofSeconds(30)));
      Ctx ctx = new Ctx(2);
      byte[] mc = makeCredentialBytes();
      long start = System.nanoTime();
      byte[] r = plan.process(mc, ctx);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
      assertThat(r).containsExactly(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL.code());
      assertThat(dev.store().count()).isZero();
    }
  }

  @Nested
  class Drop {
    @Test
    void dropReply_withoutStatus_runsTheEngine_andAnswersNoReply() {
      plan.add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
      byte[] mc = makeCredentialBytes();
      byte[] r = plan.process(mc, OperationContext.INTERNAL);
      assertThat(CtapDevice.isNoReply(r)).isTrue();
      // The work was done; only the reply was lost.
      assertThat(dev.store().count()).isEqualTo(1);
      // The next request is answered normally.
      assertThat(makeCredentialRk((byte) 2).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void dropReply_withStatus_doesNotRunTheEngine() {
      plan.add(FaultRule.status(CtapCommand.MAKE_CREDENTIAL, CtapStatus.CTAP1_ERR_OTHER).withDropReply(true));
      byte[] mc = makeCredentialBytes();
      assertThat(CtapDevice.isNoReply(plan.process(mc, OperationContext.INTERNAL))).isTrue();
      assertThat(dev.store().count()).isZero();
    }

    @Test
    void noReply_isKnownByIdentity_notByBeingEmpty() {
      assertThat(CtapDevice.isNoReply(new byte[0])).isFalse();
      assertThat(CtapDevice.isNoReply(CtapDevice.NO_REPLY)).isTrue();
    }
  }

  @Nested
  class Rules {
    @Test
    void rulesThatDoNothing_orCountWrong_areRefused() {
      assertThatThrownBy(() -> new FaultRule(Optional.empty(), FaultRule.Mode.ALWAYS, 1, Optional.empty(), Duration.ZERO, false))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> FaultRule.status(CtapStatus.CTAP1_ERR_OTHER).everyNth(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> FaultRule.delay(CtapCommand.GET_INFO, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> FaultRule.status(CtapStatus.CTAP2_OK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rulesMayBeAddedWhileRequestsRun() throws Exception {
      plan.add(FaultRule.status(CtapCommand.GET_INFO, CtapStatus.CTAP1_ERR_CHANNEL_BUSY).everyNth(2));
      AtomicInteger busy = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            if (getInfo() == CtapStatus.CTAP1_ERR_CHANNEL_BUSY) {
              busy.incrementAndGet();
            }
          }
        });
        threads.add(th);
        th.start();
      }
      for (int i = 0; i < 20; i++) {
        plan.add(FaultRule.status(CtapCommand.RESET, CtapStatus.CTAP1_ERR_OTHER));
      }
      for (Thread th : threads) {
        th.join();
      }
      // 200 counted requests, every 2nd faulted: exactly half, whatever the interleaving.
      assertThat(busy.get()).isEqualTo(100);
      assertThat(plan.rules()).hasSize(21);
    }
  }
}
