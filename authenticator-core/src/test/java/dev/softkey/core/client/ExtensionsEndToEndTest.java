package dev.softkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.ClientExtensionResults;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.platform.WebAuthnException.Name;
import dev.softkey.platform.pin.PlatformPin;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The client's extensions against the real authenticator (generic profile: credProtect,
 * hmac-secret, hmac-secret-mc, largeBlobKey, credBlob, minPinLength, thirdPartyPayment, and the
 * largeBlobs option): what a browser's RP gets in clientExtensionResults, end to end.
 */
class ExtensionsEndToEndTest {
  static final String ORIGIN = "https://example.com";
  static final String PIN = "123456";

  final MemoryStore store = new MemoryStore();
  final Authenticator authenticator = Authenticator.builder().profile(Profiles.defaultProfile()).store(store).random(RandomSource.seeded(7)).build();
  /** Every request's command byte and parameters, in order. */
  final java.util.List<byte[]> sent = new java.util.ArrayList<>();
  final CtapTransport transport =
      req -> {
        sent.add(req.clone());
        return authenticator.process(req, OperationContext.INTERNAL);
      };
  final PlatformPin pin2 = new PlatformPin(transport::transact, 2, true, RandomSource.seeded(8));
  final PlatformPin pin1 = new PlatformPin(transport::transact, 1, true, RandomSource.seeded(9));
  final WebAuthnClient client = WebAuthnClient.builder(transport).pinTokenProvider(PinTokenProvider.of(pin2)).build();
  final WebAuthnClient clientProtocolOne = WebAuthnClient.builder(transport).pinTokenProvider(PinTokenProvider.of(pin1)).build();

  static String create(String extensions, String extra) {
    return "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},"
        + "\"user\":{\"id\":\"dXNlci0x\",\"name\":\"alice\",\"displayName\":\"Alice\"},"
        + "\"challenge\":\"AAECAwQFBgcICQoLDA0ODw\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]"
        + extra + ",\"extensions\":{" + extensions + "}}";
  }

  static String get(String extensions, String extra, Bytes... allow) {
    StringBuilder sb = new StringBuilder("{\"challenge\":\"AAECAwQFBgcICQoLDA0ODw\",\"rpId\":\"example.com\"");
    if (allow.length > 0) {
      sb.append(",\"allowCredentials\":[");
      for (int i = 0; i < allow.length; i++) {
        sb.append(i == 0 ? "" : ",").append("{\"type\":\"public-key\",\"id\":\"").append(allow[i].base64Url()).append("\"}");
      }
      sb.append("]");
    }
    return sb.append(extra).append(",\"extensions\":{").append(extensions).append("}}").toString();
  }

