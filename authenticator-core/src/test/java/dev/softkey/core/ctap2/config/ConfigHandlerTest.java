package dev.softkey.core.ctap2.config;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.ConfigState;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ConfigRequest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.config.PlatformConfig;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * authenticatorConfig (CTAP 2.1 section 6.11) and its effects, through the platform clients
 * (PlatformPin for tokens, PlatformConfig for the command) against an in-memory authenticator.
 */
class ConfigHandlerTest {
  static final String PIN = "493817";

  /** One device with the platform's PIN and config clients in front of it. */
  static final class Key {
    final Device dev;
    final Function<byte[], byte[]> transport;
    final PlatformPin pin;
    final PlatformConfig config;

    Key(Profile profile) {
      this(TestDevices.build(Authenticator.builder().profile(profile)));
    }

    Key(Device dev) {
      this.dev = dev;
      this.transport = req -> dev.authenticator().process(req, OperationContext.INTERNAL);
      this.pin = new PlatformPin(transport, 2, RandomSource.seeded(7));
      this.config = new PlatformConfig(transport);
    }

    PinToken acfg() {
      return pin.getPinUvAuthToken(PIN, Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty());
    }

    CborMap info() {
      return dev.client().send(CtapCommand.GET_INFO, null).ok();
    }

    Map<Object, Object> options() {
      return info().map(0x04).asMap();
    }

    CtapTestClient.Response send(Map<Object, Object> params) {
      return dev.client().send(CtapCommand.CONFIG, params);
    }

    CtapTestClient.Response mc(String rpId, Map<Object, Object> options) {
      return dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential(rpId, new byte[] {1}, List.of(-7L), options));
    }

