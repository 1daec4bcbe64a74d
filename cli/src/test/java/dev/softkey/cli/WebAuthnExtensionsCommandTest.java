package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey webauthn create/get} with extensions and attestation conveyance, on a file store. */
class WebAuthnExtensionsCommandTest {
  static final String NL = System.lineSeparator();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  Result run(String stdin, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRunner.run(new DeviceFactory(), stdin, all);
  }

  static String create(String extra) {
    return "{\"publicKey\":{\"rp\":{\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
        + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]" + extra + "}}";
  }

  JsonNode ok(Result r) throws Exception {
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    return JSON.readTree(r.out());
  }

  String register(String extra) throws Exception {
    return ok(run(create(extra), "webauthn", "create", "--origin", "https://example.com")).get("id").asText();
  }

  String getOptions(String id) {
    return "{\"challenge\":\"AQIDBA\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"" + id + "\"}]}";
  }

  @Nested
  class Prf {
    @Test
    void getWithAPrfEval_returnsTheSame32BytesTwiceForTheSameSalt_andOtherBytesForAnotherSalt() throws Exception {
      String id = register(",\"extensions\":{\"prf\":{}}");
      String salt = Bytes.wrap("my-salt".getBytes()).base64Url();
      String other = Bytes.wrap("other-salt".getBytes()).base64Url();
      JsonNode a = ok(run(getOptions(id), "webauthn", "get", "--origin", "https://example.com", "--prf-eval", salt));
      JsonNode b = ok(run(getOptions(id), "webauthn", "get", "--origin", "https://example.com", "--prf-eval", salt));
      JsonNode c = ok(run(getOptions(id), "webauthn", "get", "--origin", "https://example.com", "--prf-eval", other));
      String first = a.at("/clientExtensionResults/prf/results/first").asText();
      assertThat(Bytes.fromBase64Url(first).length()).isEqualTo(32);
      assertThat(b.at("/clientExtensionResults/prf/results/first").asText()).isEqualTo(first);
      assertThat(c.at("/clientExtensionResults/prf/results/first").asText()).isNotEqualTo(first);
      assertThat(a.at("/clientExtensionResults/prf/results").has("second")).isFalse();
    }

    @Test
    void prfEvalSecond_addsTheSecondResult() throws Exception {
      String id = register(",\"extensions\":{\"prf\":{}}");
      JsonNode r = ok(run(getOptions(id), "webauthn", "get", "--origin", "https://example.com", "--prf-eval", "AQ", "--prf-eval-second", "Ag"));
      assertThat(Bytes.fromBase64Url(r.at("/clientExtensionResults/prf/results/second").asText()).length()).isEqualTo(32);
      assertThat(r.at("/clientExtensionResults/prf/results/second").asText()).isNotEqualTo(r.at("/clientExtensionResults/prf/results/first").asText());
    }

    @Test
    void prfEvalSecond_withoutPrfEval_isAUsageError() {
      Result r = run(getOptions("AQID"), "webauthn", "get", "--origin", "https://example.com", "--prf-eval-second", "Ag");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: --prf-eval-second needs --prf-eval" + NL);
    }

    @Test
    void prfEval_thatIsNotBase64url_isAUsageError() throws Exception {
      String id = register(",\"extensions\":{\"prf\":{}}");
      Result r = run(getOptions(id), "webauthn", "get", "--origin", "https://example.com", "--prf-eval", "***");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("extensions.prf.eval.first is not valid base64url");
    }
  }

  @Nested
  class CreateOutputs {
    @Test
    void extensionOutputs_areInClientExtensionResults() throws Exception {
      JsonNode r =
          ok(run(create(",\"authenticatorSelection\":{\"residentKey\":\"required\"},\"extensions\":{\"credProps\":true,\"prf\":{},"
              + "\"credBlob\":\"AQID\",\"largeBlob\":{\"support\":\"preferred\"}}"), "webauthn", "create", "--origin", "https://example.com"));
      JsonNode ext = r.get("clientExtensionResults");
      assertThat(ext.at("/credProps/rk").asBoolean()).isTrue();
      assertThat(ext.at("/prf/enabled").asBoolean()).isTrue();
      assertThat(ext.get("credBlob").asBoolean()).isTrue();
      assertThat(ext.at("/largeBlob/supported").asBoolean()).isTrue();
    }
  }

  @Nested
  class Attestation {
    CborMap attestationObject(JsonNode r) {
      return CborDecoder.decodeMap(Bytes.fromBase64Url(r.at("/response/attestationObject").asText()).toArray());
    }

    @Test
    void theDefault_isNone_withAZeroAaguid() throws Exception {
      JsonNode r = ok(run(create(""), "webauthn", "create", "--origin", "https://example.com"));
      CborMap att = attestationObject(r);
      assertThat(att.text("fmt")).isEqualTo("none");
      assertThat(AuthenticatorData.parse(att.bytes("authData")).attestedCredentialData().orElseThrow().aaguid()).isEqualTo(new UUID(0, 0));
    }

    @Test
    void keepAttestation_passesThePackedStatementThrough() throws Exception {
      JsonNode r = ok(run(create(""), "webauthn", "create", "--origin", "https://example.com", "--keep-attestation"));
      CborMap att = attestationObject(r);
      assertThat(att.text("fmt")).isEqualTo("packed");
      assertThat(att.map("attStmt").has("x5c")).isTrue();
    }
  }
}
