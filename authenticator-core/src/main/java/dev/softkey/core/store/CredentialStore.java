package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * Where discoverable credentials live. Implementations make each mutating call durable before it
 * returns (a file store writes, fsyncs and renames) and are safe for one writer at a time (the
 * {@code Authenticator} processes one request at a time).
 */
public interface CredentialStore {
  /**
   * Stores {@code credential}. A credential for the same RP ID and user handle is replaced (CTAP
   * 2.1 makeCredential step 17: "overwrite that credential").
   */
  void put(StoredCredential credential);

  /** Replaces an existing credential with the same ID (counter updates); no-op if absent. */
  void update(StoredCredential credential);

  Optional<StoredCredential> find(Bytes credentialId);

  /** The credentials for an RP ID, newest first. */
  List<StoredCredential> findByRpId(String rpId);

  /** Every credential, newest first. */
  List<StoredCredential> all();

  boolean delete(Bytes credentialId);

  /** Deletes everything (authenticatorReset). */
  void clear();

  default int count() {
    return all().size();
  }
}
