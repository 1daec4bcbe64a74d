package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.credentialId;
import static dev.softkey.core.extension.ExtensionKey.outputs;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommand;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** thirdPartyPayment (CTAP 2.2 section 12.9). */
class ThirdPartyPaymentExtensionTest {
  final ExtensionKey key = new ExtensionKey(Profiles.defaultProfile());
  static final Map<Object, Object> TPP = map("thirdPartyPayment", true);

  @Nested
  class MakeCredential {
    @Test
    void true_marksTheCredential_withoutAnOutput() {
      assertThat(outputs(key.mc(new byte[] {1}, true, TPP, false).ok())).isEmpty();
      assertThat(key.dev.store().all().get(0).extensionData()).containsEntry("thirdPartyPayment", Bytes.wrap(new byte[] {1}));
    }

    @Test
    void false_noOutput() {
      assertThat(outputs(key.mc(new byte[] {1}, false, map("thirdPartyPayment", false), false).ok())).isEmpty();
    }

    @Test
    void anInputThatIsNotABoolean_isCborUnexpectedType() {
      assertThat(key.mc(new byte[] {1}, false, map("thirdPartyPayment", 1L), false).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }

  @Nested
  class GetAssertion {
    @Test
    void aMarkedCredential_answersTrue_nonDiscoverableAndDiscoverable() {
      Bytes id = credentialId(key.mc(new byte[] {1}, false, TPP, false).ok());
      assertThat(outputs(key.ga(List.of(id), TPP, false).ok())).containsExactly(Map.entry("thirdPartyPayment", true));
      key.mc(new byte[] {2}, true, TPP, false).ok();
      assertThat(outputs(key.ga(null, TPP, false).ok())).containsEntry("thirdPartyPayment", true);
    }

    @Test
    void anUnmarkedCredential_answersFalse() {
      Bytes id = credentialId(key.mc(new byte[] {1}, false, null, false).ok());
      assertThat(outputs(key.ga(List.of(id), TPP, false).ok())).containsExactly(Map.entry("thirdPartyPayment", false));
    }

    @Test
    void withoutTheInput_noOutput() {
      Bytes id = credentialId(key.mc(new byte[] {1}, false, TPP, false).ok());
      assertThat(outputs(key.ga(List.of(id), null, false).ok())).isEmpty();
      assertThat(outputs(key.ga(List.of(id), map("thirdPartyPayment", false), false).ok())).isEmpty();
    }
  }

  @Test
  void credentialManagement_reportsTheMark_asMember0x0C() {
    key.withPin();
    key.mc(new byte[] {1}, true, TPP, true).ok();
    key.mc("other.example", new byte[] {2}, true, null, true, -7L).ok();
    assertThat(enumerate(ExtensionKey.RP).optBool(0x0C)).contains(true);
    assertThat(enumerate("other.example").optBool(0x0C)).contains(false);
  }

  private CborMap enumerate(String rpId) {
    PinToken t = key.pin.getPinUvAuthToken(ExtensionKey.PIN, Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty());
    CredentialManagementRequest r =
        CredentialManagementRequest.of(SubCommand.ENUMERATE_CREDENTIALS_BEGIN)
            .withSubCommandParams(SubCommandParams.ofRpIdHash(PublicKeyCredentialRpEntity.idHash(rpId)));
    r = r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().unsafeArray()));
    return key.dev.client().sendRaw(r.encode()).ok();
  }
}
