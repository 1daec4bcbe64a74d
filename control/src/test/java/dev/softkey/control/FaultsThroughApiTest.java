package dev.softkey.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.UserVerificationRequirement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault plans through the API, as the "How we will know" says: a forced status once and
 * then normal behaviour, a bogus signature that the RP rejects, a delay that the ceremony's
 * timeout catches, a dropped reply.
 */
class FaultsThroughApiTest {
  ControlServer server;
  ApiClient api;
  final YubicoRp rp = new YubicoRp();
  String a;

  @BeforeEach
  void start() throws Exception {
    server = ControlServer.builder().build().start();
    api = new ApiClient(server);
    a = "/webauthn/authenticator/" + api.addAuthenticator(Map.of("softkey:seed", 21));
    PublicKeyCredentialCreationOptions reg = rp.startRegistration();
    ApiClient.Response c = api.post(a + "/webauthn/create", Map.of("options", reg.toCredentialsCreateJson(), "origin", Ceremony.ORIGIN));
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    rp.finishRegistration(reg, c.value());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient.Response get(AssertionRequest request, long timeoutMs) throws Exception {
    ObjectNode options = (ObjectNode) ApiClient.MAPPER.readTree(request.toCredentialsGetJson());
    ((ObjectNode) options.get("publicKey")).put("timeout", timeoutMs);
    return api.post(a + "/webauthn/get", Map.of("options", options, "origin", Ceremony.ORIGIN));
  }

  @Test
  void forcedStatusOnce_thenNormal() throws Exception {
    ApiClient.Response f = api.post(a + "/faults", Map.of("command", "getAssertion", "status", "CTAP2_ERR_OPERATION_DENIED", "times", "once"));
    assertThat(f.status()).as(f.body()).isEqualTo(200);
    JsonNode rules = api.get(a + "/faults").value();
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).get("status").asText()).isEqualTo("CTAP2_ERR_OPERATION_DENIED");

    ApiClient.Response first = get(rp.startAssertion(UserVerificationRequirement.DISCOURAGED), 10_000);
    assertThat(first.status()).isEqualTo(400);
    assertThat(first.error()).isEqualTo("NotAllowedError");
    assertThat(first.json().at("/value/message").asText()).contains("CTAP2_ERR_OPERATION_DENIED");

    AssertionRequest second = rp.startAssertion(UserVerificationRequirement.DISCOURAGED);
    ApiClient.Response ok = get(second, 10_000);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(rp.finishAssertion(second, ok.value()).isSuccess()).isTrue();
  }

  @Test
  void bogusSignature_isRejectedByTheRp() throws Exception {
    ApiClient.Response o = api.post(a + "/response-override-bits", Map.of("isBogusSignature", true));
    assertThat(o.status()).as(o.body()).isEqualTo(200);
    AssertionRequest request = rp.startAssertion(UserVerificationRequirement.DISCOURAGED);
    ApiClient.Response got = get(request, 10_000);
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    assertThatThrownBy(() -> {
      if (!rp.finishAssertion(request, got.value()).isSuccess()) {
        throw new IllegalStateException("not verified");
      }
    }).isInstanceOf(Exception.class);

    api.post(a + "/response-override-bits", Map.of("isBogusSignature", false));
    AssertionRequest again = rp.startAssertion(UserVerificationRequirement.DISCOURAGED);
    assertThat(rp.finishAssertion(again, get(again, 10_000).value()).isSuccess()).isTrue();
  }

  @Test
  void delay_isCaughtByTheCeremonysTimeout() throws Exception {
    assertThat(api.post(a + "/faults", Map.of("command", "getAssertion", "delayMs", 20_000, "times", "once")).status()).isEqualTo(200);
    long start = System.nanoTime();
    ApiClient.Response r = get(rp.startAssertion(UserVerificationRequirement.DISCOURAGED), 700);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.error()).isEqualTo("NotAllowedError");
    assertThat(ms).isBetween(600L, 8_000L);
  }

  @Test
  void droppedReply_isNotAllowedErrorAfterTheTimeout() throws Exception {
    assertThat(api.post(a + "/faults", Map.of("command", "getAssertion", "dropReply", true, "times", "once")).status()).isEqualTo(200);
    long start = System.nanoTime();
    ApiClient.Response r = get(rp.startAssertion(UserVerificationRequirement.DISCOURAGED), 700);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.error()).isEqualTo("NotAllowedError");
    assertThat(ms).isBetween(600L, 8_000L);
  }

  @Test
  void badRules_areInvalidArgument_andDeleteClears() {
    for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(
        Map.of("command", "noSuchCommand", "status", "CTAP2_ERR_OPERATION_DENIED"),
        Map.of("command", "getAssertion", "status", "CTAP2_ERR_NOPE"),
        Map.of("command", "getAssertion", "status", "CTAP2_ERR_OPERATION_DENIED", "times", "sometimes"),
        Map.of("command", "getAssertion", "status", "CTAP2_ERR_OPERATION_DENIED", "times", "every"),
        Map.of("command", "getAssertion", "delayMs", -5))) {
      ApiClient.Response r = api.post(a + "/faults", bad);
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.error()).as(bad.toString()).isEqualTo("invalid argument");
    }
    api.post(a + "/faults", Map.of("command", "*", "status", "0x2E", "times", "every", "n", 2));
    assertThat(api.get(a + "/faults").value()).hasSize(1);
    assertThat(api.delete(a + "/faults").status()).isEqualTo(200);
    assertThat(api.get(a + "/faults").value()).isEmpty();
  }
}
