package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.credentialId;
import static dev.softkey.core.extension.ExtensionKey.outputs;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** credProtect (CTAP 2.1 section 12.1) on the generic profile, through the whole authenticator. */
class CredProtectExtensionTest {
  final ExtensionKey key = new ExtensionKey(Profiles.defaultProfile());

  static Map<Object, Object> credProtect(Object level) {
    return map("credProtect", level);
  }

  @Nested
  class MakeCredential {
    @ParameterizedTest(name = "level {0}")
    @ValueSource(longs = {1, 2, 3})
    void input_isAppliedAndReportedInAuthData(long level) {
      CborMap r = key.mc(new byte[] {1}, false, credProtect(level), false).ok();
      assertThat(outputs(r)).containsExactly(Map.entry("credProtect", level));
    }

    @Test
    void noInput_noOutput() {
      assertThat(outputs(key.mc(new byte[] {1}, false, null, false).ok())).isEmpty();
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(longs = {0, 4, 255})
    void aLevelOutside1To3_isCborUnexpectedType(long level) {
      assertThat(key.mc(new byte[] {1}, false, credProtect(level), false).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void aLevelThatIsNotAnUnsignedInteger_isCborUnexpectedType() {
      assertThat(key.mc(new byte[] {1}, false, credProtect("userVerificationRequired"), false).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertThat(key.mc(new byte[] {1}, false, credProtect(-1L), false).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void anInputIsIgnored_byAModelWithoutTheExtension() {
      Profile bare = Profiles.defaultProfile().toBuilder().extensionIdentifiers(List.of()).maxCredBlobLength(java.util.OptionalInt.empty())
          .largeBlobs(Optional.empty()).build();
      ExtensionKey plain = new ExtensionKey(bare);
      CborMap r = plain.mc(new byte[] {1}, true, credProtect(3L), false).ok();
      assertThat(outputs(r)).isEmpty();
      // and the credential is not protected: discoverable without UV
      assertThat(plain.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }
  }

  /** A model whose default is stricter than userVerificationOptional (section 12.1). */
  @Nested
  class ProfileDefault {
    final ExtensionKey strict = new ExtensionKey(Profiles.defaultProfile().toBuilder().credProtectDefault(2).build()).withPin();

    @Test
    void withoutInput_theDefaultApplies_withoutOutput() {
      CborMap r = strict.mc(new byte[] {1}, true, null, true).ok();
      assertThat(outputs(r)).isEmpty();
      assertThat(strict.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(strict.ga(List.of(credentialId(r)), null, false).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void aWeakerInput_isRaisedToTheDefault_andTheOutputSaysSo() {
      CborMap r = strict.mc(new byte[] {1}, true, credProtect(1L), true).ok();
      assertThat(outputs(r)).containsEntry("credProtect", 2L);
      assertThat(strict.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void aStricterInput_wins() {
      CborMap r = strict.mc(new byte[] {1}, true, credProtect(3L), true).ok();
      assertThat(outputs(r)).containsEntry("credProtect", 3L);
      assertThat(strict.ga(List.of(credentialId(r)), null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }
  }

  /** getAssertion step 7 (7.4, 7.5). */
  @Nested
  class GetAssertion {
    @Test
    void step7_4_userVerificationRequired_isInvisibleWithoutUv_evenInTheAllowList() {
      key.withPin();
      Bytes nonDiscoverable = credentialId(key.mc(new byte[] {1}, false, credProtect(3L), false).ok());
      assertThat(key.ga(List.of(nonDiscoverable), null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(key.ga(List.of(nonDiscoverable), null, true).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void step7_4_aDiscoverableUserVerificationRequiredCredential_needsUv() {
      key.withPin();
      Bytes id = credentialId(key.mc(new byte[] {1}, true, credProtect(3L), true).ok());
      assertThat(key.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(key.ga(List.of(id), null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(key.ga(null, null, true).ok().opt(1)).isPresent();
    }

    @Test
    void step7_5_withCredentialIdList_isHiddenFromDiscovery_butUsableFromTheAllowList() {
      key.withPin();
      Bytes id = credentialId(key.mc(new byte[] {1}, true, credProtect(2L), true).ok());
      assertThat(key.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(key.ga(List.of(id), null, false).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(key.ga(null, null, true).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void step7_userVerificationOptional_isDiscoverableWithoutUv() {
      key.mc(new byte[] {1}, true, credProtect(1L), false).ok();
      assertThat(key.ga(null, null, false).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void onlyTheHiddenCredential_isLeftOut_ofSeveral() {
      key.withPin();
      key.mc(new byte[] {1}, true, credProtect(3L), true).ok();
      key.mc(new byte[] {2}, true, credProtect(1L), true).ok();
      CborMap r = key.ga(null, null, false).ok();
      assertThat(r.has(5)).isFalse(); // numberOfCredentials: only one is applicable
      assertThat(CborMap.asMap(r.opt(4).orElseThrow()).bytes("id")).isEqualTo(Bytes.wrap(new byte[] {2}));
    }
  }

  /** makeCredential step 12 (the excludeList). */
  @Nested
  class ExcludeList {
    private CtapTestClient.Response excluding(Bytes id, boolean uv) {
      Map<Object, Object> p = dev.softkey.core.testing.CtapTestClient.makeCredential(ExtensionKey.RP, new byte[] {9}, List.of(-7L), null);
      p.put(5L, List.of(map("id", id, "type", "public-key")));
      if (uv) {
        p.put(8L, key.token(Permission.MAKE_CREDENTIAL, ExtensionKey.RP).authenticate(((Bytes) p.get(1L)).toArray()));
        p.put(9L, 2L);
      }
      return key.dev.client().send(CtapCommand.MAKE_CREDENTIAL, p);
    }

    @Test
    void step12_1_userVerificationRequired_doesNotExcludeWithoutUv_butDoesWithUv() {
      key.withPin();
      Bytes id = credentialId(key.mc(new byte[] {1}, false, credProtect(3L), false).ok());
      assertThat(excluding(id, false).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(excluding(id, true).status()).isEqualTo(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }

    @Test
    void step12_withCredentialIdList_isFoundThroughTheList_withoutUv() {
      Bytes id = credentialId(key.mc(new byte[] {1}, true, credProtect(2L), false).ok());
      assertThat(excluding(id, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }
  }

  /** authenticatorCredentialManagement enumerateCredentials member credProtect (0x0A). */
  @Nested
  class CredentialManagement {
    private CborMap enumerate() {
      return enumerate(key);
    }

    private CborMap enumerate(ExtensionKey key) {
      PinToken t = key.pin.getPinUvAuthToken(ExtensionKey.PIN, java.util.Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty());
      CredentialManagementRequest r =
          CredentialManagementRequest.of(SubCommand.ENUMERATE_CREDENTIALS_BEGIN)
              .withSubCommandParams(SubCommandParams.ofRpIdHash(PublicKeyCredentialRpEntity.idHash(ExtensionKey.RP)));
      r = r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().unsafeArray()));
      return key.dev.client().sendRaw(r.encode()).ok();
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(longs = {1, 2, 3})
    void enumerateCredentials_reportsTheLevel(long level) {
      key.withPin();
      key.mc(new byte[] {1}, true, credProtect(level), true).ok();
      assertThat(enumerate().longValue(0x0A)).isEqualTo(level);
    }

    /**
     * The members a YubiKey answers to enumerateCredentialsBegin for a credential made without
     * credProtect: user, credentialID, publicKey, totalCredentials and credProtect 1 (libfido2
     * fuzz/wiredata_fido2.h WIREDATA_CTAP_CBOR_CREDMAN_RKLIST reply 1, testvector credman-rk-1).
     */
    @Test
    void enumerateCredentialsBegin_answersTheMembersAYubiKeyAnswers() {
      CborMap yubikey = dev.softkey.ctap.cbor.CborDecoder.decodeMap(
          dev.softkey.testvectors.Ctap2Vectors.message(dev.softkey.testvectors.Ctap2Vectors.LIBFIDO2_RESPONSES, "credman-rk-1"));
      // a model without thirdPartyPayment (its member 0x0C is CTAP 2.2, newer than that key)
      Profile p = Profiles.defaultProfile();
      ExtensionKey k =
          new ExtensionKey(p.toBuilder().extensionIdentifiers(p.extensions().identifiers().stream().filter(e -> !e.equals("thirdPartyPayment")).toList()).build())
              .withPin();
      k.mc(new byte[] {1}, true, null, true).ok();
      CborMap ours = enumerate(k);
      assertThat(ours.asMap().keySet()).isEqualTo(yubikey.asMap().keySet());
      assertThat(ours.longValue(0x0A)).isEqualTo(yubikey.longValue(0x0A)).isEqualTo(1);
    }

    @Test
    void withoutInput_theLevelIsUserVerificationOptional() {
      key.withPin();
      key.mc(new byte[] {1}, true, null, true).ok();
      assertThat(enumerate().longValue(0x0A)).isEqualTo(1);
    }
  }

  @Test
  void level_ofAState() {
    assertThat(CredProtectExtension.level(Optional.empty())).isEqualTo(1);
    assertThat(CredProtectExtension.level(Optional.of(Bytes.wrap(new byte[] {2})))).isEqualTo(2);
    assertThat(CredProtectExtension.level(Optional.of(Bytes.wrap(new byte[] {3})))).isEqualTo(3);
    // a state that is not a level is treated as the strictest, never as unprotected
    assertThat(CredProtectExtension.level(Optional.of(Bytes.wrap(new byte[] {7, 7})))).isEqualTo(3);
  }
}
