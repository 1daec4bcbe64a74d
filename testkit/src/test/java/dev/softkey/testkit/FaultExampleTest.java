package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.platform.WebAuthnException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault plan from a test (the README's example): one forced error, then the key works again;
 * a dropped reply ends the ceremony with NotAllowedError when its timeout passes; a delay longer
 * than the timeout is cancelled.
 */
class FaultExampleTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(8);

  private static void assertNotAllowed(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
  }

  @Test
  void aForcedErrorOnceThenSuccess() throws Exception {
    VirtualKey key = softkey.key();
    key.faults().add(FaultRule.status(CtapCommand.MAKE_CREDENTIAL, CtapStatus.CTAP2_ERR_OPERATION_DENIED));

    assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
    assertThat(key.faults().rules()).isEmpty();
    JsonNode reg = JSON.readTree(key.create(Options.creation(), Options.ORIGIN));
    assertThat(reg.get("id").asText()).isNotEmpty();
  }

  @Test
  void aDroppedReplyIsNotAllowedAfterTheTimeout() {
    try (VirtualKey key = VirtualKey.builder().timeout(Duration.ofMillis(400)).build()) {
      key.faults().add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
      long t0 = System.nanoTime();
      assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aDelayLongerThanTheTimeoutIsCancelled() {
    try (VirtualKey key = VirtualKey.builder().timeout(Duration.ofMillis(300)).build()) {
      key.faults().add(FaultRule.delay(CtapCommand.MAKE_CREDENTIAL, Duration.ofSeconds(30)));
      long t0 = System.nanoTime();
      assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void everySecondGetAssertionFails() throws Exception {
    VirtualKey key = softkey.key();
    key.create(Options.creation(), Options.ORIGIN);
    key.faults().add(FaultRule.status(CtapCommand.GET_ASSERTION, CtapStatus.CTAP2_ERR_OPERATION_DENIED).everyNth(2));
    key.get(Options.request(), Options.ORIGIN);
    assertNotAllowed(() -> key.get(Options.request(), Options.ORIGIN));
    key.get(Options.request(), Options.ORIGIN);
    assertNotAllowed(() -> key.get(Options.request(), Options.ORIGIN));
    key.faults().clear();
    key.get(Options.request(), Options.ORIGIN);
  }
}
