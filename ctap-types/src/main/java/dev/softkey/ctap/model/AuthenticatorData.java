package dev.softkey.ctap.model;

import dev.softkey.ctap.cbor.CborEncoder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Authenticator data (WebAuthn L3 section 6.1): rpIdHash (32) || flags (1) || signCount (4, big
 * endian) || attestedCredentialData? || extensions?.
 *
 * @param rpIdHash SHA-256 of the RP ID
 * @param flags the flags byte ({@link #UP}, {@link #UV}, ...)
 * @param signCount the signature counter
 * @param attested attested credential data, present in makeCredential responses
 * @param extensions the authenticator extension outputs map, if any
 */
public record AuthenticatorData(
    Bytes rpIdHash, int flags, long signCount, Optional<AttestedCredentialData> attested, Optional<Map<Object, Object>> extensions) {
  public static final int UP = 0x01;
  public static final int UV = 0x04;
  public static final int BE = 0x08;
  public static final int BS = 0x10;
  public static final int AT = 0x40;
  public static final int ED = 0x80;

  /**
   * @param aaguid the authenticator model
   * @param credentialId the credential ID
   * @param cosePublicKey the credential public key as a COSE_Key map
   */
  public record AttestedCredentialData(UUID aaguid, Bytes credentialId, Map<Object, Object> cosePublicKey) {}

  public Bytes encode() {
    byte[] ext = extensions.map(CborEncoder::encode).orElse(new byte[0]);
    byte[] cose = attested.map(a -> CborEncoder.encode(a.cosePublicKey())).orElse(new byte[0]);
    int credLen = attested.map(a -> a.credentialId().length()).orElse(0);
    int size = 37 + (attested.isPresent() ? 16 + 2 + credLen + cose.length : 0) + ext.length;
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(rpIdHash.unsafeArray());
    int f = flags;
    if (attested.isPresent()) {
      f |= AT;
    }
    if (extensions.isPresent()) {
      f |= ED;
    }
    b.put((byte) f);
    b.putInt((int) signCount);
    attested.ifPresent(
        a -> {
          b.putLong(a.aaguid().getMostSignificantBits());
          b.putLong(a.aaguid().getLeastSignificantBits());
          b.putShort((short) a.credentialId().length());
          b.put(a.credentialId().unsafeArray());
          b.put(cose);
        });
    b.put(ext);
    return Bytes.wrap(b.array());
  }
}
