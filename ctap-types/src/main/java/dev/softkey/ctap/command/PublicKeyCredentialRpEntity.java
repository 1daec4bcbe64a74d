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
    MessageDigest sha256;
    try {
      // A clone of one looked-up instance: the provider lookup of getInstance cost more than the
      // hash itself on every makeCredential and getAssertion.
      sha256 = (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      sha256 = newSha256();
    }
    return Bytes.wrap(sha256.digest(rpId.getBytes(StandardCharsets.UTF_8)));
  }

  /** A fresh SHA-256, never used itself: only cloned (a clone is independent state). */
  private static final MessageDigest SHA256 = newSha256();

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
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