  static String b64(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)).base64Url();
  }

  static String prfEval(String first) {
    return "\"prf\":{\"eval\":{\"first\":\"" + b64(first) + "\"}}";
  }

  RegistrationResponse register(String extensions) {
    return client.create(create(extensions, ""), ORIGIN, Optional.empty());
  }

  ClientExtensionResults assertWith(WebAuthnClient c, String extensions, String extra, Optional<String> pin, Bytes... allow) {
    return c.get(get(extensions, extra, allow), ORIGIN, pin).clientExtensionResults();
  }

  @Nested
  class Prf {
    @Test
    void create_reportsEnabled() {
      RegistrationResponse r = register("\"prf\":{}");
      assertThat(r.clientExtensionResults().prfEnabled()).contains(true);
      assertThat(r.toJsonNode().at("/clientExtensionResults/prf/enabled").asBoolean()).isTrue();
    }

    @Test
    void get_sameInputTwice_isTheSame32Bytes_anotherInputDiffers() {
      Bytes id = register("\"prf\":{}").rawId();
      Bytes a = assertWith(client, prfEval("salt-a"), "", Optional.empty(), id).prfFirst().orElseThrow();
      Bytes again = assertWith(client, prfEval("salt-a"), "", Optional.empty(), id).prfFirst().orElseThrow();
      Bytes b = assertWith(client, prfEval("salt-b"), "", Optional.empty(), id).prfFirst().orElseThrow();
      assertThat(a.length()).isEqualTo(32);
      assertThat(again).isEqualTo(a);
      assertThat(b).isNotEqualTo(a);
    }

    @Test
    void get_withSecond_returnsBoth_andFirstMatchesTheOneInputRun() {
      Bytes id = register("\"prf\":{}").rawId();
      ClientExtensionResults two =
          assertWith(client, "\"prf\":{\"eval\":{\"first\":\"" + b64("x") + "\",\"second\":\"" + b64("y") + "\"}}", "", Optional.empty(), id);
      assertThat(two.prfFirst()).isEqualTo(assertWith(client, prfEval("x"), "", Optional.empty(), id).prfFirst());
      assertThat(two.prfSecond()).isEqualTo(assertWith(client, prfEval("y"), "", Optional.empty(), id).prfFirst());
    }

    @Test
    void hmacGetSecret_withThePrfSalt_givesThePrfResult() throws Exception {
      // WebAuthn L3 section 10.1.4: salt1 = SHA-256("WebAuthn PRF" || 0x00 || first).
      Bytes id = register("\"hmacCreateSecret\":true").rawId();
      Bytes salt = WebAuthnClient.sha256(Bytes.concat(Bytes.wrap("WebAuthn PRF\0".getBytes(StandardCharsets.US_ASCII)), Bytes.wrap("z".getBytes(StandardCharsets.UTF_8))));
      AuthenticationResponse r = client.get(get("\"hmacGetSecret\":{\"salt1\":\"" + salt.base64Url() + "\"}", "", id), ORIGIN, Optional.empty());
      Bytes output1 = r.clientExtensionResults().hmacGetSecret().orElseThrow().output1();
      assertThat(r.toJsonNode().at("/clientExtensionResults/hmacGetSecret/output1").asText()).isEqualTo(output1.base64Url());
      assertThat(output1).isEqualTo(assertWith(client, prfEval("z"), "", Optional.empty(), id).prfFirst().orElseThrow());
    }

    @Test
    void evalByCredential_picksTheAssertedCredentialsInput() {
      Bytes one = register("\"prf\":{}").rawId();
      Bytes two = register("\"prf\":{}").rawId();
      Bytes alone = assertWith(client, prfEval("for-two"), "", Optional.empty(), two).prfFirst().orElseThrow();
      String byCredential =
          "\"prf\":{\"eval\":{\"first\":\"" + b64("default") + "\"},\"evalByCredential\":{\""
              + one.base64Url() + "\":{\"first\":\"" + b64("for-one") + "\"},\"" + two.base64Url() + "\":{\"first\":\"" + b64("for-two") + "\"}}}";
      // Both IDs are allowed; the key holds both and answers with the first it finds; the PRF is
      // the one of the credential it returned, with that credential's input.
      int before = sent.size();
      AuthenticationResponse r = client.get(get(byCredential, "", one, two), ORIGIN, Optional.empty());
      java.util.List<byte[]> during = java.util.List.copyOf(sent.subList(before, sent.size()));
      Bytes expected =
          r.rawId().equals(two) ? alone : assertWith(client, prfEval("for-one"), "", Optional.empty(), one).prfFirst().orElseThrow();
      assertThat(r.clientExtensionResults().prfFirst()).contains(expected);
      // The client found the credential with a silent probe (up false, both IDs, no extensions),
      // then asked for it alone with its salts.
      java.util.List<CborMap> assertions = new java.util.ArrayList<>();
      for (byte[] q : during) {
        if (q[0] == 0x02) {
          assertions.add(CborDecoder.decodeMap(java.util.Arrays.copyOfRange(q, 1, q.length)));
        }
      }
      assertThat(assertions).hasSize(2);
      CborMap probe = assertions.get(0);
      CborMap real = assertions.get(1);
      assertThat(probe.map(0x05L).optBool("up")).contains(false);
      assertThat(probe.list(0x03L)).hasSize(2);
      assertThat(probe.has(0x04L)).isFalse();
      assertThat(real.list(0x03L)).hasSize(1);
      assertThat(CborMap.asMap(real.list(0x03L).get(0)).bytes("id")).isEqualTo(r.rawId());
      assertThat(real.map(0x04L).has("hmac-secret")).isTrue();
    }

    @Test
    void withUv_differsFromWithout_andBothPinProtocolsAgree() {
      pin2.setPin(PIN);
      Bytes id = client.create(create("\"prf\":{}", ",\"authenticatorSelection\":{\"userVerification\":\"required\"}"), ORIGIN, Optional.of(PIN)).rawId();
      Bytes withUv2 = assertWith(client, prfEval("s"), ",\"userVerification\":\"required\"", Optional.of(PIN), id).prfFirst().orElseThrow();
      Bytes withUv1 = assertWith(clientProtocolOne, prfEval("s"), ",\"userVerification\":\"required\"", Optional.of(PIN), id).prfFirst().orElseThrow();
      Bytes withoutUv = assertWith(client, prfEval("s"), ",\"userVerification\":\"discouraged\"", Optional.empty(), id).prfFirst().orElseThrow();
      assertThat(withUv1).isEqualTo(withUv2);
      assertThat(withoutUv).isNotEqualTo(withUv2);
    }

    @Test
    void createWithEval_onAKeyWithHmacSecretMc_returnsTheResultsAtOnce_equalToALaterAssertion() {
      RegistrationResponse r = register(prfEval("mc"));
      Bytes atCreate = r.clientExtensionResults().prfFirst().orElseThrow();
      assertThat(r.clientExtensionResults().prfEnabled()).contains(true);
      Bytes later = assertWith(client, prfEval("mc"), "", Optional.empty(), r.rawId()).prfFirst().orElseThrow();
      assertThat(later).isEqualTo(atCreate);
    }
  }

  @Nested
  class CredProtectAndCredBlob {
    @Test
    void userVerificationRequired_isInvisibleWithoutUv() {
      pin2.setPin(PIN);
      RegistrationResponse r =
          client.create(
              create("\"credentialProtectionPolicy\":\"userVerificationRequired\",\"enforceCredentialProtectionPolicy\":true",
                  ",\"authenticatorSelection\":{\"residentKey\":\"required\"}"),
              ORIGIN, Optional.of(PIN));
      assertThat(AuthenticatorData.parse(r.authenticatorData()).extensions().orElseThrow().optLong("credProtect")).contains(3L);
      assertThatThrownBy(() -> client.get(get("", ",\"userVerification\":\"discouraged\"", r.rawId()), ORIGIN, Optional.empty()))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> {
            assertThat(e.name()).isEqualTo(Name.NotAllowedError);
            assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
          });
      assertThat(client.get(get("", ",\"userVerification\":\"required\"", r.rawId()), ORIGIN, Optional.of(PIN)).rawId()).isEqualTo(r.rawId());
    }

    @Test
    void credBlob_roundTrip() {
      RegistrationResponse r = register("\"credBlob\":\"" + b64("ssh-cert") + "\"");
      assertThat(r.clientExtensionResults().credBlob()).contains(true);
      ClientExtensionResults g = assertWith(client, "\"getCredBlob\":true", "", Optional.empty(), r.rawId());
      assertThat(g.getCredBlob()).contains(Bytes.wrap("ssh-cert".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void credBlob_longerThanMaxCredBlobLength_isFalse() {
      RegistrationResponse r = register("\"credBlob\":\"" + Bytes.wrap(new byte[33]).base64Url() + "\"");
      assertThat(r.clientExtensionResults().credBlob()).contains(false);
    }
  }

  @Nested
  class LargeBlob {
    RegistrationResponse registerWithLargeBlob(Optional<String> pin) {
      return client.create(
          create("\"largeBlob\":{\"support\":\"required\"}", ",\"authenticatorSelection\":{\"residentKey\":\"required\"}"), ORIGIN, pin);
    }

    @Test
    void writeThenRead_givesTheBlobBack() {
      RegistrationResponse r = registerWithLargeBlob(Optional.empty());
      assertThat(r.toJsonNode().at("/clientExtensionResults/largeBlob/supported").asBoolean()).isTrue();
      String blob = b64("a certificate, say");
      AuthenticationResponse w = client.get(get("\"largeBlob\":{\"write\":\"" + blob + "\"}", "", r.rawId()), ORIGIN, Optional.empty());
      assertThat(w.toJsonNode().at("/clientExtensionResults/largeBlob/written").asBoolean()).isTrue();
      AuthenticationResponse read = client.get(get("\"largeBlob\":{\"read\":true}", "", r.rawId()), ORIGIN, Optional.empty());
      assertThat(read.toJsonNode().at("/clientExtensionResults/largeBlob/blob").asText()).isEqualTo(blob);
    }

    @Test
    void read_withoutABlob_hasNoBlobMember() {
      RegistrationResponse r = registerWithLargeBlob(Optional.empty());
      AuthenticationResponse read = client.get(get("\"largeBlob\":{\"read\":true}", "", r.rawId()), ORIGIN, Optional.empty());
      assertThat(read.toJsonNode().at("/clientExtensionResults/largeBlob").toString()).isEqualTo("{}");
    }

    @Test
    void write_onAKeyWithAPin_usesATokenWithLbw() {
      pin2.setPin(PIN);
      RegistrationResponse r = registerWithLargeBlob(Optional.of(PIN));
      AuthenticationResponse w =
          client.get(get("\"largeBlob\":{\"write\":\"" + b64("protected") + "\"}", ",\"userVerification\":\"required\"", r.rawId()), ORIGIN, Optional.of(PIN));
      assertThat(w.clientExtensionResults().largeBlob().orElseThrow().written()).contains(true);
      AuthenticationResponse read = client.get(get("\"largeBlob\":{\"read\":true}", "", r.rawId()), ORIGIN, Optional.of(PIN));
      assertThat(read.clientExtensionResults().largeBlob().orElseThrow().blob()).contains(Bytes.wrap("protected".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Nested
  class AttestationNone {
    @Test
    void aRegistrationWithAttestationNone_yieldsFmtNoneAndAZeroAaguid() {
      RegistrationResponse r = client.create(create("", ",\"attestation\":\"none\""), ORIGIN, Optional.empty());
      CborMap att = CborDecoder.decodeMap(r.attestationObject().toArray());
      assertThat(att.text("fmt")).isEqualTo("none");
      assertThat(att.map("attStmt").size()).isZero();
      assertThat(AuthenticatorData.parse(att.bytes("authData")).attestedCredentialData().orElseThrow().aaguid()).isEqualTo(new UUID(0, 0));
      assertThat(AuthenticatorData.parse(r.authenticatorData()).attestedCredentialData().orElseThrow().aaguid()).isEqualTo(new UUID(0, 0));
      // The credential still works: an assertion verifies with the registered key's ID.
      assertThat(client.get(get("", "", r.rawId()), ORIGIN, Optional.empty()).rawId()).isEqualTo(r.rawId());
    }

    @Test
    void direct_keepsThePackedBatchStatementAndTheAaguid() {
      Profile generic = Profiles.defaultProfile();
      RegistrationResponse r = client.create(create("", ",\"attestation\":\"direct\""), ORIGIN, Optional.empty());
      CborMap att = CborDecoder.decodeMap(r.attestationObject().toArray());
      assertThat(att.text("fmt")).isEqualTo("packed");
      assertThat(att.map("attStmt").has("x5c")).isTrue();
      assertThat(AuthenticatorData.parse(r.authenticatorData()).attestedCredentialData().orElseThrow().aaguid())
          .isEqualTo(generic.identity().aaguid());
    }
  }
}
