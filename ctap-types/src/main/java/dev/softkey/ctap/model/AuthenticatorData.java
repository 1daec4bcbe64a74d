package dev.softkey.ctap.model;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;

/**
 * authenticatorData (WebAuthn L3 section 6.1), which the device encodes and the client parses:
 * rpIdHash (32), flags (1), signCount (4, big-endian), attested credential data when AT is set,
 * extensions (a CBOR map) when ED is set. The AT and ED bits always match what is present.
 *
 * @param rpIdHash SHA-256 of the RP ID
 * @param flags UP, UV, BE, BS (AT and ED follow the optional parts)
 * @param signCount the signature counter, 0 to 2^32-1
 * @param attestedCredentialData section 6.5.1, present in makeCredential responses
 * @param extensions authenticator extension outputs
 */
public record AuthenticatorData(
    Bytes rpIdHash, int flags, long signCount, Optional<AttestedCredentialData> attestedCredentialData, Optional<CborMap> extensions) {
  public static final int UP = 0x01;
  public static final int UV = 0x04;
  public static final int BE = 0x08;
  public static final int BS = 0x10;
  public static final int AT = 0x40;
  public static final int ED = 0x80;

  public AuthenticatorData {
    if (rpIdHash.length() != 32) {
      throw new IllegalArgumentException("rpIdHash must be 32 bytes");
    }
    if (signCount < 0 || signCount > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("signCount is a 32-bit unsigned number");
    }
    flags = (flags & 0x3F) | (attestedCredentialData.isPresent() ? AT : 0) | (extensions.isPresent() ? ED : 0);
  }

  /**
   * Attested credential data (WebAuthn L3 section 6.5.1).
   *
   * @param aaguid the authenticator model
   * @param credentialId the credential ID (at most 1023 bytes)
   * @param credentialPublicKey the credential public key, a COSE_Key
   */
  public record AttestedCredentialData(UUID aaguid, Bytes credentialId, CborMap credentialPublicKey) {
    public AttestedCredentialData {
      if (credentialId.length() > 1023) {
        throw new IllegalArgumentException("a credential ID is at most 1023 bytes");
      }
    }

    /** The COSE_Key as it appears in authenticatorData (canonical CBOR, so as the authenticator wrote it). */
    public Bytes credentialPublicKeyBytes() {
      return CborEncoder.encodeBytes(credentialPublicKey);
    }
  }

  public boolean userPresent() {
    return (flags & UP) != 0;
  }

  public boolean userVerified() {
    return (flags & UV) != 0;
  }

  public Bytes encode() {
    byte[] ext = extensions.map(CborEncoder::encode).orElse(new byte[0]);
    byte[] cose = attestedCredentialData.map(a -> CborEncoder.encode(a.credentialPublicKey())).orElse(new byte[0]);
    int credLen = attestedCredentialData.map(a -> a.credentialId().length()).orElse(0);
    int size = 37 + (attestedCredentialData.isPresent() ? 16 + 2 + credLen + cose.length : 0) + ext.length;
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(rpIdHash.unsafeArray());
    b.put((byte) flags);
    b.putInt((int) signCount);
    attestedCredentialData.ifPresent(
        a -> {
          b.put(Bytes.fromUuid(a.aaguid()).unsafeArray());
          b.putShort((short) a.credentialId().length());
          b.put(a.credentialId().unsafeArray());
          b.put(cose);
        });
    b.put(ext);
    return Bytes.wrap(b.array());
  }

  /**
   * Parses authenticatorData strictly: truncated parts and trailing bytes are
   * CTAP1_ERR_INVALID_LENGTH, a COSE_Key or extensions that are not a canonical CBOR map the
   * decoder's status (or CTAP2_ERR_CBOR_UNEXPECTED_TYPE). A client turns these into its own error.
   */
  public static AuthenticatorData parse(Bytes authData) {
    byte[] b = authData.unsafeArray();
    if (b.length < 37) {
      throw malformed("shorter than 37 bytes");
    }
    int flags = b[32] & 0xFF;
    long signCount = ByteBuffer.wrap(b, 33, 4).getInt() & 0xFFFF_FFFFL;
    int pos = 37;
    Optional<AttestedCredentialData> acd = Optional.empty();
    Optional<CborMap> ext = Optional.empty();
    if ((flags & AT) != 0) {
      if (b.length < pos + 18) {
        throw malformed("attestedCredentialData truncated");
      }
      ByteBuffer aaguid = ByteBuffer.wrap(b, pos, 16);
      UUID uuid = new UUID(aaguid.getLong(), aaguid.getLong());
      int idLen = ((b[pos + 16] & 0xFF) << 8) | (b[pos + 17] & 0xFF);
      pos += 18;
      if (b.length < pos + idLen) {
        throw malformed("credentialId truncated");
      }
      Bytes credId = Bytes.of(b, pos, idLen);
      pos += idLen;
      CborDecoder.Prefix key = CborDecoder.decodePrefix(b, pos);
      acd = Optional.of(new AttestedCredentialData(uuid, credId, CborMap.asMap(key.value())));
      pos += key.length();
    }
    if ((flags & ED) != 0) {
      CborDecoder.Prefix e = CborDecoder.decodePrefix(b, pos);
      ext = Optional.of(CborMap.asMap(e.value()));
      pos += e.length();
    }
    if (pos != b.length) {
      throw malformed("trailing bytes");
    }
    return new AuthenticatorData(authData.slice(0, 32), flags, signCount, acd, ext);
  }

  private static CtapException malformed(String why) {
    return new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "authenticator data: " + why);
  }
}
