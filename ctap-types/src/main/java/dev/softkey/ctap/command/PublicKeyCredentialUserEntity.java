package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * PublicKeyCredentialUserEntity as CTAP carries it (WebAuthn L3 section 5.4.3; CTAP 2.1 sections
 * 6.1.1 member user and 6.2.2 response member user). The deprecated "icon" (WebAuthn Level 1,
 * removed in Level 2) is type-checked and kept when present, so that an authenticator that stores it
 * (the profile quirk keepUserIcon) can; CTAP 2.1 authenticators store id, name and displayName only.
 *
 * @param id "id", the user handle
 * @param name "name"
 * @param displayName "displayName"
 * @param icon "icon", a URL; empty when absent
 */
public record PublicKeyCredentialUserEntity(Bytes id, Optional<String> name, Optional<String> displayName, Optional<String> icon)
    implements CborEncodable {
  public PublicKeyCredentialUserEntity {
    java.util.Objects.requireNonNull(icon, "icon");
  }

  /** A user entity without an icon. */
  public PublicKeyCredentialUserEntity(Bytes id, Optional<String> name, Optional<String> displayName) {
    this(id, name, displayName, Optional.empty());
  }

  /** WebAuthn L3 section 5.4.3: a user handle is at most 64 bytes. */
  public static final int MAX_ID_LENGTH = 64;

  public static PublicKeyCredentialUserEntity of(Bytes id) {
    return new PublicKeyCredentialUserEntity(id, Optional.empty(), Optional.empty());
  }

  public static PublicKeyCredentialUserEntity fromCbor(CborMap m) {
    return new PublicKeyCredentialUserEntity(m.bytes("id"), m.optText("name"), m.optText("displayName"), m.optText("icon"));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("id", id).putOpt("name", name).putOpt("displayName", displayName).putOpt("icon", icon).build();
  }
}
