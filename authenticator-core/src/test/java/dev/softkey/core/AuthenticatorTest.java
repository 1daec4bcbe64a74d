package dev.softkey.core;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private final Device dev = TestDevices.generic();

  @Nested
  class Dispatch {
    @Test
    void emptyRequest_returnsInvalidLength() {
      assertThat(dev.client().sendRaw(new byte[0]).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }

    @Test
    void unknownCommand_returnsInvalidCommand() {
      assertThat(dev.client().sendRaw(new byte[] {0x55}).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }

    @Test
    void unbuiltCommands_returnInvalidCommand() {
      for (int cmd : new int[] {0x09, 0x40}) {
        assertThat(dev.client().sendRaw(new byte[] {(byte) cmd, (byte) 0xA0}).status()).as("command %x", cmd)
            .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      }
    }

    @Test
    void oversizeRequest_returnsInvalidLength() {
      byte[] big = new byte[Profiles.defaultProfile().limits().maxMsgSize() + 1];
      big[0] = 0x01;
      assertThat(dev.client().sendRaw(big).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }

    @Test
    void malformedCbor_returnsInvalidCbor() {
      assertThat(dev.client().sendRaw(new byte[] {0x01, (byte) 0xA1, 0x01}).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void parametersNotAMap_returnsUnexpectedType() {
      assertThat(dev.client().sendRaw(new byte[] {0x01, (byte) 0x80}).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void missingParameters_returnsMissingParameter() {
      assertThat(dev.client().sendRaw(new byte[] {0x02}).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void getInfoWithParameters_returnsInvalidLength() {
      assertThat(dev.client().sendRaw(new byte[] {0x04, (byte) 0xA0}).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }
  }

  @Nested
  class GetInfo {
    @Test
    void reportsProfileAndLiveState() {
      CborMap info = dev.client().send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.list(1)).containsExactly("U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1");
      assertThat(info.bytes(3).length()).isEqualTo(16);
      CborMap options = info.map(4);
      assertThat(options.optBool("rk")).contains(true);
      assertThat(options.optBool("clientPin")).contains(false);
      assertThat(options.optBool("plat")).contains(false);
      assertThat(options.optBool("credMgmt")).contains(true);
      assertThat(options.optBool("largeBlobs")).contains(true); // authenticatorLargeBlobs is built
      assertThat(options.optBool("authnrCfg")).contains(true); // authenticatorConfig is built
      // The generic profile's extensions that are built, in its order; credBlob adds 0x0F.
      assertThat(info.list(2))
          .containsSubsequence("credProtect", "hmac-secret", "hmac-secret-mc", "largeBlobKey", "credBlob", "minPinLength", "thirdPartyPayment");
      assertThat(info.longValue(0x0F)).isEqualTo(32);
      assertThat(info.longValue(0x14)).isEqualTo(100);
      dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
      assertThat(dev.client().send(CtapCommand.GET_INFO, null).ok().longValue(0x14)).isEqualTo(99);
    }
  }

  @Nested
  class Reset {
    @Test
    void withinTenSecondsOfPowerUp_deletesCredentials() {
      dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
      dev.client().send(CtapCommand.RESET, null).ok();
      assertThat(dev.store().count()).isZero();
    }

    @Test
    void resetInvalidatesNonDiscoverableCredentialIds() {
      CborMap r = dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).ok();
      byte[] ad = r.bytes(2).toArray();
      var id = Bytes.of(ad, 55, ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF));
      dev.client().send(CtapCommand.RESET, null).ok();
      assertThat(dev.client().send(CtapCommand.GET_ASSERTION,
          CtapTestClient.getAssertion("example.com", List.of(id), null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void afterTenSeconds_returnsNotAllowed_untilPowerCycle() {
      dev.clock().advance(Duration.ofSeconds(11));
      assertThat(dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      dev.authenticator().powerCycle();
      assertThat(dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void presenceDenied_returnsOperationDenied() {
      Device d = TestDevices.build(Profiles.defaultProfile(), Presence.deny());
      assertThat(d.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    }

    @Test
    void presenceTimeout_returnsUserActionTimeout() {
      Device d = TestDevices.build(Profiles.defaultProfile(), Presence.scripted(List.of(UserPresence.Result.TIMEOUT)));
      assertThat(d.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
    }
  }

  @Nested
  class Selection {
    @Test
    void touch_returnsOk() {
      assertThat(dev.client().send(CtapCommand.SELECTION, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void denied_returnsOperationDenied() {
      Device d = TestDevices.build(Profiles.defaultProfile(), Presence.deny());
      assertThat(d.client().send(CtapCommand.SELECTION, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    }

    @Test
    void cancelledWhileWaiting_returnsKeepaliveCancel() {
      Device d = TestDevices.build(Profiles.defaultProfile(), Presence.delayed(Duration.ofSeconds(5), Presence.approve()));
      OperationContext cancelled = new OperationContext() {
        @Override public void keepalive(KeepaliveStatus status) {}
        @Override public boolean isCancelled() { return true; }
        @Override public String transport() { return "usb"; }
      };
      byte[] resp = d.authenticator().process(new byte[] {0x0B}, cancelled);
      assertThat(resp).containsExactly(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL.code());
    }
  }
}
