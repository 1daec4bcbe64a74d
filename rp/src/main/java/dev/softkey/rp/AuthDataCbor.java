package dev.softkey.rp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The two CBOR items of authenticator data the page shows and Yubico's typed API does not give as
 * they are: the credential public key's COSE {@code alg} (key 3) and the extension outputs map
 * (WebAuthn L3 section 6.1: rpIdHash 32, flags 1, signCount 4, then with AT the attested
 * credential data (AAGUID 16, length 2, ID, COSE_Key), then with ED the extensions map). Integer
 * map keys become JSON member names, byte strings base64.
 */
final class AuthDataCbor {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final int AT = 0x40;
  private static final int ED = 0x80;

  private AuthDataCbor() {}

  /** The COSE_Key's alg, or 0 when it has none. */
  static int algorithm(byte[] coseKey) {
    try {
      JsonNode k = CBOR.readTree(coseKey);
      return k.path("3").asInt(0);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The extension outputs of {@code authData}, when the ED flag says there are some. */
  static Optional<ObjectNode> extensions(byte[] authData) {
    if (authData.length < 37 || (authData[32] & ED) == 0) {
      return Optional.empty();
    }
    int at = 37;
    try {
      if ((authData[32] & AT) != 0) {
        int idLength = ((authData[at + 16] & 0xff) << 8) | (authData[at + 17] & 0xff);
        at += 18 + idLength;
        at += itemLength(Arrays.copyOfRange(authData, at, authData.length));
      }
      JsonNode n = CBOR.readTree(Arrays.copyOfRange(authData, at, authData.length));
      return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int itemLength(byte[] bytes) throws IOException {
    try (JsonParser p = CBOR.getFactory().createParser(bytes)) {
      p.nextToken();
      p.skipChildren();
      p.nextToken();
      return (int) p.currentTokenLocation().getByteOffset();
    }
  }
}
