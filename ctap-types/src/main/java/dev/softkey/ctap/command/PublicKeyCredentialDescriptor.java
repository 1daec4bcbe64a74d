package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;

/**
 * PublicKeyCredentialDescriptor (WebAuthn L3 section 5.8.3) as CTAP carries it in excludeList,
 * allowList and the getAssertion response member credential.
 *
 * @param type "type", normally {@value #PUBLIC_KEY}
 * @param id "id", the credential ID
 * @param transports "transports", left out when empty
 */
public record PublicKeyCredentialDescriptor(String type, Bytes id, List<String> transports) implements CborEncodable {
  public static final String PUBLIC_KEY = "public-key";

  public PublicKeyCredentialDescriptor {
    transports = List.copyOf(transports);
  }

  public static PublicKeyCredentialDescriptor publicKey(Bytes id) {
    return new PublicKeyCredentialDescriptor(PUBLIC_KEY, id, List.of());
  }

  public static PublicKeyCredentialDescriptor fromCbor(CborMap m) {
    return new PublicKeyCredentialDescriptor(
        m.text("type"), m.bytes("id"), WireLists.texts(m.optList("transports").orElse(List.of())));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("type", type).put("id", id).putNonEmpty("transports", transports).build();
  }
}
