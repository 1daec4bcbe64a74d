package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import java.util.Map;

/**
 * PublicKeyCredentialParameters (WebAuthn L3 section 5.3): one entry of makeCredential's
 * pubKeyCredParams and of getInfo's algorithms.
 *
 * @param type "type", normally "public-key"; entries of other types are kept so the authenticator can skip them
 * @param alg "alg", a COSE algorithm identifier
 */
public record PublicKeyCredentialParameters(String type, long alg) implements CborEncodable {
  public static PublicKeyCredentialParameters publicKey(long alg) {
    return new PublicKeyCredentialParameters(PublicKeyCredentialDescriptor.PUBLIC_KEY, alg);
  }

  public static PublicKeyCredentialParameters fromCbor(CborMap m) {
    return new PublicKeyCredentialParameters(m.text("type"), m.longValue("alg"));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("alg", alg).put("type", type).build();
  }
}
