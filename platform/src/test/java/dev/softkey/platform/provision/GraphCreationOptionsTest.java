package dev.softkey.platform.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CreationOptions;
import dev.softkey.testvectors.EntraVectors;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Reading a Graph creationOptions response as it comes (entra.md section 1.2). */
class GraphCreationOptionsTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static ObjectNode fixture() throws Exception {
    return (ObjectNode) MAPPER.readTree(EntraVectors.graphCreationOptions());
  }

  @Nested
  class TheCapturedShape {
    @Test
    void everyMemberIsRead_odataAnnotationsIgnored() throws Exception {
      GraphCreationOptions g = GraphCreationOptions.parse(EntraVectors.graphCreationOptions());
      CreationOptions o = g.publicKey();
      assertThat(g.challengeTimeoutDateTime()).contains("2026-12-02T05:00:00Z");
      assertThat(g.rpId()).isEqualTo("login.microsoft.com");
      assertThat(o.rpName()).isEqualTo("Microsoft");
      assertThat(g.userPrincipalName()).isEqualTo("AdeleV@contoso.com");
      assertThat(o.userDisplayName()).isEqualTo("Adele Vance");
      assertThat(g.userId().length()).isEqualTo(48);
      assertThat(o.pubKeyCredParams()).extracting(CreationOptions.CredentialParameters::alg).containsExactly(-7L, -257L);
      assertThat(o.requireResidentKey()).isTrue();
      assertThat(o.userVerification()).isEqualTo("required");
      assertThat(o.attestation()).isEqualTo("direct");
      assertThat(o.extensions().hmacCreateSecret()).isTrue();
      assertThat(o.extensions().enforceCredentialProtectionPolicy()).isTrue();
      assertThat(o.extensions().credentialProtectionPolicy()).contains("userVerificationOptional");
    }

    @Test
    void theChallenge_isTheBytesTheBase64urlStands_for_severalKb() throws Exception {
      String text = fixture().get("publicKey").get("challenge").asText();
      Bytes challenge = GraphCreationOptions.parse(EntraVectors.graphCreationOptions()).publicKey().challenge();
      assertThat(text.length()).isGreaterThan(4000);
      assertThat(challenge.base64Url()).isEqualTo(text);
      // base64url of a compact JWE: five base64url parts separated by dots.
      assertThat(new String(challenge.toArray(), java.nio.charset.StandardCharsets.US_ASCII).split("\\.")).hasSize(5);
    }

    @Test
    void excludeCredentials_inStandardBase64WithPadding_areDecoded() throws Exception {
      ObjectNode f = fixture();
      String std = f.get("publicKey").get("excludeCredentials").get(0).get("id").asText();
      assertThat(std).containsAnyOf("+", "/").endsWith("=");
      CreationOptions o = GraphCreationOptions.parse(f.toString()).publicKey();
      assertThat(o.excludeCredentials()).hasSize(2);
      assertThat(o.excludeCredentials().get(0).id()).isEqualTo(Bytes.wrap(Base64.getDecoder().decode(std)));
    }

    @Test
    void excludeCredentials_inBase64url_giveTheSameIds() throws Exception {
      ObjectNode f = fixture();
      ObjectNode d = (ObjectNode) f.get("publicKey").get("excludeCredentials").get(0);
      Bytes id = Bytes.wrap(Base64.getDecoder().decode(d.get("id").asText()));
      d.put("id", id.base64Url());
      assertThat(GraphCreationOptions.parse(f.toString()).publicKey().excludeCredentials().get(0).id()).isEqualTo(id);
    }
  }

  @Nested
  class Malformed {
    @Test
    void notJson_namesTheDocument() {
      assertThatThrownBy(() -> GraphCreationOptions.parse("{\"publicKey\": "))
          .isInstanceOf(GraphOptionsException.class).hasMessageStartingWith("the document is not valid JSON");
    }

    @Test
    void missingPublicKey() {
      assertThatThrownBy(() -> GraphCreationOptions.parse("{\"challengeTimeoutDateTime\": \"x\"}"))
          .isInstanceOf(GraphOptionsException.class).hasMessage("publicKey is missing");
    }

    @Test
    void userIdLongerThan64Bytes() throws Exception {
      ObjectNode f = fixture();
      ((ObjectNode) f.get("publicKey").get("user")).put("id", Bytes.wrap(new byte[65]).base64Url());
      assertThatThrownBy(() -> GraphCreationOptions.parse(f.toString()))
          .isInstanceOf(GraphOptionsException.class).hasMessage("publicKey.user.id must be 1 to 64 bytes, got 65")
          .extracting(e -> ((GraphOptionsException) e).field()).isEqualTo("publicKey.user.id");
    }

    @Test
    void anExcludedIdThatIsNotBase64_namesItsIndex() throws Exception {
      ObjectNode f = fixture();
      ((ObjectNode) f.get("publicKey").get("excludeCredentials").get(1)).put("id", "a+b-c");
      assertThatThrownBy(() -> GraphCreationOptions.parse(f.toString()))
          .isInstanceOf(GraphOptionsException.class).hasMessageStartingWith("publicKey.excludeCredentials[1].id is neither base64url nor base64");
    }

    @Test
    void anAlgThatIsNotAnInteger() throws Exception {
      ObjectNode f = fixture();
      ((ObjectNode) f.get("publicKey").get("pubKeyCredParams").get(1)).put("alg", "RS256");
      assertThatThrownBy(() -> GraphCreationOptions.parse(f.toString()))
          .isInstanceOf(GraphOptionsException.class).hasMessageStartingWith("publicKey.pubKeyCredParams[1].alg must be an integer");
    }

    @Test
    void anUnknownCredProtectPolicy() throws Exception {
      ObjectNode f = fixture();
      ((ObjectNode) f.get("publicKey").get("extensions")).put("credentialProtectionPolicy", "optional");
      assertThatThrownBy(() -> GraphCreationOptions.parse(f.toString()))
          .isInstanceOf(GraphOptionsException.class).hasMessageStartingWith("publicKey.extensions.credentialProtectionPolicy must be one of");
    }

    @Test
    void aMissingUpn() throws Exception {
      ObjectNode f = fixture();
      ((ObjectNode) f.get("publicKey").get("user")).remove("name");
      assertThatThrownBy(() -> GraphCreationOptions.parse(f.toString()))
          .isInstanceOf(GraphOptionsException.class).hasMessage("publicKey.user.name is missing");
    }
  }
}
