package dev.softkey.core.control;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CoseKeys;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * DeviceControl driving the real engine with CTAP bytes: injected credentials sign getAssertions
 * that the JDK verifies, removed ones answer CTAP2_ERR_NO_CREDENTIALS, BE/BS, UV verdicts, PIN
 * state, response overrides and credential events.
 */
class DeviceControlTest {
  private static final String RP = "example.com";
  private static final Bytes ID = Bytes.fromHex("0102030405060708");
  private static final Bytes USER = Bytes.fromHex("aabbcc");

  private final Device dev = TestDevices.generic();
  private final DeviceControl control = dev.authenticator().control();

  // ---------------------------------------------------------------- helpers

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static VirtualCredential credential(Bytes id, boolean resident, KeyPair kp, Optional<Bytes> user, long signCount) {
    return new VirtualCredential(
        id, resident, RP, Bytes.wrap(kp.getPrivate().getEncoded()), user, signCount, false, false, Optional.of("alice"),
        Optional.of("Alice"), CoseAlgorithm.ES256);
  }

  private static CtapTestClient.Response ga(Device d, List<Bytes> allow) {
    return d.client().send(CtapCommand.GET_ASSERTION, getAssertion(RP, allow, null));
  }

  private static CtapTestClient.Response mc(Device d, boolean rk, Map<Object, Object> extra) {
    Map<Object, Object> options = rk ? map("rk", true) : null;
    Map<Object, Object> req = makeCredential(RP, new byte[] {9, 9}, List.of(-7L), options);
    if (extra != null) {
      req.putAll(extra);
    }
    return d.client().send(CtapCommand.MAKE_CREDENTIAL, req);
  }

  /** The ID a makeCredential response attests. */
  private static Bytes attestedId(CborMap mcResponse) {
    byte[] ad = mcResponse.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return Bytes.of(ad, 55, len);
  }

  private static CborMap attestedKey(CborMap mcResponse) {
    byte[] ad = mcResponse.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return (CborMap) CborDecoder.decodePrefix(ad, 55 + len).value();
  }

