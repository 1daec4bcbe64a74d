package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.outputs;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.config.PlatformConfig;
import dev.softkey.platform.pin.PinToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * minPinLength (CTAP 2.1 section 12.4): the current minimum PIN length, for the RP IDs that
 * authenticatorConfig's setMinPINLength (section 6.11.4) named.
 */
class MinPinLengthExtensionTest {
  final ExtensionKey key = new ExtensionKey(Profiles.defaultProfile()).withPin();
  final PlatformConfig config = new PlatformConfig(req -> key.dev.authenticator().process(req, OperationContext.INTERNAL));

  static final Map<Object, Object> ASK = map("minPinLength", true);

  void setMinPinLength(Optional<Integer> min, List<String> rpIds) {
    PinToken t = key.pin.getPinUvAuthToken(ExtensionKey.PIN, Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty());
    config.setMinPinLength(Optional.of(t), min, rpIds, false);
  }

  @Nested
  class ForAnAllowedRpId {
    @Test
    void theOutputIsTheCurrentMinimumPinLength() {
      setMinPinLength(Optional.empty(), List.of(ExtensionKey.RP));
      assertThat(outputs(key.mc(new byte[] {1}, false, ASK, true).ok())).containsExactly(Map.entry("minPinLength", 4L));
    }

    @Test
    void aRaisedMinimum_isWhatIsReported() {
      setMinPinLength(Optional.of(6), List.of("other.example", ExtensionKey.RP));
      // (the 4-digit PIN must now change before a token is issued: no UV here, makeCredUvNotRqd)
      assertThat(outputs(key.mc(new byte[] {1}, false, ASK, false).ok())).containsEntry("minPinLength", 6L);
    }

    @Test
    void falseAsInput_noOutput() {
      setMinPinLength(Optional.empty(), List.of(ExtensionKey.RP));
      assertThat(outputs(key.mc(new byte[] {1}, false, map("minPinLength", false), true).ok())).isEmpty();
    }
  }

  @Test
  void anRpIdNotInTheList_getsNoOutput_andTheCredentialIsMade() {
    setMinPinLength(Optional.empty(), List.of("other.example"));
    assertThat(outputs(key.mc(new byte[] {1}, false, ASK, true).ok())).isEmpty();
  }

  @Test
  void noListSet_noOutputForAnyone() {
    assertThat(outputs(key.mc(new byte[] {1}, false, ASK, true).ok())).isEmpty();
  }

  @Test
  void afterReset_theListIsGone() {
    setMinPinLength(Optional.empty(), List.of(ExtensionKey.RP));
    assertThat(key.dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
    assertThat(outputs(key.mc(new byte[] {1}, false, ASK, false).ok())).isEmpty();
  }

  @Test
  void anInputThatIsNotABoolean_isCborUnexpectedType() {
    assertThat(key.mc(new byte[] {1}, false, map("minPinLength", 1L), true).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  }
}
