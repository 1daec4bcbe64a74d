package dev.softkey.core.control;

import dev.softkey.ctap.model.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a credential, for {@link DeviceControl#subscribe} listeners (the
 * control API's event stream: credentialAdded, credentialAsserted, ...). No key material.
 *
 * @param type what happened
 * @param credentialId the credential
 * @param rpId its relying party
 * @param userHandle its user handle, when known (discoverable credentials)
 * @param signCount the counter after the event (the new one for ASSERTED)
 * @param backupEligible the BE flag
 * @param backupState the BS flag
 */
public record CredentialEvent(
    Type type,
    Bytes credentialId,
    String rpId,
    Optional<Bytes> userHandle,
    long signCount,
    boolean backupEligible,
    boolean backupState) {
  /**
   * ADDED: makeCredential made one, or addCredential injected one; ASSERTED: a getAssertion or
   * getNextAssertion signed with it; DELETED: credentialManagement, removeCredential, clear or
   * reset removed it; UPDATED: updateUserInformation or setCredentialProperties changed it.
   */
  public enum Type {
    ADDED,
    ASSERTED,
    DELETED,
    UPDATED
  }

  public CredentialEvent {
    Objects.requireNonNull(type);
    Objects.requireNonNull(credentialId);
    Objects.requireNonNull(rpId);
    Objects.requireNonNull(userHandle);
  }
}
