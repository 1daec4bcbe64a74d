package dev.softkey.core;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The decorator base: what a subclass does not override reaches the engine unchanged. */
class ForwardingCtapDeviceTest {
  private final Device dev = TestDevices.generic();

  /** Overrides nothing. */
  private final CtapDevice plain = new ForwardingCtapDevice(dev.authenticator()) {};

  /** Refuses getAssertion the way a fault plan would; everything else passes. */
  private final CtapDevice denyingGetAssertion =
      new ForwardingCtapDevice(dev.authenticator()) {
        @Override
        public byte[] process(byte[] request, OperationContext ctx) {
          if (request.length > 0 && request[0] == CtapCommand.GET_ASSERTION.code()) {
            return new byte[] {(byte) CtapStatus.CTAP2_ERR_OPERATION_DENIED.code()};
          }
          return super.process(request, ctx);
        }
      };

  @Nested
  class WithoutOverrides {
    @Test
    void process_answersWhatTheEngineAnswers() {
      byte[] direct = dev.authenticator().process(new byte[] {0x04}, OperationContext.INTERNAL);
      assertThat(plain.process(new byte[] {0x04}, OperationContext.INTERNAL)).isEqualTo(direct);
      assertThat(new CtapTestClient(plain).sendRaw(new byte[] {0x55}).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }

    @Test
    void processU2f_reachesTheU2fHandler() {
      // U2F_VERSION (FIDO U2F Raw Message Formats section 6): "U2F_V2" and SW_NO_ERROR.
      byte[] r = plain.processU2f(new byte[] {0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00}, OperationContext.INTERNAL);
      assertThat(new String(Arrays.copyOf(r, r.length - 2), StandardCharsets.US_ASCII)).isEqualTo("U2F_V2");
      assertThat(Arrays.copyOfRange(r, r.length - 2, r.length)).containsExactly(0x90, 0x00);
    }

    @Test
    void powerCycle_restartsTheEnginesResetWindow() {
      dev.clock().advance(Duration.ofSeconds(11));
      CtapTestClient client = new CtapTestClient(plain);
      assertThat(client.send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      plain.powerCycle();
      assertThat(client.send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void profile_isTheEnginesProfile() {
      assertThat(plain.profile()).isSameAs(dev.authenticator().profile());
    }
  }

  @Nested
  class OverridingOneCommand {
    @Test
    void getAssertion_getsTheDecoratorsAnswer_otherCommandsReachTheEngine() {
      CtapTestClient client = new CtapTestClient(denyingGetAssertion);
      var made = client.send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true)));
      assertThat(made.status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(dev.store().count()).isEqualTo(1);
      var ga = client.send(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("example.com", null, null));
      assertThat(ga.status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      // The engine itself still signs: the refusal is the decorator's alone.
      var direct = dev.client().send(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("example.com", null, null));
      assertThat(direct.status()).isEqualTo(CtapStatus.CTAP2_OK);
    }
  }
}
