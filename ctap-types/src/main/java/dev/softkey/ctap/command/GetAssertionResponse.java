package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorGetAssertion and authenticatorGetNextAssertion response (CTAP 2.1 sections 6.2.2
 * and 6.3; CTAP 2.2 for 0x08).
 *
 * @param credential 0x01; may be left out when the allowList had exactly one entry
 * @param authData 0x02
 * @param signature 0x03
 * @param user 0x04, for discoverable credentials
 * @param numberOfCredentials 0x05, in the first response when more than one credential matched
 * @param userSelected 0x06
 * @param largeBlobKey 0x07
 * @param unsignedExtensionOutputs 0x08
 */
public record GetAssertionResponse(
    Optional<PublicKeyCredentialDescriptor> credential,
    Bytes authData,
    Bytes signature,
    Optional<PublicKeyCredentialUserEntity> user,
    Optional<Long> numberOfCredentials,
    Optional<Boolean> userSelected,
    Optional<Bytes> largeBlobKey,
    Optional<CborMap> unsignedExtensionOutputs)
    implements CborEncodable {
  public static final long CREDENTIAL = 0x01;
  public static final long AUTH_DATA = 0x02;
  public static final long SIGNATURE = 0x03;
  public static final long USER = 0x04;
  public static final long NUMBER_OF_CREDENTIALS = 0x05;
  public static final long USER_SELECTED = 0x06;
  public static final long LARGE_BLOB_KEY = 0x07;
  public static final long UNSIGNED_EXTENSION_OUTPUTS = 0x08;

  public static GetAssertionResponse fromCbor(CborMap m) {
    return new GetAssertionResponse(
        m.optMap(CREDENTIAL).map(PublicKeyCredentialDescriptor::fromCbor),
        m.bytes(AUTH_DATA),
        m.bytes(SIGNATURE),
        m.optMap(USER).map(PublicKeyCredentialUserEntity::fromCbor),
        m.optLong(NUMBER_OF_CREDENTIALS),
        m.optBool(USER_SELECTED),
        m.optBytes(LARGE_BLOB_KEY),
        m.optMap(UNSIGNED_EXTENSION_OUTPUTS));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(CREDENTIAL, credential)
        .put(AUTH_DATA, authData)
        .put(SIGNATURE, signature)
        .putOpt(USER, user)
        .putOpt(NUMBER_OF_CREDENTIALS, numberOfCredentials)
        .putOpt(USER_SELECTED, userSelected)
        .putOpt(LARGE_BLOB_KEY, largeBlobKey)
        .putOpt(UNSIGNED_EXTENSION_OUTPUTS, unsignedExtensionOutputs)
        .build();
  }
}
