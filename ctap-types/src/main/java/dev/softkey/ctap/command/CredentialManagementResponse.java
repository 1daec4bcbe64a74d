package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorCredentialManagement response members (CTAP 2.1 section 6.8.1; thirdPartyPayment
 * from CTAP 2.2); each subcommand fills some, and deleteCredential and updateUserInformation none.
 * The prototype command 0x41 answers with the same members.
 *
 * @param existingResidentCredentialsCount 0x01
 * @param maxPossibleRemainingResidentCredentialsCount 0x02
 * @param rp 0x03
 * @param rpIdHash 0x04 rpIDHash
 * @param totalRps 0x05 totalRPs
 * @param user 0x06
 * @param credentialId 0x07 credentialID
 * @param publicKey 0x08, a COSE_Key
 * @param totalCredentials 0x09
 * @param credProtect 0x0A, the credProtect level (1 to 3)
 * @param largeBlobKey 0x0B
 * @param thirdPartyPayment 0x0C (CTAP 2.2)
 */
public record CredentialManagementResponse(
    Optional<Long> existingResidentCredentialsCount,
    Optional<Long> maxPossibleRemainingResidentCredentialsCount,
    Optional<PublicKeyCredentialRpEntity> rp,
    Optional<Bytes> rpIdHash,
    Optional<Long> totalRps,
    Optional<PublicKeyCredentialUserEntity> user,
    Optional<PublicKeyCredentialDescriptor> credentialId,
    Optional<CborMap> publicKey,
    Optional<Long> totalCredentials,
    Optional<Long> credProtect,
    Optional<Bytes> largeBlobKey,
    Optional<Boolean> thirdPartyPayment)
    implements CborEncodable {
  public static final long EXISTING_RESIDENT_CREDENTIALS_COUNT = 0x01;
  public static final long MAX_POSSIBLE_REMAINING_RESIDENT_CREDENTIALS_COUNT = 0x02;
  public static final long RP = 0x03;
  public static final long RP_ID_HASH = 0x04;
  public static final long TOTAL_RPS = 0x05;
  public static final long USER = 0x06;
  public static final long CREDENTIAL_ID = 0x07;
  public static final long PUBLIC_KEY = 0x08;
  public static final long TOTAL_CREDENTIALS = 0x09;
  public static final long CRED_PROTECT = 0x0A;
  public static final long LARGE_BLOB_KEY = 0x0B;
  public static final long THIRD_PARTY_PAYMENT = 0x0C;

  public CredentialManagementResponse {
    Objects.requireNonNull(rp, "rp");
    Objects.requireNonNull(rpIdHash, "rpIdHash");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(largeBlobKey, "largeBlobKey");
    Objects.requireNonNull(thirdPartyPayment, "thirdPartyPayment");
    Members.requireUnsigned("existingResidentCredentialsCount", existingResidentCredentialsCount);
    Members.requireUnsigned("maxPossibleRemainingResidentCredentialsCount", maxPossibleRemainingResidentCredentialsCount);
    Members.requireUnsigned("totalRPs", totalRps);
    Members.requireUnsigned("totalCredentials", totalCredentials);
    Members.requireUnsigned("credProtect", credProtect);
  }

  /** The answer of deleteCredential and updateUserInformation: no members. */
  public static CredentialManagementResponse empty() {
    return new CredentialManagementResponse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The answer of getCredsMetadata (section 6.8.2). */
  public static CredentialManagementResponse ofMetadata(long existing, long maxPossibleRemaining) {
    return new CredentialManagementResponse(
        Optional.of(existing), Optional.of(maxPossibleRemaining), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** The answer of enumerateRPsBegin (with totalRPs) and enumerateRPsGetNextRP (without), section 6.8.3. */
  public static CredentialManagementResponse ofRp(PublicKeyCredentialRpEntity rp, Bytes rpIdHash, Optional<Long> totalRps) {
    return new CredentialManagementResponse(
        Optional.empty(), Optional.empty(), Optional.of(rp), Optional.of(rpIdHash), totalRps, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * The answer of enumerateCredentialsBegin (with totalCredentials) and
   * enumerateCredentialsGetNextCredential (without), section 6.8.4.
   */
  public static CredentialManagementResponse ofCredential(
      PublicKeyCredentialUserEntity user,
      PublicKeyCredentialDescriptor credentialId,
      CborMap publicKey,
      Optional<Long> totalCredentials,
      Optional<Long> credProtect,
      Optional<Bytes> largeBlobKey,
      Optional<Boolean> thirdPartyPayment) {
    return new CredentialManagementResponse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(user),
        Optional.of(credentialId), Optional.of(publicKey), totalCredentials, credProtect, largeBlobKey, thirdPartyPayment);
  }

  public static CredentialManagementResponse fromCbor(CborMap m) {
    return new CredentialManagementResponse(
        m.optLong(EXISTING_RESIDENT_CREDENTIALS_COUNT),
        m.optLong(MAX_POSSIBLE_REMAINING_RESIDENT_CREDENTIALS_COUNT),
        m.optMap(RP).map(PublicKeyCredentialRpEntity::fromCbor),
        m.optBytes(RP_ID_HASH),
        m.optLong(TOTAL_RPS),
        m.optMap(USER).map(PublicKeyCredentialUserEntity::fromCbor),
        m.optMap(CREDENTIAL_ID).map(PublicKeyCredentialDescriptor::fromCbor),
        m.optMap(PUBLIC_KEY),
        m.optLong(TOTAL_CREDENTIALS),
        m.optLong(CRED_PROTECT),
        m.optBytes(LARGE_BLOB_KEY),
        m.optBool(THIRD_PARTY_PAYMENT));
  }

  /** The members as a map; an empty response is an empty map, which the dispatcher sends as no body. */
  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(EXISTING_RESIDENT_CREDENTIALS_COUNT, existingResidentCredentialsCount)
        .putOpt(MAX_POSSIBLE_REMAINING_RESIDENT_CREDENTIALS_COUNT, maxPossibleRemainingResidentCredentialsCount)
        .putOpt(RP, rp.map(PublicKeyCredentialRpEntity::toCbor))
        .putOpt(RP_ID_HASH, rpIdHash)
        .putOpt(TOTAL_RPS, totalRps)
        .putOpt(USER, user.map(PublicKeyCredentialUserEntity::toCbor))
        .putOpt(CREDENTIAL_ID, credentialId.map(PublicKeyCredentialDescriptor::toCbor))
        .putOpt(PUBLIC_KEY, publicKey)
        .putOpt(TOTAL_CREDENTIALS, totalCredentials)
        .putOpt(CRED_PROTECT, credProtect)
        .putOpt(LARGE_BLOB_KEY, largeBlobKey)
        .putOpt(THIRD_PARTY_PAYMENT, thirdPartyPayment)
        .build();
  }
}
