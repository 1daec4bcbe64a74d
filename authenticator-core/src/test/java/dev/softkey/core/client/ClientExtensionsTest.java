package dev.softkey.core.client;

import static dev.softkey.core.client.WebAuthnClientTest.ORIGIN;
import static dev.softkey.core.client.WebAuthnClientTest.assertName;
import static dev.softkey.core.client.WebAuthnClientTest.creationOptions;
import static dev.softkey.core.client.WebAuthnClientTest.requestOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The client's extension and attestation conveyance steps against {@link FakeAuthenticator}: what
 * is sent (only what getInfo lists), the checks that fail before anything is sent, and the outputs
 * in clientExtensionResults. The cryptographic extensions (prf, hmacGetSecret) and large blobs run
 * against the real authenticator in {@code ExtensionsEndToEndTest}.
 */
class ClientExtensionsTest {
  static final UUID ZERO = new UUID(0, 0);

  final FakeAuthenticator key = new FakeAuthenticator();
  final WebAuthnClient client = WebAuthnClient.builder(key).build();

  RegistrationResponse create(String extra) {
    return client.create(creationOptions(extra), ORIGIN, Optional.empty());
  }

  static CborMap attestationObject(RegistrationResponse r) {
    return CborDecoder.decodeMap(r.attestationObject().toArray());
  }

  static JsonNode results(RegistrationResponse r) {
    return r.toJsonNode().get("clientExtensionResults");
  }

  CborMap sentExtensions() {
    return key.last(0x01).params().optMap(0x06L).orElse(new CborMap(java.util.Map.of()));
  }

  @Nested
  class AttestationConveyance {
    @Test
    void none_isFmtNone_emptyStatement_zeroAaguid_inAttestationObjectAndAuthenticatorData() {
      RegistrationResponse r = create(",\"attestation\":\"none\"");
      CborMap att = attestationObject(r);
      assertThat(att.text("fmt")).isEqualTo("none");
      assertThat(att.map("attStmt").size()).isZero();
      assertThat(att.bytes("authData")).isEqualTo(r.authenticatorData());
      AuthenticatorData parsed = AuthenticatorData.parse(r.authenticatorData());
      assertThat(parsed.attestedCredentialData().orElseThrow().aaguid()).isEqualTo(ZERO);
      // Only the AAGUID changed: rpIdHash, flags, counter, credential ID and key are the key's.
      Bytes made = key.lastAuthData;
      assertThat(r.authenticatorData().slice(0, 37)).isEqualTo(made.slice(0, 37));
      assertThat(r.authenticatorData().slice(53, made.length())).isEqualTo(made.slice(53, made.length()));
      assertThat(made.slice(37, 53)).isEqualTo(FakeAuthenticator.AAGUID);
      assertThat(parsed.attestedCredentialData().orElseThrow().credentialId()).isEqualTo(r.rawId());
    }

    @Test
    void absent_isNone() {
      assertThat(attestationObject(create("")).text("fmt")).isEqualTo("none");
    }

    @Test
    void unknownValue_isTheDefaultNone() {
      assertThat(attestationObject(create(",\"attestation\":\"bogus\"")).text("fmt")).isEqualTo("none");
    }

    @Test
    void indirect_isAnonymisedToo() {
      RegistrationResponse r = create(",\"attestation\":\"indirect\"");
      assertThat(attestationObject(r).text("fmt")).isEqualTo("none");
      assertThat(AuthenticatorData.parse(r.authenticatorData()).attestedCredentialData().orElseThrow().aaguid()).isEqualTo(ZERO);
    }

    @Test
    void direct_passesTheStatementAndAaguidThrough() {
      RegistrationResponse r = create(",\"attestation\":\"direct\"");
      CborMap att = attestationObject(r);
      assertThat(att.text("fmt")).isEqualTo("packed");
      assertThat(att.map("attStmt").has("sig")).isTrue();
      assertThat(r.authenticatorData()).isEqualTo(key.lastAuthData);
    }

    @Test
    void enterprise_withoutPolicy_isDirect() {
      assertThat(attestationObject(create(",\"attestation\":\"enterprise\"")).text("fmt")).isEqualTo("packed");
    }

    @Test
    void keepAttestationStatement_passesItThroughForNone() {
      WebAuthnClient keep = WebAuthnClient.builder(key).keepAttestationStatement(true).build();
      RegistrationResponse r = keep.create(creationOptions(",\"attestation\":\"none\""), ORIGIN, Optional.empty());
      assertThat(attestationObject(r).text("fmt")).isEqualTo("packed");
      assertThat(r.authenticatorData()).isEqualTo(key.lastAuthData);
    }

