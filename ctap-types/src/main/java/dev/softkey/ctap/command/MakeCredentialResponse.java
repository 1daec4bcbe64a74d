package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorMakeCredential response (CTAP 2.1 section 6.1.2, CTAP 2.2 for 0x06).
 *
 * @param fmt 0x01, the attestation statement format identifier
 * @param authData 0x02, authenticatorData with attested credential data
 * @param attStmt 0x03, the attestation statement
 * @param epAtt 0x04, whether enterprise attestation was returned
 * @param largeBlobKey 0x05
 * @param unsignedExtensionOutputs 0x06
 */
public record MakeCredentialResponse(
    String fmt,
    Bytes authData,
    CborMap attStmt,
    Optional<Boolean> epAtt,
    Optional<Bytes> largeBlobKey,
    Optional<CborMap> unsignedExtensionOutputs)
    implements CborEncodable {
  public static final long FMT = 0x01;
  public static final long AUTH_DATA = 0x02;
  public static final long ATT_STMT = 0x03;
  public static final long EP_ATT = 0x04;
  public static final long LARGE_BLOB_KEY = 0x05;
  public static final long UNSIGNED_EXTENSION_OUTPUTS = 0x06;

  public MakeCredentialResponse(String fmt, Bytes authData, CborMap attStmt) {
    this(fmt, authData, attStmt, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static MakeCredentialResponse fromCbor(CborMap m) {
    return new MakeCredentialResponse(
        m.text(FMT),
        m.bytes(AUTH_DATA),
        m.map(ATT_STMT),
        m.optBool(EP_ATT),
        m.optBytes(LARGE_BLOB_KEY),
        m.optMap(UNSIGNED_EXTENSION_OUTPUTS));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .put(FMT, fmt)
        .put(AUTH_DATA, authData)
        .put(ATT_STMT, attStmt)
        .putOpt(EP_ATT, epAtt)
        .putOpt(LARGE_BLOB_KEY, largeBlobKey)
        .putOpt(UNSIGNED_EXTENSION_OUTPUTS, unsignedExtensionOutputs)
        .build();
  }
}