  private static boolean verifies(PublicKey pub, CborMap gaResponse, Map<Object, Object> req) throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pub);
    v.update(gaResponse.bytes(2).toArray());
    v.update(((Bytes) req.get(2L)).toArray());
    return v.verify(gaResponse.bytes(3).toArray());
  }

  private static int flags(CborMap r, int authDataKey) {
    return r.bytes(authDataKey).toArray()[32] & 0xFF;
  }

  private static long counter(CborMap r) {
    byte[] ad = r.bytes(2).toArray();
    return ((ad[33] & 0xFFL) << 24) | ((ad[34] & 0xFF) << 16) | ((ad[35] & 0xFF) << 8) | (ad[36] & 0xFF);
  }

  // ---------------------------------------------------------------- credentials

  @Nested
  class Credentials {
    @Test
    void injectedNonResident_signsAnAssertionTheJdkVerifies() throws Exception {
      KeyPair kp = p256();
      control.addCredential(credential(ID, false, kp, Optional.empty(), 41));
      Map<Object, Object> req = getAssertion(RP, List.of(Bytes.fromHex("ffff"), ID), null);
      CborMap r = dev.client().send(CtapCommand.GET_ASSERTION, req).ok();
      assertThat(CborMap.asMap(r.opt(1).orElseThrow()).bytes("id")).isEqualTo(ID);
      assertThat(verifies(kp.getPublic(), r, req)).isTrue();
      assertThat(counter(r)).as("signCount 41 advanced").isEqualTo(42);
      assertThat(control.credential(ID).orElseThrow().signCount()).isEqualTo(42);
      // Another RP does not see it (the sealed key opens only under its RP ID hash).
      assertThat(dev.client().send(CtapCommand.GET_ASSERTION, getAssertion("other.example", List.of(ID), null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void injectedResident_isFoundWithoutAllowList_withItsUser() throws Exception {
      KeyPair kp = p256();
      control.addCredential(credential(ID, true, kp, Optional.of(USER), 0));
      Map<Object, Object> req = getAssertion(RP, null, null);
      CborMap r = dev.client().send(CtapCommand.GET_ASSERTION, req).ok();
      assertThat(CborMap.asMap(r.opt(1).orElseThrow()).bytes("id")).isEqualTo(ID);
      assertThat(CborMap.asMap(r.opt(4).orElseThrow()).bytes("id")).isEqualTo(USER);
      assertThat(verifies(kp.getPublic(), r, req)).isTrue();
      // And with an allowList naming it.
      Map<Object, Object> req2 = getAssertion(RP, List.of(ID), null);
      assertThat(verifies(kp.getPublic(), dev.client().send(CtapCommand.GET_ASSERTION, req2).ok(), req2)).isTrue();
      assertThat(dev.store().find(ID)).isPresent();
    }

    @Test
    void injectedCredential_isExcludedByMakeCredential() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Map<Object, Object> exclude = map(5, List.of(map("id", ID, "type", "public-key")));
      assertThat(mc(dev, false, exclude).status()).isEqualTo(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
      control.removeCredential(ID);
      assertThat(mc(dev, false, exclude).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void credentials_listsStoredInjectedAndDeviceMade_withPkcs8ThatIsTheirKey() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      CborMap resident = mc(dev, true, null).ok();
      CborMap nonResident = mc(dev, false, null).ok();
      List<VirtualCredential> all = control.credentials();
      assertThat(all).extracting(VirtualCredential::credentialId)
          .containsExactlyInAnyOrder(ID, attestedId(resident), attestedId(nonResident));
      VirtualCredential made = control.credential(attestedId(nonResident)).orElseThrow();
      assertThat(made.residentCredential()).isFalse();
      assertThat(made.rpId()).isEqualTo(RP);
      // The exported key is the attested one.
      Pkcs8.Decoded d = Pkcs8.decode(made.privateKeyPkcs8());
      CborMap cose =
          CborDecoder.decodeMap(CborEncoder.encode(CredentialKey.fromPrivateEncoding(d.algorithm(), d.privateKey()).cosePublicKey()));
      assertThat(cose).isEqualTo(attestedKey(nonResident));
      VirtualCredential rk = control.credential(attestedId(resident)).orElseThrow();
      assertThat(rk.residentCredential()).isTrue();
      assertThat(rk.userHandle()).contains(Bytes.wrap(new byte[] {9, 9}));
      // No key material in toString.
      assertThat(made.toString()).doesNotContain(made.privateKeyPkcs8().base64Url()).doesNotContain(made.privateKeyPkcs8().hex());
    }

    @Test
    void removed_answersNoCredentials_forEveryKind() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      Bytes made = attestedId(mc(dev, false, null).ok());
      for (Bytes id : List.of(ID, rk, made)) {
        assertThat(ga(dev, List.of(id)).status()).isEqualTo(CtapStatus.CTAP2_OK);
        assertThat(control.removeCredential(id)).isTrue();
        assertThat(ga(dev, List.of(id)).status()).as("after removal").isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
        assertThat(control.removeCredential(id)).isFalse();
      }
      assertThat(control.credentials()).isEmpty();
    }

    @Test
    void clear_removesEverything() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      Bytes made = attestedId(mc(dev, false, null).ok());
      control.clearCredentials();
      assertThat(control.credentials()).isEmpty();
      assertThat(ga(dev, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      for (Bytes id : List.of(ID, rk, made)) {
        assertThat(ga(dev, List.of(id)).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      }
    }

    @Test
    void injected_survivesARestartOnTheSameStore_withItsKeySealed() throws Exception {
      MemoryStore store = new MemoryStore();
      KeyPair kp = p256();
      Authenticator first = Authenticator.builder().store(store).seed(1).build();
      first.control().addCredential(credential(ID, false, kp, Optional.empty(), 5));
      Bytes scalar = Pkcs8.decode(Bytes.wrap(kp.getPrivate().getEncoded())).privateKey();
      Bytes record = store.get(ControlState.STORE_KEY).orElseThrow();
      assertThat(record.hex()).as("the key is sealed at rest").doesNotContain(scalar.hex());

      Authenticator second = Authenticator.builder().store(store).seed(2).build();
      CtapTestClient client = new CtapTestClient(second);
      Map<Object, Object> req = getAssertion(RP, List.of(ID), null);
      CborMap r = client.send(CtapCommand.GET_ASSERTION, req).ok();
      assertThat(verifies(kp.getPublic(), r, req)).isTrue();
      assertThat(counter(r)).isEqualTo(6);
    }

    @Test
    void badInput_isIllegalArgument_andChangesNothing() throws Exception {
      KeyPair kp = p256();
      assertThatThrownBy(() -> control.addCredential(credential(ID, true, kp, Optional.empty(), 0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userHandle");
      assertThatThrownBy(() -> control.addCredential(credential(Bytes.EMPTY, false, kp, Optional.empty(), 0)))
          .isInstanceOf(IllegalArgumentException.class);
      VirtualCredential wrongAlg =
          new VirtualCredential(ID, false, RP, Bytes.wrap(kp.getPrivate().getEncoded()), Optional.empty(), 0, false, false,
              Optional.empty(), Optional.empty(), CoseAlgorithm.EDDSA);
      assertThatThrownBy(() -> control.addCredential(wrongAlg)).isInstanceOf(IllegalArgumentException.class);
      VirtualCredential garbage =
          new VirtualCredential(ID, false, RP, Bytes.fromHex("3000"), Optional.empty(), 0, false, false, Optional.empty(),
              Optional.empty(), CoseAlgorithm.ES256);
      assertThatThrownBy(() -> control.addCredential(garbage)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> control.setCredentialProperties(ID, Optional.of(true), Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(control.credentials()).isEmpty();
    }

    @Test
    void residentOnAModelWithoutResidentKeys_isRefused() throws Exception {
      String json = Profiles.toJson(Profiles.defaultProfile());
      assertThat(json).contains("\"rk\": true");
      Profile noRk = Profiles.parse(json.replace("\"rk\": true", "\"rk\": false"), "no-rk.json");
      Authenticator a = Authenticator.builder().profile(noRk).seed(3).build();
      assertThatThrownBy(() -> a.control().addCredential(credential(ID, true, p256(), Optional.of(USER), 0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resident");
      // A non-resident one is fine there.
      a.control().addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      assertThat(a.control().credentials()).hasSize(1);
    }
  }

  // ---------------------------------------------------------------- flags and overrides

  @Nested
  class FlagsAndOverrides {
    @Test
    void credentialProperties_areTheFlagsOfTheNextAssertion() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      Bytes made = attestedId(mc(dev, false, null).ok());
      for (Bytes id : List.of(ID, rk, made)) {
        int before = flags(ga(dev, List.of(id)).ok(), 2);
        assertThat(before & (AuthenticatorData.BE | AuthenticatorData.BS)).isZero();
        control.setCredentialProperties(id, Optional.of(true), Optional.of(true));
        int after = flags(ga(dev, List.of(id)).ok(), 2);
        assertThat(after & (AuthenticatorData.BE | AuthenticatorData.BS)).isEqualTo(AuthenticatorData.BE | AuthenticatorData.BS);
        control.setCredentialProperties(id, Optional.empty(), Optional.of(false));
        assertThat(flags(ga(dev, List.of(id)).ok(), 2) & (AuthenticatorData.BE | AuthenticatorData.BS)).isEqualTo(AuthenticatorData.BE);
        assertThat(control.credential(id).orElseThrow().backupEligible()).isTrue();
      }
    }

    @Test
    void bogusSignature_isOneZeroByte_inAssertionAndAttestation() {
      Bytes id = attestedId(mc(dev, false, null).ok());
      control.setResponseOverrides(new ResponseOverrides(true, false, false));
      assertThat(ga(dev, List.of(id)).ok().bytes(3)).isEqualTo(Bytes.wrap(new byte[] {0}));
      CborMap att = mc(dev, false, null).ok();
      assertThat(att.text(1)).isEqualTo("packed");
      assertThat(att.map(3).bytes("sig")).isEqualTo(Bytes.wrap(new byte[] {0}));
      control.setResponseOverrides(ResponseOverrides.NONE);
      assertThat(ga(dev, List.of(id)).ok().bytes(3).length()).isGreaterThan(8);
      assertThat(control.responseOverrides()).isEqualTo(ResponseOverrides.NONE);
    }

    @Test
    void badUp_clearsUp_inMakeCredentialAndGetAssertion() {
      Bytes id = attestedId(mc(dev, false, null).ok());
      assertThat(flags(ga(dev, List.of(id)).ok(), 2) & AuthenticatorData.UP).isNotZero();
      control.setResponseOverrides(new ResponseOverrides(false, false, true));
      assertThat(flags(ga(dev, List.of(id)).ok(), 2) & AuthenticatorData.UP).isZero();
      assertThat(flags(mc(dev, false, null).ok(), 2) & AuthenticatorData.UP).isZero();
    }

    @Test
    void badUv_clearsUv() {
      Device bio = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("bio").orElseThrow()));
      DeviceControl c = bio.authenticator().control();
      CborMap made = mc(bio, false, map(7, map("uv", true))).ok();
      assertThat(flags(made, 2) & AuthenticatorData.UV).isNotZero();
      c.setResponseOverrides(new ResponseOverrides(false, true, false));
      assertThat(flags(mc(bio, false, map(7, map("uv", true))).ok(), 2) & AuthenticatorData.UV).isZero();
      CborMap r = bio.client().send(CtapCommand.GET_ASSERTION, getAssertion(RP, List.of(attestedId(made)), map("uv", true))).ok();
      assertThat(flags(r, 2) & AuthenticatorData.UV).isZero();
    }
  }

  // ---------------------------------------------------------------- UV and PIN

  @Nested
  class UserVerificationAndPin {
    private final Device bio = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("bio").orElseThrow()));
    private final DeviceControl c = bio.authenticator().control();

    private long uvRetries() {
      return bio.client().send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 7L)).ok().longValue(ClientPinResponse.UV_RETRIES);
    }

    private CtapTestClient.Response mcUv() {
      return mc(bio, false, map(7, map("uv", true)));
    }

    @Test
    void userVerifiedFalse_failsAsTheSensorDoes_andCostsRetries() {
      assertThat(mcUv().status()).isEqualTo(CtapStatus.CTAP2_OK);
      c.setUserVerified(false);
      assertThat(mcUv().status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(uvRetries()).as("three internal attempts failed").isEqualTo(8 - 3);
      c.setUserVerified(true);
      assertThat(mcUv().status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(uvRetries()).isEqualTo(8);
    }

    @Test
    void queuedResults_comeBeforeTheVerdict_onePerAttempt() {
      c.setUserVerified(false);
      c.queueUvResults(List.of(false, true));
      // One makeCredential: attempt 1 fails (queued false), attempt 2 succeeds (queued true).
      assertThat(mcUv().status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(mcUv().status()).as("the queue is used up: the verdict false").isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    }

    @Test
    void getPinUvAuthTokenUsingUv_followsTheVerdict_withUvInvalid() {
      PlatformPin platform =
          new PlatformPin(req -> bio.authenticator().process(req, OperationContext.INTERNAL), 2, RandomSource.seeded(6));
      Set<Permission> mc = Set.of(Permission.MAKE_CREDENTIAL);
      c.setUserVerified(false);
      assertThatThrownBy(() -> platform.getUvToken(mc, Optional.of(RP)))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UV_INVALID));
      assertThat(uvRetries()).isLessThan(8);
      c.setUserVerified(true);
      assertThat(platform.getUvToken(mc, Optional.of(RP))).isNotNull();
      assertThat(uvRetries()).isEqualTo(8);
    }

    @Test
    void verdictTrue_verifiesEvenAnUnknownFinger() {
      Device d = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("bio").orElseThrow()).finger(Fingers.unknown()));
      assertThat(mc(d, false, map(7, map("uv", true))).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      d.authenticator().control().setUserVerified(true);
      assertThat(mc(d, false, map(7, map("uv", true))).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void pinState_isSetDirectly_andCtapSeesIt() {
      assertThat(control.pinStatus()).isEqualTo(new PinStatus(false, 8, false));
      control.setPin("1234");
      assertThat(control.pinStatus()).isEqualTo(new PinStatus(true, 8, false));
      CborMap info = dev.client().send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.map(0x04L).optBool("clientPin")).contains(true);
      // Protected by a PIN now: makeCredential without pinUvAuthParam needs one (or makeCredUvNotRqd).
      control.setPinRetries(3);
      long retries =
          dev.client().send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 1L, ClientPinRequest.SUB_COMMAND, 1L))
              .ok().longValue(ClientPinResponse.PIN_RETRIES);
      assertThat(retries).isEqualTo(3);
      assertThatThrownBy(() -> control.setPinRetries(9)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> control.setPin("12")).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("12\"");
      control.clearPin();
      assertThat(control.pinStatus()).isEqualTo(new PinStatus(false, 8, false));
      assertThat(dev.client().send(CtapCommand.GET_INFO, null).ok().map(0x04L).optBool("clientPin")).contains(false);
    }

    @Test
    void setPin_isThePinClientPinChecks() {
      control.setPin("4321");
      // The platform side of clientPIN over the engine's bytes: the right PIN gets a token, a
      // wrong one costs a retry.
      PlatformPin platform =
          new PlatformPin(
              req -> dev.authenticator().process(req, OperationContext.INTERNAL), 2, RandomSource.seeded(5));
      assertThat(platform.getPinToken("4321")).isNotNull();
      assertThatThrownBy(() -> platform.getPinToken("0000")).isInstanceOf(RuntimeException.class);
      assertThat(control.pinStatus().retries()).isEqualTo(7);
    }
  }

  // ---------------------------------------------------------------- events

  @Nested
  class Events {
    private final List<CredentialEvent> events = new ArrayList<>();

    @Test
    void everyChange_isAnEvent_andAThrowingListenerIsIgnored() throws Exception {
      control.subscribe(e -> {
        throw new IllegalStateException("a broken listener");
      });
      AutoCloseable sub = control.subscribe(events::add);
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      Bytes made = attestedId(mc(dev, false, null).ok());
      CborMap r = ga(dev, List.of(made)).ok();
      control.setCredentialProperties(rk, Optional.of(true), Optional.empty());
      control.removeCredential(ID);
      assertThat(events).extracting(CredentialEvent::type).containsExactly(
          CredentialEvent.Type.ADDED, CredentialEvent.Type.ADDED, CredentialEvent.Type.ADDED, CredentialEvent.Type.ASSERTED,
          CredentialEvent.Type.UPDATED, CredentialEvent.Type.DELETED);
      assertThat(events).extracting(CredentialEvent::credentialId).containsExactly(ID, rk, made, made, rk, ID);
      assertThat(events.get(3).signCount()).isEqualTo(counter(r));
      assertThat(events.get(1).userHandle()).contains(Bytes.wrap(new byte[] {9, 9}));
      assertThat(events.get(4).backupEligible()).isTrue();
      sub.close();
      control.clearCredentials();
      assertThat(events).hasSize(6);
    }

    @Test
    void getNextAssertion_isAnAssertedEventToo() throws Exception {
      control.addCredential(credential(ID, true, p256(), Optional.of(USER), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      control.subscribe(events::add);
      CborMap first = ga(dev, null).ok();
      assertThat(first.longValue(5)).isEqualTo(2);
      CborMap second = dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).ok();
      assertThat(events).extracting(CredentialEvent::type).containsExactly(CredentialEvent.Type.ASSERTED, CredentialEvent.Type.ASSERTED);
      assertThat(events).extracting(CredentialEvent::credentialId).containsExactlyInAnyOrder(ID, rk);
      assertThat(events.get(1).signCount()).isEqualTo(counter(second));
    }

    @Test
    void reset_deletesEverything_withEvents() throws Exception {
      control.addCredential(credential(ID, false, p256(), Optional.empty(), 0));
      Bytes rk = attestedId(mc(dev, true, null).ok());
      control.subscribe(events::add);
      assertThat(dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(events).extracting(CredentialEvent::type).containsOnly(CredentialEvent.Type.DELETED);
      assertThat(events).extracting(CredentialEvent::credentialId).contains(ID, rk);
      assertThat(ga(dev, List.of(ID)).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(control.credentials()).isEmpty();
      assertThat(dev.store().get(ControlState.STORE_KEY)).isEmpty();
    }
  }

  @Test
  void keyStoreFull_isACtapException() throws Exception {
    int max = dev.authenticator().profile().limits().maxResidentCredentials();
    for (int i = 0; i < max; i++) {
      control.addCredential(credential(Bytes.wrap(new byte[] {(byte) i, 1}), true, p256(), Optional.of(Bytes.wrap(new byte[] {(byte) i})), 0));
    }
    assertThatThrownBy(() -> control.addCredential(credential(ID, true, p256(), Optional.of(USER), 0)))
        .isInstanceOf(CtapException.class);
  }
}
