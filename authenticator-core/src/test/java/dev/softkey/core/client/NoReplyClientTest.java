package dev.softkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.platform.NoReplyException;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.platform.WebAuthnException.Name;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A dropped reply seen by the platform: the in-process channel hands the device's NO_REPLY on, and
 * WebAuthnClient rejects with NotAllowedError after its own timeout, as a browser would; a
 * transport with a timeout of its own says so with NoReplyException, also NotAllowedError.
 */
class NoReplyClientTest {
  static final String ORIGIN = "https://login.example.com";
  static final String CREATE =
      """
      {"rp":{"id":"example.com","name":"Example"},"user":{"id":"AQID","name":"alice","displayName":"Alice"},
       "challenge":"AAECAwQFBgcICQoLDA0ODw","pubKeyCredParams":[{"type":"public-key","alg":-7}],
       "authenticatorSelection":{"residentKey":"required","userVerification":"discouraged"}}
      """;

  private final Device dev = TestDevices.generic();
  private final FaultPlan plan = new FaultPlan(dev.authenticator());
  /** What the CLI's in-process channel does: the device's answer as it is. */
  private final WebAuthnClient client =
      WebAuthnClient.builder(req -> plan.process(req, OperationContext.INTERNAL)).timeout(Duration.ofMillis(400)).build();

  @Test
  void droppedMakeCredentialReply_isNotAllowedError_afterTheClientsTimeout() {
    plan.add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.create(CREATE, ORIGIN, Optional.empty()))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(Name.NotAllowedError))
        .hasMessageContaining("did not answer");
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(390);
    // The engine did the work; the next ceremony succeeds normally.
    assertThat(dev.store().count()).isEqualTo(1);
    RegistrationResponse r = client.create(CREATE.replace("AQID", "BAUG"), ORIGIN, Optional.empty());
    assertThat(r.rawId().length()).isGreaterThan(0);
  }

  @Test
  void aTransportsOwnTimeout_isNotAllowedError_too() {
    WebAuthnClient silent =
        WebAuthnClient.builder(req -> {
              throw new NoReplyException("no CTAPHID response within 700 ms");
            })
            .build();
    assertThatThrownBy(() -> silent.create(CREATE, ORIGIN, Optional.empty()))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(Name.NotAllowedError))
        .hasMessageContaining("700 ms");
  }
}
