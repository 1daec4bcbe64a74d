package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
  /** SHA-256 of an RP ID: the rpIdHash of authenticatorData (WebAuthn L3 section 6.1). */
  public static Bytes idHash(String rpId) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  public static PublicKeyCredentialRpEntity fromCbor(CborMap m) {
    m.optText("icon");
    return new PublicKeyCredentialRpEntity(m.text("id"), m.optText("name"));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().put("id", id).putOpt("name", name).build();
  }
}
