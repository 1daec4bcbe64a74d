package dev.softkey.load.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** softkey rp's contract as the default endpoints, and each part replaced. */
class PasskeyEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void softkeyRpDefaults() throws Exception {
    PasskeyEndpoints rp = PasskeyEndpoints.softkeyRp("http://localhost:8780/");

    assertThat(rp.origin()).isEqualTo("http://localhost:8780");
    assertThat(rp.registerOptionsUrl()).isEqualTo("http://localhost:8780/api/register/options");
    assertThat(rp.registerVerifyUrl()).isEqualTo("http://localhost:8780/api/register/verify");
    assertThat(rp.signInOptionsUrl()).isEqualTo("http://localhost:8780/api/signin/options");
    assertThat(rp.signInVerifyUrl()).isEqualTo("http://localhost:8780/api/signin/verify");
    assertThat(rp.optionsPath()).isEqualTo("publicKey");
    assertThat(rp.ceremonyIdPath()).contains("ceremonyId");
    assertThat(rp.okPath()).isEqualTo("ok");

    JsonNode register = JSON.readTree(rp.registerOptionsBody("user-1-0"));
    assertThat(register.path("username").asText()).isEqualTo("user-1-0");
    assertThat(register.path("discoverable").isBoolean()).isTrue();
    assertThat(register.path("discoverable").asBoolean()).isFalse();
    assertThat(JSON.readTree(rp.signInOptionsBody("user-1-0")).path("username").asText()).isEqualTo("user-1-0");

    JsonNode verify = JSON.readTree(rp.verifyBody(Optional.of("c-1"), "{\"id\":\"abc\",\"type\":\"public-key\"}"));
    assertThat(verify.path("ceremonyId").asText()).isEqualTo("c-1");
    // the credential is embedded as an object, not as a string
    assertThat(verify.path("credential").path("id").asText()).isEqualTo("abc");
  }

  @Test
  void httpsAndADefaultPortKeepTheOriginBare() {
    assertThat(PasskeyEndpoints.softkeyRp("https://rp.example").origin()).isEqualTo("https://rp.example");
    assertThat(PasskeyEndpoints.softkeyRp("https://rp.example/app").registerOptionsUrl()).isEqualTo("https://rp.example/app/api/register/options");
  }

  @Test
  void everyPartCanBeReplaced() throws Exception {
    PasskeyEndpoints rp =
        PasskeyEndpoints.softkeyRp("http://localhost:9000")
            .withPaths("/webauthn/register/begin", "webauthn/register/finish", "https://auth.example/login/begin", "/webauthn/login/finish")
            .withOrigin("https://app.example")
            .withExtraction("@", Optional.empty())
            .withOkPath("status == 'ok'")
            .withOptionsBodies(u -> PasskeyEndpoints.registerOptions(u, true, Optional.of("required"), Optional.of("none")), u -> PasskeyEndpoints.signInOptions(Optional.empty(), Optional.of("required")))
            .withVerifyBody((id, credential) -> credential);

    assertThat(rp.registerOptionsUrl()).isEqualTo("http://localhost:9000/webauthn/register/begin");
    assertThat(rp.registerVerifyUrl()).isEqualTo("http://localhost:9000/webauthn/register/finish");
    assertThat(rp.signInOptionsUrl()).isEqualTo("https://auth.example/login/begin");
    assertThat(rp.origin()).isEqualTo("https://app.example");
    assertThat(rp.ceremonyIdPath()).isEmpty();
    assertThat(rp.optionsPath()).isEqualTo("@");
    assertThat(rp.okPath()).isEqualTo("status == 'ok'");
    JsonNode register = JSON.readTree(rp.registerOptionsBody("bob"));
    assertThat(register.path("discoverable").asBoolean()).isTrue();
    assertThat(register.path("userVerification").asText()).isEqualTo("required");
    assertThat(register.path("attestation").asText()).isEqualTo("none");
    JsonNode signIn = JSON.readTree(rp.signInOptionsBody("bob"));
    assertThat(signIn.has("username")).isFalse();
    assertThat(rp.verifyBody(Optional.empty(), "{\"id\":\"x\"}")).isEqualTo("{\"id\":\"x\"}");
  }

  @Test
  void aBaseUrlThatIsNotHttpIsRefusedWithWhatToGive() {
    assertThatThrownBy(() -> PasskeyEndpoints.softkeyRp("localhost:8780"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://localhost:8780");
    assertThatThrownBy(() -> PasskeyEndpoints.softkeyRp("ftp://localhost")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasskeyEndpoints.verify(Optional.empty(), "not json")).isInstanceOf(IllegalArgumentException.class);
  }
}