    @Test
    void selfAttestationWithAZeroAaguid_staysAsItIs() {
      // WebAuthn L3 section 5.1.3: packed without x5c and a zero AAGUID is self attestation, "no
      // further action is needed".
      key.credentialAaguid = Bytes.wrap(new byte[16]);
      RegistrationResponse r = create(",\"attestation\":\"none\"");
      assertThat(attestationObject(r).text("fmt")).isEqualTo("packed");
      assertThat(attestationObject(r).map("attStmt").has("sig")).isTrue();
    }

    @Test
    void packedWithX5c_andAZeroAaguid_isStillReplaced() {
      key.credentialAaguid = Bytes.wrap(new byte[16]);
      key.attestationFormat = "packed-x5c";
      assertThat(attestationObject(create(",\"attestation\":\"none\"")).text("fmt")).isEqualTo("none");
    }

    @Test
    void theJsonForm_carriesTheAnonymisedObject() {
      RegistrationResponse r = create("");
      JsonNode n = r.toJsonNode();
      assertThat(n.at("/response/attestationObject").asText()).isEqualTo(r.attestationObject().base64Url());
      assertThat(n.at("/response/authenticatorData").asText()).isEqualTo(r.authenticatorData().base64Url());
    }
  }

  @Nested
  class CreateInputs {
    @Test
    void credProtect_isSentAsItsLevel_whenListed() {
      create(",\"extensions\":{\"credentialProtectionPolicy\":\"userVerificationOptionalWithCredentialIDList\"}");
      assertThat(sentExtensions().optLong("credProtect")).contains(2L);
    }

    @Test
    void credProtect_enforcedLevel1_withoutSupport_isFine() {
      key.extensions.clear();
      create(",\"extensions\":{\"credentialProtectionPolicy\":\"userVerificationOptional\",\"enforceCredentialProtectionPolicy\":true}");
      assertThat(sentExtensions().size()).isZero();
    }

    @Test
    void credBlob_isSentWhenListed_andReportsWhetherItWasStored() {
      key.extensions.add("credBlob");
      RegistrationResponse r = create(",\"extensions\":{\"credBlob\":\"AQIDBA\"}");
      assertThat(sentExtensions().optBytes("credBlob")).contains(Bytes.fromHex("01020304"));
      assertThat(results(r).get("credBlob").asBoolean()).isTrue();
      RegistrationResponse tooLong = create(",\"extensions\":{\"credBlob\":\"" + Bytes.wrap(new byte[33]).base64Url() + "\"}");
      assertThat(results(tooLong).get("credBlob").asBoolean()).isFalse();
    }

    @Test
    void credBlob_notListed_isNotSent_andIsFalse() {
      RegistrationResponse r = create(",\"extensions\":{\"credBlob\":\"AQIDBA\"}");
      assertThat(sentExtensions().has("credBlob")).isFalse();
      assertThat(results(r).get("credBlob").asBoolean()).isFalse();
    }

