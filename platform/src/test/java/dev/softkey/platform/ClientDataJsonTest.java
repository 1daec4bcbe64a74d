package dev.softkey.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** WebAuthn L3 section 5.8.1.1, "Serialization" (the CCDToString rules are quoted per test). */
class ClientDataJsonTest {

  @Test
  void serialize_membersInSpecOrder_crossOriginFalse() {
    Bytes cdj = ClientDataJson.serialize("webauthn.create", Bytes.fromHex("00ff10"), "https://example.com", false);
    assertThat(new String(cdj.unsafeArray(), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"webauthn.create\",\"challenge\":\"AP8Q\",\"origin\":\"https://example.com\",\"crossOrigin\":false}");
  }

  @Test
  void serialize_crossOriginTrue_writesTrue() {
    Bytes cdj = ClientDataJson.serialize("webauthn.get", Bytes.fromHex("01"), "http://localhost:8080", true);
    assertThat(new String(cdj.unsafeArray(), StandardCharsets.UTF_8))
        .endsWith(",\"origin\":\"http://localhost:8080\",\"crossOrigin\":true}");
  }

  @Test
  void serialize_isValidJsonWithTheSameValues() throws Exception {
    String origin = "https://a\"b\\c\u0001\u00e9\uD83D\uDE00";
    Bytes cdj = ClientDataJson.serialize("webauthn.get", Bytes.fromHex("fbff"), origin, false);
    JsonNode n = new ObjectMapper().readTree(cdj.unsafeArray());
    assertThat(n.get("origin").asText()).isEqualTo(origin);
    assertThat(n.get("challenge").asText()).isEqualTo("-_8");
    assertThat(n.get("crossOrigin").asBoolean()).isFalse();
  }

  @Nested
  class CcdToString {
    @Test
    void quote_becomes5c22() {
      assertThat(ClientDataJson.ccdToString("a\"b")).isEqualTo("\"a\\\"b\"");
    }

    @Test
    void backslash_becomes5c5c() {
      assertThat(ClientDataJson.ccdToString("a\\b")).isEqualTo("\"a\\\\b\"");
    }

    @Test
    void controlCharacters_becomeLowerCaseFourDigitEscapes() {
      assertThat(ClientDataJson.ccdToString("\u0000\n\u001f\u001a"))
          .isEqualTo("\"\\u0000\\u000a\\u001f\\u001a\"");
    }

    @Test
    void space_bang_slash_del_andNonAscii_areLiteral() {
      // U+0020, U+0021, U+0023..U+005B and U+005D..U+10FFFF are appended as UTF-8.
      String s = " !#/[]~\u007f\u00e9\u4e2d\uD83D\uDE00";
      assertThat(ClientDataJson.ccdToString(s)).isEqualTo("\"" + s + "\"");
    }

    @Test
    void loneSurrogate_becomesReplacementCharacter() {
      assertThat(ClientDataJson.ccdToString("a\uD800b")).isEqualTo("\"a\uFFFDb\"");
    }
  }
}
