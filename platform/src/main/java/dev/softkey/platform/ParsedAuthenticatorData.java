package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;

/**
 * Authenticator data as the client reads it (WebAuthn L3 section 6.1): rpIdHash (32), flags (1),
 * signCount (4, big-endian), attestedCredentialData when AT is set (section 6.5.2: AAGUID 16,
 * credentialIdLength 2, credentialId, credentialPublicKey as COSE_Key CBOR), extensions when ED is
 * set.
 *
 * @param rpIdHash SHA-256 of the RP ID
 * @param flags the flags byte
 * @param signCount the signature counter
 * @param attestedCredentialData present when AT is set
 * @param extensions the authenticator extension outputs, present when ED is set
 */
public record ParsedAuthenticatorData(
    Bytes rpIdHash,
    int flags,
    long signCount,
    Optional<AttestedCredentialData> attestedCredentialData,
    Optional<CborMap> extensions) {

  public static final int FLAG_UP = 0x01;
  public static final int FLAG_UV = 0x04;
  public static final int FLAG_BE = 0x08;
  public static final int FLAG_BS = 0x10;
  public static final int FLAG_AT = 0x40;
  public static final int FLAG_ED = 0x80;

  /**
   * @param aaguid the AAGUID (16 bytes)
   * @param credentialId the credential ID
   * @param credentialPublicKey the decoded COSE_Key
   * @param credentialPublicKeyBytes the COSE_Key as it appeared in authData
   */
  public record AttestedCredentialData(
      Bytes aaguid, Bytes credentialId, CborMap credentialPublicKey, Bytes credentialPublicKeyBytes) {}

  public boolean userPresent() {
    return (flags & FLAG_UP) != 0;
  }

  public boolean userVerified() {
    return (flags & FLAG_UV) != 0;
  }

  /** Parses authData; a malformed structure is an UnknownError (the authenticator misbehaved). */
  public static ParsedAuthenticatorData parse(Bytes authData) {
    byte[] b = authData.unsafeArray();
    if (b.length < 37) {
      throw malformed("shorter than 37 bytes");
    }
    int flags = b[32] & 0xFF;
    long signCount =
        ((long) (b[33] & 0xFF) << 24) | ((b[34] & 0xFF) << 16) | ((b[35] & 0xFF) << 8) | (b[36] & 0xFF);
    int pos = 37;
    Optional<AttestedCredentialData> acd = Optional.empty();
    Optional<CborMap> ext = Optional.empty();
    try {
      if ((flags & FLAG_AT) != 0) {
        if (b.length < pos + 18) {
          throw malformed("attestedCredentialData truncated");
        }
        Bytes aaguid = Bytes.of(b, pos, 16);
        int idLen = ((b[pos + 16] & 0xFF) << 8) | (b[pos + 17] & 0xFF);
        pos += 18;
        if (b.length < pos + idLen) {
          throw malformed("credentialId truncated");
        }
        Bytes credId = Bytes.of(b, pos, idLen);
        pos += idLen;
        CborDecoder.Prefix key = CborDecoder.decodePrefix(b, pos);
        if (!(key.value() instanceof CborMap coseKey)) {
          throw malformed("credentialPublicKey is not a map");
        }
        acd = Optional.of(new AttestedCredentialData(aaguid, credId, coseKey, Bytes.of(b, pos, key.length())));
        pos += key.length();
      }
      if ((flags & FLAG_ED) != 0) {
        CborDecoder.Prefix e = CborDecoder.decodePrefix(b, pos);
        if (!(e.value() instanceof CborMap m)) {
          throw malformed("extensions are not a map");
        }
        ext = Optional.of(m);
        pos += e.length();
      }
    } catch (CtapException e) {
      throw malformed("bad CBOR (" + e.status() + ")");
    }
    if (pos != b.length) {
      throw malformed("trailing bytes");
    }
    return new ParsedAuthenticatorData(authData.slice(0, 32), flags, signCount, acd, ext);
  }

  private static WebAuthnException malformed(String why) {
    return new WebAuthnException(Name.UnknownError, "authenticator data is malformed: " + why);
  }
}