    @Test
    void credBlob_thatIsNotBase64url_isEncodingError() {
      key.extensions.add("credBlob");
      assertName(() -> create(",\"extensions\":{\"credBlob\":\"***\"}"), Name.EncodingError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void minPinLength_isSentOnlyWhenListed_andHasNoClientOutput() {
      RegistrationResponse without = create(",\"extensions\":{\"minPinLength\":true}");
      assertThat(sentExtensions().has("minPinLength")).isFalse();
      key.extensions.add("minPinLength");
      RegistrationResponse with = create(",\"extensions\":{\"minPinLength\":true}");
      assertThat(sentExtensions().optBool("minPinLength")).contains(true);
      // CTAP 2.1 section 12.4: the output is in authData only.
      assertThat(results(with).has("minPinLength")).isFalse();
      assertThat(AuthenticatorData.parse(with.authenticatorData()).extensions().orElseThrow().optLong("minPinLength")).contains(4L);
      assertThat(results(without).size()).isZero();
    }

    @Test
    void prfEmpty_sendsHmacSecret_andReportsEnabled() {
      RegistrationResponse r = create(",\"extensions\":{\"prf\":{}}");
      assertThat(sentExtensions().optBool("hmac-secret")).contains(true);
      assertThat(results(r).at("/prf/enabled").asBoolean()).isTrue();
      assertThat(results(r).at("/prf").has("results")).isFalse();
      assertThat(r.clientExtensionResults().prfEnabled()).contains(true);
    }

    @Test
    void prf_withoutHmacSecret_isNotSent_andEnabledFalse() {
      key.extensions.remove("hmac-secret");
      RegistrationResponse r = create(",\"extensions\":{\"prf\":{\"eval\":{\"first\":\"AQ\"}}}");
      assertThat(sentExtensions().has("hmac-secret")).isFalse();
      assertThat(results(r).at("/prf/enabled").isBoolean()).isTrue();
      assertThat(results(r).at("/prf/enabled").asBoolean()).isFalse();
    }

    @Test
    void prfEvalByCredential_atCreate_isNotSupportedError_beforeAnythingIsSent() {
      assertName(() -> create(",\"extensions\":{\"prf\":{\"evalByCredential\":{\"AQID\":{\"first\":\"AQ\"}}}}"), Name.NotSupportedError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void prfEval_withoutFirst_isTypeError() {
      assertName(() -> create(",\"extensions\":{\"prf\":{\"eval\":{}}}"), Name.TypeError);
    }

    @Test
    void prfAndHmacCreateSecret_sendHmacSecretOnce_andBothReport() {
      RegistrationResponse r = create(",\"extensions\":{\"prf\":{},\"hmacCreateSecret\":true}");
      assertThat(sentExtensions().optBool("hmac-secret")).contains(true);
      assertThat(results(r).get("hmacCreateSecret").asBoolean()).isTrue();
      assertThat(results(r).at("/prf/enabled").asBoolean()).isTrue();
    }
  }

  @Nested
  class CreateLargeBlob {
    void capable() {
      key.extensions.add("largeBlobKey");
      key.options.put("largeBlobs", true);
    }

    @Test
    void required_onAKeyWithoutLargeBlobs_isNotAllowedError_beforeAnyTouch() {
      assertName(() -> create(",\"extensions\":{\"largeBlob\":{\"support\":\"required\"}}"), Name.NotAllowedError);
      assertThat(key.count(0x01)).isZero();
    }

    @Test
    void requiredWithTheExtensionButWithoutTheOption_isNotCapable() {
      key.extensions.add("largeBlobKey");
      assertName(() -> create(",\"extensions\":{\"largeBlob\":{\"support\":\"required\"}}"), Name.NotAllowedError);
    }

    @Test
    void preferred_onAKeyWithoutLargeBlobs_isSupportedFalse() {
      RegistrationResponse r = create(",\"extensions\":{\"largeBlob\":{\"support\":\"preferred\"}}");
      assertThat(sentExtensions().has("largeBlobKey")).isFalse();
      assertThat(results(r).at("/largeBlob/supported").asBoolean()).isFalse();
    }

    @Test
    void required_onACapableKey_sendsLargeBlobKey_andIsSupported() {
      capable();
      RegistrationResponse r = create(",\"extensions\":{\"largeBlob\":{\"support\":\"required\"}}");
      assertThat(sentExtensions().optBool("largeBlobKey")).contains(true);
      assertThat(results(r).at("/largeBlob/supported").asBoolean()).isTrue();
      assertThat(results(r).get("largeBlob").has("blob")).isFalse();
    }

    @Test
    void readOrWrite_atCreate_isNotSupportedError() {
      capable();
      assertName(() -> create(",\"extensions\":{\"largeBlob\":{\"read\":true}}"), Name.NotSupportedError);
      assertName(() -> create(",\"extensions\":{\"largeBlob\":{\"write\":\"AQ\"}}"), Name.NotSupportedError);
      assertThat(key.count(0x01)).isZero();
    }
  }

  @Nested
  class GetInputs {
    Bytes registered() {
      return create("").rawId();
    }

    String allow(Bytes... ids) {
      StringBuilder sb = new StringBuilder(",\"allowCredentials\":[");
      for (int i = 0; i < ids.length; i++) {
        sb.append(i == 0 ? "" : ",").append("{\"type\":\"public-key\",\"id\":\"").append(ids[i].base64Url()).append("\"}");
      }
      return sb.append("]").toString();
    }

    void get(String extra) {
      client.get(requestOptions(extra), ORIGIN, Optional.empty());
    }

    @Test
    void evalByCredential_withoutAllowCredentials_isNotSupportedError() {
      registered();
      assertName(() -> get(",\"extensions\":{\"prf\":{\"evalByCredential\":{\"AQID\":{\"first\":\"AQ\"}}}}"), Name.NotSupportedError);
      assertThat(key.count(0x02)).isZero();
    }

    @Test
    void evalByCredential_keyNotInAllowCredentials_isSyntaxError() {
      Bytes id = registered();
      assertName(() -> get(allow(id) + ",\"extensions\":{\"prf\":{\"evalByCredential\":{\"AQID\":{\"first\":\"AQ\"}}}}"), Name.SyntaxError);
      assertThat(key.count(0x02)).isZero();
    }

    @Test
    void evalByCredential_keyThatIsNotBase64url_orEmpty_isSyntaxError() {
      Bytes id = registered();
      assertName(() -> get(allow(id) + ",\"extensions\":{\"prf\":{\"evalByCredential\":{\"*!\":{\"first\":\"AQ\"}}}}"), Name.SyntaxError);
      assertName(() -> get(allow(id) + ",\"extensions\":{\"prf\":{\"evalByCredential\":{\"\":{\"first\":\"AQ\"}}}}"), Name.SyntaxError);
    }

    @Test
    void prfAndHmacGetSecret_together_isNotSupportedError() {
      Bytes id = registered();
      String salt = Bytes.wrap(new byte[32]).base64Url();
      assertName(
          () -> get(allow(id) + ",\"extensions\":{\"prf\":{\"eval\":{\"first\":\"AQ\"}},\"hmacGetSecret\":{\"salt1\":\"" + salt + "\"}}"),
          Name.NotSupportedError);
    }

    @Test
    void hmacGetSecret_saltsOfAnotherLength_areTypeError() {
      Bytes id = registered();
      assertName(() -> get(allow(id) + ",\"extensions\":{\"hmacGetSecret\":{\"salt1\":\"AQID\"}}"), Name.TypeError);
    }

    @Test
    void prf_onAKeyWithoutHmacSecret_isAnEmptyPrfOutput() {
      key.extensions.remove("hmac-secret");
      Bytes id = registered();
      var r = client.get(requestOptions(allow(id) + ",\"extensions\":{\"prf\":{\"eval\":{\"first\":\"AQ\"}}}"), ORIGIN, Optional.empty());
      assertThat(r.toJsonNode().at("/clientExtensionResults/prf").toString()).isEqualTo("{}");
      assertThat(key.last(0x02).params().has(0x04L)).isFalse();
    }

    @Test
    void getCredBlob_isSentWhenListed_andTheBlobComesBackAsBase64url() {
      key.extensions.add("credBlob");
      Bytes id = create(",\"extensions\":{\"credBlob\":\"AQIDBA\"}").rawId();
      var r = client.get(requestOptions(allow(id) + ",\"extensions\":{\"getCredBlob\":true}"), ORIGIN, Optional.empty());
      assertThat(key.last(0x02).params().map(0x04L).optBool("credBlob")).contains(true);
      assertThat(r.toJsonNode().at("/clientExtensionResults/getCredBlob").asText()).isEqualTo("AQIDBA");
      assertThat(r.clientExtensionResults().getCredBlob()).contains(Bytes.fromHex("01020304"));
    }

    @Test
    void getCredBlob_notListed_isNotSent() {
      Bytes id = registered();
      var r = client.get(requestOptions(allow(id) + ",\"extensions\":{\"getCredBlob\":true}"), ORIGIN, Optional.empty());
      assertThat(key.last(0x02).params().has(0x04L)).isFalse();
      assertThat(r.toJsonNode().at("/clientExtensionResults").size()).isZero();
    }

    @Test
    void largeBlobSupport_atGet_isNotSupportedError() {
      Bytes id = registered();
      assertName(() -> get(allow(id) + ",\"extensions\":{\"largeBlob\":{\"support\":\"required\"}}"), Name.NotSupportedError);
    }

    @Test
    void largeBlobReadAndWrite_together_isNotSupportedError() {
      Bytes id = registered();
      assertName(() -> get(allow(id) + ",\"extensions\":{\"largeBlob\":{\"read\":true,\"write\":\"AQ\"}}"), Name.NotSupportedError);
    }

    @Test
    void largeBlobWrite_needsExactlyOneAllowCredentialsEntry() {
      Bytes a = registered();
      Bytes b = registered();
      assertName(() -> get(allow(a, b) + ",\"extensions\":{\"largeBlob\":{\"write\":\"AQ\"}}"), Name.NotSupportedError);
      assertName(() -> get(",\"extensions\":{\"largeBlob\":{\"write\":\"AQ\"}}"), Name.NotSupportedError);
      assertThat(key.count(0x02)).isZero();
    }
  }
}
