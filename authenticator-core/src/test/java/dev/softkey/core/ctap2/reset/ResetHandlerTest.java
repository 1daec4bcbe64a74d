package dev.softkey.core.ctap2.reset;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Quirks.ResetWindow;
import dev.softkey.core.profile.Quirks.ResetWindows;
import dev.softkey.core.profile.Transport;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** authenticatorReset (CTAP 2.1 section 6.6) under the profile's quirks.resetWindow. */
class ResetHandlerTest {
  private static final byte[] RESET = {0x07};

  static OperationContext over(String transport) {
    return new OperationContext() {
      @Override
      public void keepalive(KeepaliveStatus status) {}

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public String transport() {
        return transport;
      }
    };
  }

  static Device device(ResetWindows windows) {
    Profile p = Profiles.defaultProfile().toBuilder().resetWindow(windows).build();
    return TestDevices.build(p, Presence.approve());
  }

  static CtapStatus reset(Device d, String transport) {
    byte[] r = d.authenticator().process(RESET, over(transport));
    return CtapStatus.fromCode(r[0] & 0xFF).orElseThrow();
  }

  @Nested
  class ResetWindowQuirk {
    @Test
    void step1_theSpecsTenSeconds_forTheGenericProfile() {
      Device d = TestDevices.generic();
      d.clock().advance(Duration.ofSeconds(10));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_OK);
      d.authenticator().powerCycle();
      d.clock().advance(Duration.ofMillis(10_001));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void step1_aShorterWindow_returnsNotAllowedAfterIt() {
      Device d = device(ResetWindows.everywhere(ResetWindow.afterPowerUp(Duration.ofSeconds(5))));
      d.clock().advance(Duration.ofSeconds(6));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      d.authenticator().powerCycle();
      d.clock().advance(Duration.ofSeconds(5));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void step1_theYubiKey5Profile_allowsFiveSeconds() {
      Device d = TestDevices.build(Profiles.builtIn("yubikey-5").orElseThrow(), Presence.approve());
      d.clock().advance(Duration.ofSeconds(6));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void step1_anyTime_allowsResetLongAfterPowerUp() {
      Device d = device(ResetWindows.everywhere(ResetWindow.anyTime()));
      d.clock().advance(Duration.ofHours(5));
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void step1_disabledOverOneTransport_returnsOperationDenied_thereOnly() {
      Device d =
          device(
              new ResetWindows(
                  ResetWindow.afterPowerUp(Duration.ofSeconds(10)),
                  Map.of(Transport.NFC, ResetWindow.disabled(), Transport.HYBRID, ResetWindow.anyTime())));
      assertThat(reset(d, "nfc")).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      d.clock().advance(Duration.ofMinutes(1));
      assertThat(reset(d, "hybrid")).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      d.authenticator().powerCycle();
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void step1_aTransportSoftkeyDoesNotKnow_getsTheDefaultWindow() {
      Device d = device(new ResetWindows(ResetWindow.anyTime(), Map.of(Transport.USB, ResetWindow.afterPowerUp(Duration.ofSeconds(1)))));
      d.clock().advance(Duration.ofSeconds(2));
      assertThat(reset(d, "carrier-pigeon")).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(reset(d, "usb")).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void step1_disabled_resetsNothing() {
      Device d =
          device(ResetWindows.everywhere(ResetWindow.afterPowerUp(Duration.ofSeconds(10))).with(Transport.NFC, ResetWindow.disabled()));
      d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
      assertThat(reset(d, "nfc")).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(d.store().count()).isEqualTo(1);
    }
  }
}
