package dev.softkey.core.store;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A discoverable (resident) credential as the store keeps it. Non-resident credentials are never
 * stored: their ID is the sealed key itself.
 *
 * @param credentialId the credential ID (sealed, see {@code CredentialIdCodec})
 * @param rpId the RP ID
 * @param rpName optional RP name
 * @param userId the user handle (1..64 bytes)
 * @param userName optional user name
 * @param userDisplayName optional display name
 * @param algorithm the key's COSE algorithm
 * @param privateKey the compact private encoding (secret)
 * @param signCount the per-credential signature counter
 * @param backupEligible the BE flag, fixed at creation
 * @param backupState the BS flag
 * @param createdAt creation time, epoch milliseconds (orders credentials: newest first)
 * @param extensionData per-extension state by extension identifier (credProtect's level, credBlob,
 *     largeBlobKey...; see {@code core.extension})
 * @param userIcon the user entity's "icon" (WebAuthn Level 1), kept only by a model with the
 *     profile quirk keepUserIcon; empty otherwise
 */
public record StoredCredential(
    Bytes credentialId,
    String rpId,
    Optional<String> rpName,
    Bytes userId,
    Optional<String> userName,
    Optional<String> userDisplayName,
    CoseAlgorithm algorithm,
    Bytes privateKey,
    long signCount,
    boolean backupEligible,
    boolean backupState,
    long createdAt,
    Map<String, Bytes> extensionData,
    Optional<String> userIcon) {

  public StoredCredential {
    Objects.requireNonNull(credentialId);
    Objects.requireNonNull(rpId);
    Objects.requireNonNull(rpName);
    Objects.requireNonNull(userId);
    Objects.requireNonNull(userName);
    Objects.requireNonNull(userDisplayName);
    Objects.requireNonNull(algorithm);
    Objects.requireNonNull(privateKey);
    extensionData = Map.copyOf(extensionData);
    Objects.requireNonNull(userIcon);
  }

  /** A credential without a user icon (every model but one with the quirk keepUserIcon). */
  public StoredCredential(
      Bytes credentialId,
      String rpId,
      Optional<String> rpName,
      Bytes userId,
      Optional<String> userName,
      Optional<String> userDisplayName,
      CoseAlgorithm algorithm,
      Bytes privateKey,
      long signCount,
      boolean backupEligible,
      boolean backupState,
      long createdAt,
      Map<String, Bytes> extensionData) {
    this(
        credentialId, rpId, rpName, userId, userName, userDisplayName, algorithm, privateKey, signCount,
        backupEligible, backupState, createdAt, extensionData, Optional.empty());
  }

  public StoredCredential withSignCount(long n) {
    return new StoredCredential(
        credentialId, rpId, rpName, userId, userName, userDisplayName, algorithm, privateKey, n,
        backupEligible, backupState, createdAt, extensionData, userIcon);
  }

  /**
   * The same credential with another user name and display name (CTAP 2.1 section 6.8.7
   * updateUserInformation); the user handle stays.
   */
  public StoredCredential withUser(Optional<String> name, Optional<String> displayName) {
    return new StoredCredential(
        credentialId, rpId, rpName, userId, name, displayName, algorithm, privateKey, signCount,
        backupEligible, backupState, createdAt, extensionData, userIcon);
  }

  @Override
  public String toString() {
    return "StoredCredential[" + rpId + ", id=" + credentialId.hex() + ", alg=" + algorithm + "]";
  }
}
