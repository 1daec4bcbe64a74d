package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * PublicKeyCredentialRpEntity as CTAP carries it (WebAuthn L3 section 5.4.2; CTAP 2.1 section
 * 6.1.1 member rp). The deprecated "icon" is type-checked when present and otherwise ignored.
 *
 * @param id "id", the RP ID
 * @param name "name"
 */
public record PublicKeyCredentialRpEntity(String id, Optional<String> name) implements CborEncodable {
  public static PublicKeyCredentialRpEntity fromCbor(CborMap m) {
    m.optText("icon");
    return new PublicKeyCredentialRpEntity(m.text("id"), m.optText("name"));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("id", id).putOpt("name", name).build();
  }
}
