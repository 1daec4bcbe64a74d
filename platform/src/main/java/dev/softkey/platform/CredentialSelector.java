package dev.softkey.platform;

import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * Chooses among several discoverable credentials, the account picker a browser shows when
 * authenticatorGetAssertion reports numberOfCredentials greater than 1 (CTAP 2.1 section 6.2.2;
 * the rest are fetched with authenticatorGetNextAssertion).
 */
@FunctionalInterface
public interface CredentialSelector {
  /** Returns the index of the chosen candidate in {@code candidates} (which is never empty). */
  int select(List<Candidate> candidates);

  /**
   * One credential the authenticator offered, in the authenticator's order (most recently created
   * first, CTAP 2.1 section 6.2.2 step 11).
   *
   * @param credentialId the credential ID
   * @param userHandle user.id, when returned
   * @param userName user.name, when returned (only after user verification)
   * @param userDisplayName user.displayName, when returned
   */
  record Candidate(
      Bytes credentialId, Optional<Bytes> userHandle, Optional<String> userName, Optional<String> userDisplayName) {}
}
