package dev.softkey.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.data.UserVerificationRequirement;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebDriver-shaped flow, over real HTTP: add an authenticator, add a credential made
 * from a PKCS#8 key the test generated, a get ceremony that Yubico's RP verifies with that public
 * key, remove the credential (the next get fails NotAllowedError), set UV false (a UV-required get
 * fails NotAllowedError).
 */
class WebDriverFlowTest {
  ControlServer server;
  ApiClient api;
  final YubicoRp rp = new YubicoRp();

  @BeforeEach
  void start() {
    server = ControlServer.builder().build().start();
    api = new ApiClient(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void addCredential_get_remove_uvFalse() throws Exception {
    String id = api.addAuthenticator(Map.of("protocol", "ctap2", "transport", "usb", "hasResidentKey", true,
        "hasUserVerification", true, "isUserConsenting", true, "isUserVerified", true));
    String a = "/webauthn/authenticator/" + id;

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] credentialId = new byte[16];
    for (int i = 0; i < credentialId.length; i++) {
      credentialId[i] = (byte) (0xC0 + i);
    }
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("credentialId", Ceremony.b64(credentialId));
    credential.put("isResidentCredential", true);
    credential.put("rpId", Ceremony.RP_ID);
    credential.put("privateKey", Ceremony.b64(kp.getPrivate().getEncoded()));
    credential.put("userHandle", Ceremony.b64(rp.userHandle.getBytes()));
    credential.put("signCount", 0);
    ApiClient.Response added = api.post(a + "/credential", credential);
    assertThat(added.status()).as(added.body()).isEqualTo(200);

    JsonNode listed = api.get(a + "/credentials").value();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("credentialId").asText()).isEqualTo(Ceremony.b64(credentialId));
    assertThat(listed.get(0).get("rpId").asText()).isEqualTo(Ceremony.RP_ID);
    assertThat(listed.get(0).get("isResidentCredential").asBoolean()).isTrue();
    assertThat(listed.get(0).get("userHandle").asText()).isEqualTo(Ceremony.b64(rp.userHandle.getBytes()));

    rp.addEs256(credentialId, (ECPublicKey) kp.getPublic());
    AssertionRequest request = rp.startAssertion(UserVerificationRequirement.PREFERRED);
    ApiClient.Response got = api.post(a + "/webauthn/get", Map.of("options", request.toCredentialsGetJson(), "origin", Ceremony.ORIGIN));
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    AssertionResult result = rp.finishAssertion(request, got.value());
    assertThat(result.isSuccess()).isTrue();
    assertThat(result.getCredential().getCredentialId().getBytes()).isEqualTo(credentialId);
    assertThat(api.get(a + "/credentials").value().get(0).get("signCount").asLong()).isGreaterThan(0);

    assertThat(api.delete(a + "/credentials/" + Ceremony.b64(credentialId)).status()).isEqualTo(200);
    assertThat(api.get(a + "/credentials").value()).isEmpty();
    AssertionRequest again = rp.startAssertion(UserVerificationRequirement.PREFERRED);
    ApiClient.Response gone = api.post(a + "/webauthn/get", Map.of("options", again.toCredentialsGetJson(), "origin", Ceremony.ORIGIN));
    assertThat(gone.status()).isEqualTo(400);
    assertThat(gone.error()).isEqualTo("NotAllowedError");

    assertThat(api.post(a + "/credential", credential).status()).isEqualTo(200);
    AssertionRequest uvRequired = rp.startAssertion(UserVerificationRequirement.REQUIRED);
    ApiClient.Response verified = api.post(a + "/webauthn/get", Map.of("options", uvRequired.toCredentialsGetJson(), "origin", Ceremony.ORIGIN));
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    assertThat(rp.finishAssertion(uvRequired, verified.value()).isUserVerified()).isTrue();

    assertThat(api.post(a + "/uv", Map.of("isUserVerified", false)).status()).isEqualTo(200);
    AssertionRequest uvRequired2 = rp.startAssertion(UserVerificationRequirement.REQUIRED);
    ApiClient.Response refused = api.post(a + "/webauthn/get", Map.of("options", uvRequired2.toCredentialsGetJson(), "origin", Ceremony.ORIGIN));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.error()).isEqualTo("NotAllowedError");
  }
}
