package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * PublicKeyCredentialUserEntity as CTAP carries it (WebAuthn L3 section 5.4.3; CTAP 2.1 sections
 * 6.1.1 member user and 6.2.2 response member user). The deprecated "icon" is type-checked when
 * present and otherwise ignored.
 *
 * @param id "id", the user handle
 * @param name "name"
 * @param displayName "displayName"
 */
public record PublicKeyCredentialUserEntity(Bytes id, Optional<String> name, Optional<String> displayName)
    implements CborEncodable {
  /** WebAuthn L3 section 5.4.3: a user handle is at most 64 bytes. */
  public static final int MAX_ID_LENGTH = 64;

  public static PublicKeyCredentialUserEntity of(Bytes id) {
    return new PublicKeyCredentialUserEntity(id, Optional.empty(), Optional.empty());
  }

  public static PublicKeyCredentialUserEntity fromCbor(CborMap m) {
    m.optText("icon");
    return new PublicKeyCredentialUserEntity(m.bytes("id"), m.optText("name"), m.optText("displayName"));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("id", id).putOpt("name", name).putOpt("displayName", displayName).build();
  }
}
