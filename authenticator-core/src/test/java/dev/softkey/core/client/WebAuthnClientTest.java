package dev.softkey.core.client;

import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.ClientDataJson;
import dev.softkey.ctap.cose.CoseKeys;
import dev.softkey.platform.CredentialSelector;
import dev.softkey.platform.CtapErrors;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.WebAuthnException.Name;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WebAuthnClientTest {
  static final String ORIGIN = "https://login.example.com";
  static final String CHALLENGE = "AAECAwQFBgcICQoLDA0ODw";
  static final ObjectMapper JSON = new ObjectMapper();

  final FakeAuthenticator key = new FakeAuthenticator();
  final RecordingPin pin = new RecordingPin();
  final WebAuthnClient client = WebAuthnClient.builder(key).pinTokenProvider(pin).build();

  /**
   * A PinTokenProvider stand-in: "1234" is the PIN; the "token" MACs by prefixing a marker, aa for
   * a PIN token and bb for a token from built-in UV, whose calls answer {@link #uvErrors} first.
   */
  static final class RecordingPin implements PinTokenProvider {
    final List<String> calls = new ArrayList<>();
    final List<String> uvCalls = new ArrayList<>();
    final Deque<CtapStatus> uvErrors = new ArrayDeque<>();

    @Override
    public PinToken token(String pinText, Set<Permission> permissions, String rpId) {
      calls.add(permissions + " " + rpId);
      if (!pinText.equals("1234")) {
        throw new CtapException(CtapStatus.CTAP2_ERR_PIN_INVALID);
      }
      return marked("aa");
    }

    @Override
    public Optional<PinToken> uvToken(Set<Permission> permissions, String rpId) {
      uvCalls.add(permissions + " " + rpId);
      if (!uvErrors.isEmpty()) {
        throw new CtapException(uvErrors.removeFirst());
      }
      return Optional.of(marked("bb"));
    }

    private static PinToken marked(String marker) {
      return new PinToken() {
        @Override
        public int protocol() {
          return 2;
        }

        @Override
        public Bytes authenticate(Bytes message) {
          return Bytes.concat(Bytes.fromHex(marker), message);
        }
      };
    }
  }

  static String creationOptions(String extra) {
    return "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},"
        + "\"user\":{\"id\":\"dXNlci0x\",\"name\":\"alice\",\"displayName\":\"Alice\"},"
        + "\"challenge\":\"" + CHALLENGE + "\","
        + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-8},{\"type\":\"other\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-7}]"
        + extra + "}";
  }

  static String requestOptions(String extra) {
    return "{\"challenge\":\"" + CHALLENGE + "\",\"rpId\":\"example.com\"" + extra + "}";
  }

  static void assertName(Runnable r, Name name) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(name));
  }

  CborMap lastMakeCredential() {
    return key.last(0x01).params();
  }

  @Nested
  class CreateMapping {
    @Test
    void makeCredentialParameters_followTheOptions() {
      client.create(creationOptions(",\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\"AQID\"}]"), ORIGIN, Optional.empty());
      assertThat(key.requests.get(0).command()).as("getInfo first").isEqualTo(0x04);
      CborMap req = lastMakeCredential();
      assertThat(req.bytes(0x01L))
          .as("clientDataHash")
          .isEqualTo(WebAuthnClient.sha256(ClientDataJson.serialize("webauthn.create", Bytes.fromBase64Url(CHALLENGE), ORIGIN, false)));
      assertThat(req.map(0x02L).text("id")).isEqualTo("example.com");
      assertThat(req.map(0x02L).text("name")).isEqualTo("Example");
      assertThat(req.map(0x03L).bytes("id")).isEqualTo(Bytes.wrap("user-1".getBytes(StandardCharsets.UTF_8)));
      assertThat(req.map(0x03L).text("displayName")).isEqualTo("Alice");
      List<Long> algs = new ArrayList<>();
      for (Object o : req.list(0x04L)) {
        algs.add(CborMap.asMap(o).longValue("alg"));
        assertThat(CborMap.asMap(o).text("type")).isEqualTo("public-key");
      }
      assertThat(algs).as("order kept, non-public-key dropped").containsExactly(-8L, -7L);
      assertThat(CborMap.asMap(req.list(0x05L).get(0)).bytes("id")).isEqualTo(Bytes.fromHex("010203"));
      assertThat(req.has(0x07L)).as("no options: rk discouraged, no uv").isFalse();
      assertThat(req.has(0x08L)).isFalse();
    }

    @Test
    void emptyPubKeyCredParams_defaultToEs256AndRs256() {
      client.create(creationOptions("").replaceFirst("\"pubKeyCredParams\":\\[.*]", "\"pubKeyCredParams\":[]"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().list(0x04L)).extracting(o -> CborMap.asMap(o).longValue("alg")).containsExactly(-7L, -257L);
    }

    @Test
    void onlyUnknownTypes_isNotSupportedError() {
      String json = creationOptions("").replaceFirst("\"pubKeyCredParams\":\\[.*]", "\"pubKeyCredParams\":[{\"type\":\"x\",\"alg\":-7}]");
      assertName(() -> client.create(json, ORIGIN, Optional.empty()), Name.NotSupportedError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void residentKeyRequired_setsRk_andCredPropsReportsIt() {
      RegistrationResponse r =
          client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"},\"extensions\":{\"credProps\":true}"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().map(0x07L).optBool("rk")).contains(true);
      assertThat(r.toJsonNode().at("/clientExtensionResults/credProps/rk").asBoolean()).isTrue();
    }

    @Test
    void requireResidentKeyTrue_withoutResidentKey_meansRequired() {
      client.create(creationOptions(",\"authenticatorSelection\":{\"requireResidentKey\":true}"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().map(0x07L).optBool("rk")).contains(true);
    }

    @Test
    void residentKeyRequired_onAuthenticatorWithoutRk_isConstraintError() {
      key.options.put("rk", false);
      assertName(
          () -> client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"}"), ORIGIN, Optional.empty()),
          Name.ConstraintError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void residentKeyPreferred_followsGetInfoRk() {
      key.options.put("rk", false);
      RegistrationResponse r =
          client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"preferred\"},\"extensions\":{\"credProps\":true}"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().has(0x07L)).isFalse();
      assertThat(r.credPropsRk()).contains(false);
    }

    @Test
    void credProtectAndHmacSecret_areSentAndReported() {
      RegistrationResponse r =
          client.create(
              creationOptions(",\"extensions\":{\"credentialProtectionPolicy\":\"userVerificationRequired\",\"hmacCreateSecret\":true}"),
              ORIGIN,
              Optional.empty());
      CborMap ext = lastMakeCredential().map(0x06L);
      assertThat(ext.optLong("credProtect")).contains(3L);
      assertThat(ext.optBool("hmac-secret")).contains(true);
      assertThat(r.toJsonNode().at("/clientExtensionResults/hmacCreateSecret").asBoolean()).isTrue();
    }

    @Test
    void enforcedCredProtect_withoutSupport_isNotAllowedError() {
      key.extensions.clear();
      assertName(
          () -> client.create(
              creationOptions(",\"extensions\":{\"credentialProtectionPolicy\":\"userVerificationRequired\",\"enforceCredentialProtectionPolicy\":true}"),
              ORIGIN,
              Optional.empty()),
          Name.NotAllowedError);
    }
  }

  @Nested
  class CreateResponse {
    @Test
    void registrationResponseJson_hasTheMembersInStableOrder() throws Exception {
      RegistrationResponse r = client.create(creationOptions(""), ORIGIN, Optional.empty());
      JsonNode n = JSON.readTree(r.toJson());
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("id", "rawId", "type", "authenticatorAttachment", "response", "clientExtensionResults");
      List<String> resp = new ArrayList<>();
      n.get("response").fieldNames().forEachRemaining(resp::add);
      assertThat(resp).containsExactly("clientDataJSON", "authenticatorData", "transports", "publicKey", "publicKeyAlgorithm", "attestationObject");
      Bytes credId = key.credentials().get(0).id();
      assertThat(n.get("id").asText()).isEqualTo(credId.base64Url()).isEqualTo(n.get("rawId").asText());
      assertThat(n.get("type").asText()).isEqualTo("public-key");
      assertThat(n.get("authenticatorAttachment").asText()).isEqualTo("cross-platform");
      assertThat(n.at("/response/transports").toString()).isEqualTo("[\"usb\"]");
      assertThat(n.at("/response/publicKeyAlgorithm").asLong()).isEqualTo(-7);
      assertThat(n.get("clientExtensionResults").size()).isZero();
      String cdj = new String(Bytes.fromBase64Url(n.at("/response/clientDataJSON").asText()).unsafeArray(), StandardCharsets.UTF_8);
      assertThat(cdj).isEqualTo("{\"type\":\"webauthn.create\",\"challenge\":\"" + CHALLENGE + "\",\"origin\":\"" + ORIGIN + "\",\"crossOrigin\":false}");
    }

    @Test
    void attestationObject_isCanonicalCborWithTheAuthenticatorsMembers() {
      RegistrationResponse r = client.create(creationOptions(",\"attestation\":\"direct\""), ORIGIN, Optional.empty());
      CborMap att = CborDecoder.decodeMap(r.attestationObject().toArray()); // strict: canonical or throws
      assertThat(att.asMap().keySet()).containsExactly("fmt", "attStmt", "authData");
      assertThat(att.text("fmt")).isEqualTo("packed");
      assertThat(att.bytes("authData")).isEqualTo(r.authenticatorData());
      assertThat(att.map("attStmt").optLong("alg")).contains(-7L);
      assertThat(CborEncoder.encodeBytes(att)).isEqualTo(r.attestationObject());
    }

    @Test
    void publicKey_isDerSpki_thatVerifiesThePackedSelfAttestation() throws Exception {
      RegistrationResponse r = client.create(creationOptions(",\"attestation\":\"direct\""), ORIGIN, Optional.empty());
      PublicKey pk = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(r.publicKey().orElseThrow().toArray()));
      Bytes sig = CborDecoder.decodeMap(r.attestationObject().toArray()).map("attStmt").bytes("sig");
      Bytes signed = Bytes.concat(r.authenticatorData(), WebAuthnClient.sha256(r.clientDataJson()));
      assertThat(CoseKeys.verify(pk, -7, signed, sig)).isTrue();
      assertThat(CoseKeys.verify(pk, -7, Bytes.concat(signed, Bytes.fromHex("00")), sig)).isFalse();
    }

    @Test
    void transports_areConfigurable() {
      WebAuthnClient nfc = WebAuthnClient.builder(key).transports(List.of("nfc", "usb")).build();
      assertThat(nfc.create(creationOptions(""), ORIGIN, Optional.empty()).toJsonNode().at("/response/transports").toString())
          .isEqualTo("[\"nfc\",\"usb\"]");
    }

    @Test
    void rpIdHashMismatch_isUnknownError() {
      key.lieAboutRpId = Optional.of("evil.com");
      assertName(() -> client.create(creationOptions(""), ORIGIN, Optional.empty()), Name.UnknownError);
    }

    @Test
    void rpIdOutsideTheOrigin_isSecurityError_beforeAnyCtapCall() {
      assertName(() -> client.create(creationOptions(""), "https://example.org", Optional.empty()), Name.SecurityError);
      assertThat(key.requests).isEmpty();
    }
  }

  /**
   * Tokens from built-in UV (getPinUvAuthTokenUsingUvWithPermissions, CTAP 2.1 section 6.5.5.7.3)
   * when getInfo says uv and pinUvAuthToken, as Chrome and libfido2 get them.
   */
  @Nested
  class BuiltInUvToken {
    private static final String REQUIRED = ",\"authenticatorSelection\":{\"userVerification\":\"required\"}";

    void bioKey() {
      key.options.put("uv", true);
      key.options.put("pinUvAuthToken", true);
      key.options.put("clientPin", false);
    }

    Bytes pinUvAuthParam() {
      return lastMakeCredential().bytes(0x08L);
    }

    @Test
    void uvAndPinUvAuthToken_createUsesAUvTokenWithMcPermission_andNoUvOption() {
      bioKey();
      client.create(creationOptions(REQUIRED), ORIGIN, Optional.empty());
      CborMap req = lastMakeCredential();
      assertThat(pinUvAuthParam()).isEqualTo(Bytes.concat(Bytes.fromHex("bb"), req.bytes(0x01L)));
      assertThat(req.longValue(0x09L)).isEqualTo(2);
      assertThat(req.has(0x07L)).as("no uv option with a pinUvAuthParam").isFalse();
      assertThat(pin.uvCalls).containsExactly("[MAKE_CREDENTIAL] example.com");
    }

    @Test
    void get_usesAUvTokenWithGaPermission() {
      bioKey();
      client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"}"), ORIGIN, Optional.empty());
      client.get(requestOptions(",\"userVerification\":\"required\""), ORIGIN, Optional.empty());
      CborMap req = key.last(0x02).params();
      assertThat(req.bytes(0x06L)).isEqualTo(Bytes.concat(Bytes.fromHex("bb"), req.bytes(0x02L)));
      assertThat(req.has(0x05L)).isFalse();
      assertThat(pin.uvCalls).endsWith("[GET_ASSERTION] example.com");
    }

    @Test
    void uvTokenIsPreferred_overAPinThatIsSetAndGiven() {
      bioKey();
      key.options.put("clientPin", true);
      client.create(creationOptions(REQUIRED), ORIGIN, Optional.of("1234"));
      assertThat(pinUvAuthParam().toArray()[0]).isEqualTo((byte) 0xbb);
      assertThat(pin.calls).as("the PIN is only the fallback").isEmpty();
    }

    @Test
    void uvInvalid_isAskedAgain_upToPreferredPlatformUvAttempts() {
      bioKey();
      key.preferredPlatformUvAttempts = Optional.of(3L);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_INVALID);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_INVALID);
      client.create(creationOptions(REQUIRED), ORIGIN, Optional.empty());
      assertThat(pin.uvCalls).hasSize(3);
      assertThat(pinUvAuthParam().toArray()[0]).isEqualTo((byte) 0xbb);
    }

    @Test
    void uvInvalid_withPreferredPlatformUvAttemptsOmitted_isAskedOnce_thenNotAllowedError() {
      bioKey();
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_INVALID);
      assertThatThrownBy(() -> client.create(creationOptions(REQUIRED), ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(
              WebAuthnException.class,
              e -> {
                assertThat(e.name()).isEqualTo(Name.NotAllowedError);
                assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_UV_INVALID);
              });
      assertThat(pin.uvCalls).hasSize(1);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void uvBlocked_fallsBackToThePin_whenSetAndGiven() {
      bioKey();
      key.options.put("clientPin", true);
      key.preferredPlatformUvAttempts = Optional.of(3L);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_BLOCKED);
      client.create(creationOptions(REQUIRED), ORIGIN, Optional.of("1234"));
      assertThat(pin.uvCalls).as("blocked: no second attempt").hasSize(1);
      assertThat(pin.calls).containsExactly("[MAKE_CREDENTIAL] example.com");
      assertThat(pinUvAuthParam().toArray()[0]).isEqualTo((byte) 0xaa);
    }

    @Test
    void uvFailingEveryAttempt_fallsBackToThePin() {
      bioKey();
      key.options.put("clientPin", true);
      key.preferredPlatformUvAttempts = Optional.of(2L);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_INVALID);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_INVALID);
      client.create(creationOptions(REQUIRED), ORIGIN, Optional.of("1234"));
      assertThat(pin.uvCalls).hasSize(2);
      assertThat(pinUvAuthParam().toArray()[0]).isEqualTo((byte) 0xaa);
    }

    @Test
    void uvBlocked_withAPinSetButNotGiven_isNotAllowedError_namingThePin() {
      bioKey();
      key.options.put("clientPin", true);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertThatThrownBy(() -> client.get(requestOptions(",\"userVerification\":\"required\""), ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(
              WebAuthnException.class,
              e -> {
                assertThat(e.name()).isEqualTo(Name.NotAllowedError);
                assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_UV_BLOCKED);
                assertThat(e.getMessage()).contains("PIN");
              });
    }

    @Test
    void otherUvErrors_endTheCeremony_withoutThePin() {
      bioKey();
      key.options.put("clientPin", true);
      pin.uvErrors.add(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      assertThatThrownBy(() -> client.create(creationOptions(REQUIRED), ORIGIN, Optional.of("1234")))
          .isInstanceOfSatisfying(
              WebAuthnException.class, e -> assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT));
      assertThat(pin.calls).isEmpty();
    }

    @Test
    void providerWithoutUvTokens_fallsBackToTheUvOption() {
      bioKey();
      WebAuthnClient pinOnly = WebAuthnClient.builder(key).pinTokenProvider((p, perms, rp) -> pin.token(p, perms, rp)).build();
      pinOnly.create(creationOptions(REQUIRED), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().map(0x07L).optBool("uv")).contains(true);
      assertThat(lastMakeCredential().has(0x08L)).isFalse();
    }

    @Test
    void discouragedDiscoverableCreate_onABioKeyWithoutPin_stillVerifies() {
      bioKey();
      key.options.put("makeCredUvNotRqd", true);
      client.create(
          creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"}"),
          ORIGIN,
          Optional.empty());
      assertThat(lastMakeCredential().has(0x08L)).as("rk on a key protected by built-in UV (step 6)").isTrue();
    }

    @Test
    void discouragedServerSideCreate_withMakeCredUvNotRqd_skipsUv() {
      bioKey();
      key.options.put("makeCredUvNotRqd", true);
      client.create(creationOptions(",\"authenticatorSelection\":{\"userVerification\":\"discouraged\"}"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().has(0x08L)).isFalse();
      assertThat(pin.uvCalls).isEmpty();
    }
  }

  @Nested
  class UserVerification {
    @Test
    void required_withoutPinOrBuiltInUv_isNotAllowedError_andNothingIsSent() {
      key.options.put("clientPin", false);
      assertName(
          () -> client.create(creationOptions(",\"authenticatorSelection\":{\"userVerification\":\"required\"}"), ORIGIN, Optional.empty()),
          Name.NotAllowedError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void required_withPinSetButNoPinGiven_isNotAllowedError() {
      key.options.put("clientPin", true);
      assertName(() -> client.get(requestOptions(",\"userVerification\":\"required\""), ORIGIN, Optional.empty()), Name.NotAllowedError);
    }

    @Test
    void pinSetAndGiven_usesTokenWithMcPermissionAndRpId() {
      key.options.put("clientPin", true);
      client.create(creationOptions(""), ORIGIN, Optional.of("1234"));
      CborMap req = lastMakeCredential();
      Bytes cdh = req.bytes(0x01L);
      assertThat(req.bytes(0x08L)).isEqualTo(Bytes.concat(Bytes.fromHex("aa"), cdh));
      assertThat(req.longValue(0x09L)).isEqualTo(2);
      assertThat(req.has(0x07L)).as("no uv option with a pinUvAuthParam").isFalse();
      assertThat(pin.calls).containsExactly("[MAKE_CREDENTIAL] example.com");
    }

    @Test
    void pinForGet_usesGaPermission() {
      client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"}"), ORIGIN, Optional.empty());
      key.options.put("clientPin", true);
      client.get(requestOptions(""), ORIGIN, Optional.of("1234"));
      assertThat(key.last(0x02).params().has(0x06L)).isTrue();
      assertThat(pin.calls).containsExactly("[GET_ASSERTION] example.com");
    }

    @Test
    void discouraged_getWithPinGiven_doesNotUseThePin() {
      client.create(creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"}"), ORIGIN, Optional.empty());
      key.options.put("clientPin", true);
      client.get(requestOptions(",\"userVerification\":\"discouraged\""), ORIGIN, Optional.of("1234"));
      assertThat(key.last(0x02).params().has(0x06L)).isFalse();
      assertThat(pin.calls).isEmpty();
    }

    @Test
    void discouragedCreate_onPinAuthenticatorWithoutMakeCredUvNotRqd_stillUsesThePin() {
      key.options.put("clientPin", true);
      client.create(creationOptions(",\"authenticatorSelection\":{\"userVerification\":\"discouraged\"}"), ORIGIN, Optional.of("1234"));
      assertThat(lastMakeCredential().has(0x08L)).isTrue();
    }

    @Test
    void discouragedCreate_withMakeCredUvNotRqd_skipsThePin() {
      key.options.put("clientPin", true);
      key.options.put("makeCredUvNotRqd", true);
      client.create(creationOptions(",\"authenticatorSelection\":{\"userVerification\":\"discouraged\"}"), ORIGIN, Optional.of("1234"));
      assertThat(lastMakeCredential().has(0x08L)).isFalse();
    }

    @Test
    void builtInUv_isRequestedWithTheUvOption() {
      key.options.put("uv", true);
      client.create(creationOptions(",\"authenticatorSelection\":{\"userVerification\":\"required\"}"), ORIGIN, Optional.empty());
      assertThat(lastMakeCredential().map(0x07L).optBool("uv")).contains(true);
      assertThat(lastMakeCredential().has(0x08L)).isFalse();
    }

    @Test
    void preferred_onAuthenticatorWithoutPinOrUv_sendsNeither() {
      client.create(creationOptions(""), ORIGIN, Optional.of("1234"));
      assertThat(lastMakeCredential().has(0x07L)).isFalse();
      assertThat(lastMakeCredential().has(0x08L)).isFalse();
      assertThat(pin.calls).isEmpty();
    }

    @Test
    void wrongPin_isNotAllowedError_keepingTheCtapStatus() {
      key.options.put("clientPin", true);
      assertThatThrownBy(() -> client.create(creationOptions(""), ORIGIN, Optional.of("0000")))
          .isInstanceOfSatisfying(
              WebAuthnException.class,
              e -> {
                assertThat(e.name()).isEqualTo(Name.NotAllowedError);
                assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_PIN_INVALID);
                assertThat(e.getMessage()).isEqualTo("wrong PIN").doesNotContain("0000");
                assertThat(e.toString()).isEqualTo("NotAllowedError: wrong PIN (CTAP2_ERR_PIN_INVALID, 0x31)");
              });
    }

    @Test
    void pinGiven_withoutPinClient_isNotSupportedError() {
      key.options.put("clientPin", true);
      WebAuthnClient noPin = WebAuthnClient.builder(key).build();
      assertName(() -> noPin.create(creationOptions(""), ORIGIN, Optional.of("1234")), Name.NotSupportedError);
    }
  }

  @Nested
  class ErrorMapping {
    @Test
    void excludedCredential_isInvalidStateError() {
      RegistrationResponse first = client.create(creationOptions(""), ORIGIN, Optional.empty());
      String again = creationOptions(",\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\"" + first.rawId().base64Url() + "\"}]");
      assertThatThrownBy(() -> client.create(again, ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(
              WebAuthnException.class,
              e -> {
                assertThat(e.name()).isEqualTo(Name.InvalidStateError);
                assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
              });
    }

    @Test
    void unsupportedAlgorithm_isNotAllowedError_keepingTheStatus() {
      // WebAuthn L3 section 5.1.3 step 22: an error not equivalent to InvalidStateError removes the
      // authenticator, so the ceremony ends with NotAllowedError (Chromium: kNoCommonAlgorithms).
      String json = creationOptions("").replaceFirst("\"pubKeyCredParams\":\\[.*]", "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-257}]");
      assertThatThrownBy(() -> client.create(json, ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> {
            assertThat(e.name()).isEqualTo(Name.NotAllowedError);
            assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
          });
    }

    @Test
    void noCredentials_isNotAllowedError() {
      assertName(() -> client.get(requestOptions(""), ORIGIN, Optional.empty()), Name.NotAllowedError);
    }

    @Test
    void operationDeniedAndTimeouts_areNotAllowedError() {
      for (CtapStatus s :
          List.of(CtapStatus.CTAP2_ERR_OPERATION_DENIED, CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT, CtapStatus.CTAP2_ERR_PUAT_REQUIRED)) {
        key.scriptedErrors.push(s);
        assertThatThrownBy(() -> client.create(creationOptions(""), ORIGIN, Optional.empty()))
            .isInstanceOfSatisfying(WebAuthnException.class, e -> {
              assertThat(e.name()).isEqualTo(Name.NotAllowedError);
              assertThat(e.ctapStatus()).contains(s);
            });
      }
    }

    @Test
    void keyStoreFull_fromTheAuthenticator_isNotAllowedError() {
      key.scriptedErrors.push(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      assertThatThrownBy(() -> client.create(creationOptions(""), ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> {
            assertThat(e.name()).isEqualTo(Name.NotAllowedError);
            assertThat(e.toString()).endsWith("(CTAP2_ERR_KEY_STORE_FULL, 0x28)");
          });
    }

    @Test
    void vendorStatus_isNotAllowedError_withoutCtapStatus() {
      WebAuthnException e = CtapErrors.toException(0xF2);
      assertThat(e.name()).isEqualTo(Name.NotAllowedError);
      assertThat(e.ctapStatus()).isEmpty();
      assertThat(e.getMessage()).contains("0xF2");
    }

    @Test
    void nonCanonicalResponse_isUnknownError() {
      CtapTransport sloppy = req -> new byte[] {0x00, (byte) 0xA2, 0x02, 0x01, 0x01, 0x01}; // keys out of order
      assertName(() -> WebAuthnClient.builder(sloppy).build().getInfo(), Name.UnknownError);
    }
  }

  @Nested
  class Get {
    Bytes register(String userIdB64) {
      String json = creationOptions(",\"authenticatorSelection\":{\"residentKey\":\"required\"}").replace("dXNlci0x", userIdB64);
      return client.create(json, ORIGIN, Optional.empty()).rawId();
    }

    @Test
    void allowList_isMapped_andTheSignatureVerifiesWithTheRegisteredKey() throws Exception {
      RegistrationResponse reg = client.create(creationOptions(""), ORIGIN, Optional.empty());
      AuthenticationResponse a =
          client.get(requestOptions(",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"" + reg.rawId().base64Url() + "\",\"transports\":[\"usb\"]}]"), ORIGIN, Optional.empty());
      CborMap req = key.last(0x02).params();
      assertThat(req.text(0x01L)).isEqualTo("example.com");
      assertThat(CborMap.asMap(req.list(0x03L).get(0)).bytes("id")).isEqualTo(reg.rawId());
      assertThat(a.rawId()).as("credential omitted by the authenticator, taken from the single allowList entry").isEqualTo(reg.rawId());
      assertThat(a.userHandle()).isEmpty();
      PublicKey pk = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(reg.publicKey().orElseThrow().toArray()));
      assertThat(CoseKeys.verify(pk, -7, Bytes.concat(a.authenticatorData(), WebAuthnClient.sha256(a.clientDataJson())), a.signature())).isTrue();
      JsonNode n = JSON.readTree(a.toJson());
      List<String> resp = new ArrayList<>();
      n.get("response").fieldNames().forEachRemaining(resp::add);
      assertThat(resp).containsExactly("clientDataJSON", "authenticatorData", "signature");
      assertThat(new String(a.clientDataJson().unsafeArray(), StandardCharsets.UTF_8)).startsWith("{\"type\":\"webauthn.get\",");
    }

    @Test
    void severalDiscoverableCredentials_withoutSelector_takeTheFirst_withoutGetNextAssertion() {
      register("dXNlci0x");
      Bytes newest = register("dXNlci0y");
      AuthenticationResponse a = client.get(requestOptions(""), ORIGIN, Optional.empty());
      assertThat(a.rawId()).isEqualTo(newest);
      assertThat(a.userHandle()).contains(Bytes.wrap("user-2".getBytes(StandardCharsets.UTF_8)));
      assertThat(a.toJsonNode().at("/response/userHandle").asText()).isEqualTo("dXNlci0y");
      assertThat(key.count(0x08)).isZero();
    }

    @Test
    void severalDiscoverableCredentials_withSelector_fetchAllAndReturnTheChosen() {
      Bytes oldest = register("dXNlci0x");
      register("dXNlci0y");
      List<CredentialSelector.Candidate> seen = new ArrayList<>();
      WebAuthnClient picking =
          WebAuthnClient.builder(key).credentialSelector(c -> { seen.addAll(c); return 1; }).build();
      AuthenticationResponse a = picking.get(requestOptions(""), ORIGIN, Optional.empty());
      assertThat(key.count(0x08)).isEqualTo(1);
      assertThat(seen).extracting(CredentialSelector.Candidate::userName).containsExactly(Optional.of("alice"), Optional.of("alice"));
      assertThat(a.rawId()).isEqualTo(oldest);
      assertThat(a.userHandle()).contains(Bytes.wrap("user-1".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void allowListEntriesLongerThanMaxCredentialIdLength_areDropped_andNoneLeftIsNotAllowed() {
      key.maxCredentialIdLength = 4;
      assertName(
          () -> client.get(requestOptions(",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"AQIDBAU\"}]"), ORIGIN, Optional.empty()),
          Name.NotAllowedError);
      assertThat(key.count(0x02)).isZero();
    }

    @Test
    void rpIdDefaultsToTheOriginsHost() {
      assertName(() -> client.get("{\"challenge\":\"" + CHALLENGE + "\"}", ORIGIN, Optional.empty()), Name.NotAllowedError);
      assertThat(key.last(0x02).params().text(0x01L)).isEqualTo("login.example.com");
    }
  }

  @Test
  void getInfo_describe_namesTheMembers() {
    AuthenticatorInfo info = client.getInfo();
    assertThat(info.aaguidUuid().orElseThrow().toString()).isEqualTo("01020304-0506-0708-090a-0b0c0d0e0f10");
    assertThat(info.describe())
        .contains("versions:")
        .contains("[FIDO_2_0, FIDO_2_1]")
        .contains("01020304-0506-0708-090a-0b0c0d0e0f10")
        .contains("pinUvAuthProtocols:")
        .contains("maxCredentialIdLength:");
    Map<String, Boolean> opts = new LinkedHashMap<>(info.options());
    assertThat(opts).containsEntry("rk", true);
  }
}
