package dev.softkey.platform;

import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * The JSON-compatible serialization of client data (WebAuthn L3 section 5.8.1.1), byte for byte
 * what browsers produce, so that RPs using the limited verification algorithm (section 5.8.1.2)
 * accept it.
 */
public final class ClientDataJson {
  /** CollectedClientData.type for navigator.credentials.create(). */
  public static final String TYPE_CREATE = "webauthn.create";
  /** CollectedClientData.type for navigator.credentials.get(). */
  public static final String TYPE_GET = "webauthn.get";

  private ClientDataJson() {}

  /**
   * Serializes {type, challenge, origin, crossOrigin} in that order (section 5.8.1.1 steps 1 to 12;
   * no topOrigin and no other members, so step 12 closes the object).
   *
   * @param challenge the raw challenge; written as unpadded base64url
   */
  public static Bytes serialize(String type, Bytes challenge, String origin, boolean crossOrigin) {
    StringBuilder sb = new StringBuilder(128);
    // 2. {"type":   3. CCDToString(type)
    sb.append("{\"type\":").append(ccdToString(type));
    // 4. ,"challenge":   5. CCDToString(challenge)
    sb.append(",\"challenge\":").append(ccdToString(challenge.base64Url()));
    // 6. ,"origin":   7. CCDToString(origin)
    sb.append(",\"origin\":").append(ccdToString(origin));
    // 8. ,"crossOrigin":   9./10. false or true
    sb.append(",\"crossOrigin\":").append(crossOrigin ? "true" : "false");
    // 12. no further members: }
    sb.append('}');
    return Bytes.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * CCDToString (section 5.8.1.1): a double quote, then per code point: U+0020, U+0021,
   * U+0023..U+005B and U+005D..U+10FFFF as themselves; U+0022 as {@code \"}; U+005C as
   * {@code \\}; every other code point (the C0 controls) as a backslash, "u" and four lower-case hex
   * digits; then a closing double quote. A lone surrogate, which a USVString cannot hold, becomes
   * U+FFFD as WebIDL's USVString conversion makes it.
   */
  public static String ccdToString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    sb.append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        cp = 0xFFFD;
      }
      if (cp == 0x22) {
        sb.append("\\\"");
      } else if (cp == 0x5C) {
        sb.append("\\\\");
      } else if (cp == 0x20 || cp == 0x21 || (cp >= 0x23 && cp <= 0x5B) || cp >= 0x5D) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(String.format("\\u%04x", cp));
      }
    }
    return sb.append('"').toString();
  }
}