    /** makeCredential with a pinUvAuthParam from an mc token for rpId. */
    CtapTestClient.Response mcWithToken(String rpId, Map<Object, Object> options) {
      PinToken t = pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of(rpId));
      Map<Object, Object> p = makeCredential(rpId, new byte[] {1}, List.of(-7L), options);
      p.put(8L, t.authenticate(((Bytes) p.get(1L)).toArray()));
      p.put(9L, (long) t.protocol());
      return dev.client().send(CtapCommand.MAKE_CREDENTIAL, p);
    }
  }

  static void assertStatus(ThrowingCallable call, CtapStatus status) {
    assertThatThrownBy(call).isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  static Profile generic() {
    return Profiles.defaultProfile();
  }

  @Nested
  class Support {
    @Test
    void getInfo_reportsAuthnrCfgAlwaysUvSetMinPinLengthEpAndMaxRpIds() {
      Key k = new Key(generic());
      assertThat(k.options())
          .containsEntry("authnrCfg", true)
          .containsEntry("alwaysUv", false)
          .containsEntry("setMinPINLength", true)
          .containsEntry("ep", false)
          .containsEntry("makeCredUvNotRqd", true);
      assertThat(k.info().longValue(0x10)).isEqualTo(4); // maxRPIDsForSetMinPINLength
      assertThat(k.info().longValue(0x0D)).isEqualTo(4); // minPINLength
      assertThat(k.info().optBool(0x0C)).contains(false); // forcePINChange
    }

    @Test
    void modelWithoutConfig_answersInvalidCommand_andRefusesTheAcfgPermission() {
      // Nitrokey 3: a CTAP 2.1 model (pinUvAuthToken, so 0x09 asks for permissions) without authenticatorConfig.
      Key k = new Key(Profiles.builtIn("nitrokey-3").orElseThrow());
      assertThat(k.options()).doesNotContainKeys("authnrCfg", "alwaysUv", "setMinPINLength", "ep");
      assertThat(k.send(map(1L, 2L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      k.pin.setPin(PIN);
      assertStatus(k::acfg, CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION);
    }

    @Test
    void modelWithoutEnterpriseAttestation_hasNoEpOption() {
      Key k = new Key(Profiles.builtIn("bio").orElseThrow());
      assertThat(k.options()).containsEntry("authnrCfg", true).doesNotContainKey("ep");
      assertThat(k.info().longValue(0x10)).isEqualTo(1);
    }
  }

  /** Step 1: who may configure. */
  @Nested
  class Step1Authentication {
    @Test
    void notProtected_alwaysUvFalse_runsWithoutToken() {
      Key k = new Key(generic());
      k.config.setMinPinLength(Optional.empty(), Optional.of(6), List.of(), false);
      assertThat(k.info().longValue(0x0D)).isEqualTo(6);
    }

    @Test
    void step1_1_protectedByPin_noPinUvAuthParam_returnsPuatRequired() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      assertStatus(() -> k.config.toggleAlwaysUv(Optional.empty()), CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      assertThat(k.options()).containsEntry("alwaysUv", false);
    }

    @Test
    void step1_2_noPinUvAuthProtocol_returnsMissingParameter() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      assertThat(k.send(map(1L, 2L, 4L, new byte[32])).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void step1_3_unsupportedProtocol_returnsInvalidParameter() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      assertThat(k.send(map(1L, 2L, 3L, 9L, 4L, new byte[32])).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step1_4_wrongPinUvAuthParam_returnsPinAuthInvalid() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      k.acfg();
      assertThat(k.send(map(1L, 2L, 3L, 2L, 4L, new byte[32])).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void step1_4_paramOverOtherSubCommandParams_returnsPinAuthInvalid() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      PinToken t = k.acfg();
      ConfigRequest signed = ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.of(6L), List.of(), Optional.empty()));
      Bytes param = t.authenticate(signed.pinUvAuthMessage().toArray());
      // The same pinUvAuthParam on newMinPINLength 8.
      assertThat(k.send(map(1L, 3L, 2L, map(1L, 8L), 3L, 2L, 4L, param)).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(k.send(map(1L, 3L, 2L, map(1L, 6L), 3L, 2L, 4L, param)).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.info().longValue(0x0D)).isEqualTo(6);
    }

    @Test
    void step1_4_libfido2sEmptySubCommandParams_areAuthenticatedAsReceived() {
      // libfido2's config_tx sends subCommandParams {} (A0) for toggleAlwaysUv when it has a PIN,
      // and MACs 32×0xff || 0d || 02 || A0.
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      PinToken t = k.acfg();
      byte[] message = new byte[35];
      java.util.Arrays.fill(message, 0, 32, (byte) 0xff);
      message[32] = 0x0d;
      message[33] = 0x02;
      message[34] = (byte) 0xA0;
      assertThat(k.send(map(1L, 2L, 2L, map(), 3L, 2L, 4L, t.authenticate(message))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.options()).containsEntry("alwaysUv", true);
    }

    @Test
    void step1_5_tokenWithoutAcfg_returnsPinAuthInvalid() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      PinToken mc = k.pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com"));
      assertStatus(() -> k.config.toggleAlwaysUv(Optional.of(mc)), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(k.options()).containsEntry("alwaysUv", false);
    }

    @Test
    void acfgToken_isAccepted_forEverySubcommand() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      PinToken t = k.acfg();
      k.config.enableEnterpriseAttestation(Optional.of(t));
      k.config.toggleAlwaysUv(Optional.of(t));
      k.config.setMinPinLength(Optional.of(t), Optional.of(6), List.of("example.com"), false);
      assertThat(k.options()).containsEntry("ep", true).containsEntry("alwaysUv", true);
      assertThat(k.info().longValue(0x0D)).isEqualTo(6);
    }

    @Test
    void alwaysUvWithoutPin_otherSubcommandsNeedAToken_butToggleAlwaysUvDoesNot() {
      Key k = new Key(generic());
      k.config.toggleAlwaysUv(Optional.empty());
      assertStatus(() -> k.config.enableEnterpriseAttestation(Optional.empty()), CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.options()).containsEntry("alwaysUv", false);
    }
  }

  @Nested
  class Step2Dispatch {
    @Test
    void unknownSubCommand_returnsInvalidSubcommand_beforeAnyPinCheck() {
      Key k = new Key(generic());
      assertThat(k.send(map(1L, 0x07L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
      k.config.toggleAlwaysUv(Optional.empty()); // alwaysUv on: every other subcommand needs a token
      assertThat(k.send(map(1L, 0x07L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }

    @Test
    void vendorPrototype_notSupported_returnsInvalidParameter() {
      Key k = new Key(generic());
      assertThat(k.send(map(1L, 0xFFL, 2L, map(1L, 1L))).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void missingSubCommand_returnsMissingParameter() {
      Key k = new Key(generic());
      assertThat(k.send(map(3L, 2L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }
  }

  /** Section 6.11.2. */
  @Nested
  class EnableEnterpriseAttestation {
    @Test
    void enables_epTrue_andStaysEnabledWhenSentAgain() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      k.config.enableEnterpriseAttestation(Optional.empty());
      assertThat(k.options()).containsEntry("ep", true);
    }

    @Test
    void notEnterpriseAttestationCapable_returnsInvalidParameter() {
      Key k = new Key(Profiles.builtIn("bio").orElseThrow());
      // The bio key's enrolled finger protects it: the token comes from built-in UV.
      PinToken t = k.pin.getUvToken(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty());
      assertStatus(() -> k.config.enableEnterpriseAttestation(Optional.of(t)), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }
  }

  /** Section 6.11.3 and where alwaysUv takes effect. */
  @Nested
  class ToggleAlwaysUv {
    @Test
    void toggles_andMakeCredUvNotRqdIsFalseWhileOn() {
      Key k = new Key(generic());
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.options()).containsEntry("alwaysUv", true).containsEntry("makeCredUvNotRqd", false);
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.options()).containsEntry("alwaysUv", false).containsEntry("makeCredUvNotRqd", true);
    }

    @Test
    void section7_2_4_u2fIsDisabledWhileOn_andU2fV2LeavesVersions() {
      Key k = new Key(generic());
      byte[] version = {0x00, 0x03, 0x00, 0x00, 0x00};
      assertThat(k.dev.authenticator().processU2f(version, OperationContext.INTERNAL)).endsWith(0x90, 0x00);
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.dev.authenticator().processU2f(version, OperationContext.INTERNAL)).containsExactly(0x6D, 0x00);
      assertThat(k.info().list(0x01)).doesNotContain("U2F_V2").contains("FIDO_2_1");
    }

    @Test
    void makeCredentialStep6_2_notProtected_returnsPuatRequired() {
      Key k = new Key(generic());
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.mc("example.com", null).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    }

    @Test
    void makeCredentialStep6_4_noPinUvAuthParam_evenNonDiscoverable_returnsPuatRequired() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      // Without alwaysUv, makeCredUvNotRqd lets a non-discoverable credential be made without UV.
      assertThat(k.mc("example.com", null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      k.config.toggleAlwaysUv(Optional.of(k.acfg()));
      assertThat(k.mc("example.com", null).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      CborMap r = k.mcWithToken("example.com", null).ok();
      assertThat(r.bytes(2).toArray()[32] & 0x04).isEqualTo(0x04); // UV
    }

    @Test
    void makeCredentialStep6_3_builtInUv_satisfiesAlwaysUv() {
      Key k = new Key(Profiles.builtIn("bio").orElseThrow());
      // Protected by built-in UV (an enrolled finger), so config needs a token, from built-in UV.
      assertStatus(() -> k.config.toggleAlwaysUv(Optional.empty()), CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      k.config.toggleAlwaysUv(Optional.of(k.pin.getUvToken(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty())));
      assertThat(k.mc("example.com", null).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      CborMap r = k.mc("example.com", map("uv", true)).ok();
      assertThat(r.bytes(2).toArray()[32] & 0x04).isEqualTo(0x04);
    }

    @Test
    void getAssertionStep5_upTrue_needsUv_butSilentUpFalseProbeIsAllowed() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      CborMap made = k.mcWithToken("example.com", null).ok();
      byte[] ad = made.bytes(2).toArray();
      Bytes id = Bytes.of(ad, 55, ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF));
      k.config.toggleAlwaysUv(Optional.of(k.acfg()));
      assertThat(k.dev.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(id), null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      assertThat(k.dev.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(id), map("up", false))).status())
          .isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void getAssertionStep5_1_notProtected_returnsPuatRequired() {
      Key k = new Key(generic());
      CborMap made = k.mc("example.com", null).ok();
      byte[] ad = made.bytes(2).toArray();
      Bytes id = Bytes.of(ad, 55, ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF));
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.dev.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(id), null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    }
  }

  /** Section 6.11.4. */
  @Nested
  class SetMinPinLength {
    @Test
    void increases_andGetInfoReportsIt() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      k.config.setMinPinLength(Optional.of(k.acfg()), Optional.of(6), List.of(), false);
      assertThat(k.info().longValue(0x0D)).isEqualTo(6);
      assertThat(k.info().optBool(0x0C)).contains(false); // the 6-digit PIN still fits
    }

    @Test
    void decrease_returnsPinPolicyViolation() {
      Key k = new Key(generic());
      k.config.setMinPinLength(Optional.empty(), Optional.of(8), List.of(), false);
      assertStatus(() -> k.config.setMinPinLength(Optional.empty(), Optional.of(7), List.of(), false), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertThat(k.info().longValue(0x0D)).isEqualTo(8);
    }

    @Test
    void moreThan63_returnsPinPolicyViolation() {
      Key k = new Key(generic());
      assertStatus(() -> k.config.setMinPinLength(Optional.empty(), Optional.of(64), List.of(), false), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }

    @Test
    void tooManyRpIds_returnsKeyStoreFull_andChangesNothing() {
      Key k = new Key(generic());
      List<String> five = List.of("a.example", "b.example", "c.example", "d.example", "e.example");
      assertStatus(() -> k.config.setMinPinLength(Optional.empty(), Optional.of(6), five, false), CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      assertThat(k.info().longValue(0x0D)).isEqualTo(4);
    }

    @Test
    void rpIds_areKeptForTheMinPinLengthExtension_andReplacedByTheNextList() {
      Key k = new Key(generic());
      k.config.setMinPinLength(Optional.empty(), Optional.empty(), List.of("a.example", "b.example"), false);
      assertThat(ConfigState.minPinLengthRpIds(generic(), k.dev.store())).containsExactly("a.example", "b.example");
      k.config.setMinPinLength(Optional.empty(), Optional.empty(), List.of("c.example"), false);
      assertThat(ConfigState.minPinLengthRpIds(generic(), k.dev.store())).containsExactly("c.example");
    }

    @Test
    void noSubCommandParams_returnsMissingParameter() {
      Key k = new Key(generic());
      assertThat(k.send(map(1L, 3L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void forceChangePinWithoutPin_returnsPinNotSet() {
      Key k = new Key(generic());
      assertStatus(() -> k.config.setMinPinLength(Optional.empty(), Optional.empty(), List.of(), true), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    }

    @Test
    void pinShorterThanNewMinimum_setsForcePinChange() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      k.config.setMinPinLength(Optional.of(k.acfg()), Optional.of(8), List.of(), false);
      assertThat(k.info().optBool(0x0C)).contains(true);
      assertStatus(k::acfg, CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }

    @Test
    void forceChangePin_tokensRefusedUntilChangePin_whichEnforcesTheMinimumAndANewPin() {
      Key k = new Key(generic());
      k.pin.setPin(PIN);
      k.config.setMinPinLength(Optional.of(k.acfg()), Optional.of(6), List.of(), true);
      assertThat(k.info().optBool(0x0C)).contains(true);
      // getPinUvAuthTokenUsingPinWithPermissions step 11: CTAP2_ERR_PIN_POLICY_VIOLATION.
      assertStatus(() -> k.pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com")), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      // getPinToken step 11: CTAP2_ERR_PIN_INVALID.
      PlatformPin legacy = new PlatformPin(k.transport, 1, false, RandomSource.seeded(8));
      assertStatus(() -> legacy.getPinToken(PIN), CtapStatus.CTAP2_ERR_PIN_INVALID);
      // changePIN step 13: the same PIN again is a policy violation; steps 11-12: too short too.
      assertStatus(() -> k.pin.changePin(PIN, PIN), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertStatus(() -> k.pin.changePin(PIN, "12345"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      k.pin.changePin(PIN, "720394");
      assertThat(k.info().optBool(0x0C)).contains(false);
      assertThat(k.pin.getPinUvAuthToken("720394", Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com"))).isNotNull();
    }

    @Test
    void setPin_enforcesTheConfiguredMinimum() {
      Key k = new Key(generic());
      k.config.setMinPinLength(Optional.empty(), Optional.of(8), List.of(), false);
      assertStatus(() -> k.pin.setPin("1234567"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      k.pin.setPin("12345678");
    }

    @Test
    void modelWithoutTheSubcommand_returnsInvalidParameter() {
      Profile p =
          generic().toBuilder()
              .management(new Profile.Management(true, Optional.of(new Profile.Config(false, false, 0)), Optional.empty(), Optional.empty()))
              // the minPinLength extension needs setMinPINLength (Profile.validate)
              .extensionIdentifiers(generic().extensions().identifiers().stream().filter(e -> !e.equals("minPinLength")).toList())
              .build();
      Key k = new Key(p);
      assertThat(k.options()).doesNotContainKey("setMinPINLength");
      assertThat(k.info().opt(0x10)).isEmpty();
      assertStatus(() -> k.config.setMinPinLength(Optional.empty(), Optional.of(6), List.of(), false), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }
  }

  /** Persistence and authenticatorReset. */
  @Nested
  class State {
    @Test
    void survivesARestartOnTheSameStore() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      k.config.toggleAlwaysUv(Optional.empty());
      Authenticator again = Authenticator.builder().profile(generic()).store(k.dev.store()).seed(3).build();
      CborMap info = new CtapTestClient(again).send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.map(0x04).asMap()).containsEntry("alwaysUv", true).containsEntry("ep", true);
    }

    @Test
    void authenticatorReset_disablesEp_restoresAlwaysUv_andForgetsRpIdsAndMinimum() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      k.config.setMinPinLength(Optional.empty(), Optional.of(8), List.of("a.example"), false);
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.options()).containsEntry("alwaysUv", true).containsEntry("ep", true);
      assertThat(k.dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.options()).containsEntry("alwaysUv", false).containsEntry("ep", false);
      assertThat(k.info().longValue(0x0D)).isEqualTo(4);
      assertThat(ConfigState.minPinLengthRpIds(generic(), k.dev.store())).isEmpty();
      assertThat(k.dev.store().get("config")).isEmpty();
    }

    @Test
    void authenticatorReset_restoresAnAlwaysUvModelToAlwaysUv() {
      Profile p =
          generic().toBuilder()
              .management(new Profile.Management(true, Optional.of(new Profile.Config(true, true, 4)), generic().management().enterpriseAttestation(), Optional.empty()))
              .build();
      Key k = new Key(p);
      assertThat(k.options()).containsEntry("alwaysUv", true).containsEntry("makeCredUvNotRqd", false);
      k.config.toggleAlwaysUv(Optional.empty());
      assertThat(k.options()).containsEntry("alwaysUv", false);
      k.dev.client().send(CtapCommand.RESET, null).ok();
      assertThat(k.options()).containsEntry("alwaysUv", true);
    }
  }

  /** makeCredential step 9 and the epAtt member (CTAP 2.1 sections 6.1.2 and 7.1). */
  @Nested
  class MakeCredentialStep9 {
    private CtapTestClient.Response mcEa(Key k, String rpId, long mode) {
      Map<Object, Object> p = makeCredential(rpId, new byte[] {1}, List.of(-7L), null);
      p.put(0x0AL, mode);
      return k.dev.client().send(CtapCommand.MAKE_CREDENTIAL, p);
    }

    @Test
    void step9_1_capableButDisabled_returnsInvalidParameter() {
      Key k = new Key(generic());
      assertThat(mcEa(k, "example.com", 2).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step9_1_notCapable_returnsInvalidParameter() {
      Key k = new Key(Profiles.builtIn("yubikey-5").orElseThrow());
      assertThat(mcEa(k, "example.com", 1).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step9_invalidValue_returnsInvalidParameter() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      assertThat(mcEa(k, "example.com", 0).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
      assertThat(mcEa(k, "example.com", 3).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step9_mode2_anyRp_epAttTrue_withTheEnterpriseCertificate() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      CborMap r = mcEa(k, "example.com", 2).ok();
      assertThat(r.optBool(0x04)).contains(true);
      assertThat(r.text(1)).isEqualTo("packed");
      Bytes x5c = (Bytes) r.map(3).list("x5c").get(0);
      CborMap plain = k.mc("example.com", null).ok();
      assertThat(plain.opt(0x04)).isEmpty();
      assertThat(plain.map(3).list("x5c").get(0)).isNotEqualTo(x5c); // batch vs enterprise certificate
    }

    @Test
    void step9_mode1_onlyForTheVendorsRpIds() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      assertThat(mcEa(k, "enterprise.softkey.test", 1).ok().optBool(0x04)).contains(true);
      CborMap other = mcEa(k, "example.com", 1).ok();
      assertThat(other.opt(0x04)).isEmpty();
      assertThat(other.map(3).list("x5c")).hasSize(2); // the usual batch attestation: [batch, intermediate]
    }

    @Test
    void step9_mode2_onAModelWithoutPlatformManagedMode_givesTheUsualAttestation() {
      Profile vendorOnly =
          generic().toBuilder()
              .management(new Profile.Management(true, generic().management().config(),
                  Optional.of(new Profile.EnterpriseAttestation(List.of("enterprise.softkey.test"), false)), Optional.empty()))
              .build();
      Key k = new Key(vendorOnly);
      k.config.enableEnterpriseAttestation(Optional.empty());
      assertThat(mcEa(k, "example.com", 2).ok().opt(0x04)).isEmpty();
    }

    @Test
    void afterReset_enterpriseAttestationIsDisabledAgain() {
      Key k = new Key(generic());
      k.config.enableEnterpriseAttestation(Optional.empty());
      k.dev.client().send(CtapCommand.RESET, null).ok();
      assertThat(mcEa(k, "example.com", 2).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }
  }
}
