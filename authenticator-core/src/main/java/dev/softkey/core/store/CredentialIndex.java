package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials of a store, indexed by credential ID and by RP ID, with {@link CredentialStore}'s
 * semantics in one place for {@link MemoryStore} and {@link FileStore}. Finding by ID is one hash
 * look-up; finding by RP ID touches only that RP's credentials (sorted newest first on the way
 * out, ties in insertion order); {@link #put} scans only the RP's credentials for the same user
 * handle. Not thread-safe: the stores hold their monitor around every call.
 */
final class CredentialIndex {
  private final LinkedHashMap<Bytes, StoredCredential> byId = new LinkedHashMap<>();
  private final Map<String, LinkedHashMap<Bytes, StoredCredential>> byRpId = new HashMap<>();

  /**
   * Stores {@code c}, first removing every credential with the same RP ID and user handle (the
   * same ID included, so a re-put moves to the end of the insertion order, as a fresh one does).
   */
  void put(StoredCredential c) {
    LinkedHashMap<Bytes, StoredCredential> rp = byRpId.get(c.rpId());
    if (rp != null) {
      List<Bytes> sameUser = new ArrayList<>(1);
      for (StoredCredential o : rp.values()) {
        if (o.userId().equals(c.userId())) {
          sameUser.add(o.credentialId());
        }
      }
      sameUser.forEach(this::delete);
    }
    if (!update(c)) {
      append(c);
    }
  }

  /**
   * Adds {@code c} at the end as it is, without {@link #put}'s replacement: loading a snapshot
   * must give back exactly the list it wrote (an {@link #update} can leave two credentials of one
   * user under an RP, and a reload must not merge them).
   */
  void append(StoredCredential c) {
    if (byId.containsKey(c.credentialId())) {
      throw new IllegalArgumentException("duplicate credential ID");
    }
    byId.put(c.credentialId(), c);
    byRpId.computeIfAbsent(c.rpId(), k -> new LinkedHashMap<>()).put(c.credentialId(), c);
  }

  /** Replaces the credential with {@code c}'s ID; false (and no change) if there is none. */
  boolean update(StoredCredential c) {
    StoredCredential old = byId.get(c.credentialId());
    if (old == null) {
      return false;
    }
    byId.put(c.credentialId(), c);
    if (old.rpId().equals(c.rpId())) {
      byRpId.get(c.rpId()).put(c.credentialId(), c);
    } else {
      removeFromRp(old);
      byRpId.computeIfAbsent(c.rpId(), k -> new LinkedHashMap<>()).put(c.credentialId(), c);
    }
    return true;
  }

  Optional<StoredCredential> find(Bytes credentialId) {
    return Optional.ofNullable(byId.get(credentialId));
  }

  /** The RP's credentials, newest first. */
  List<StoredCredential> findByRpId(String rpId) {
    LinkedHashMap<Bytes, StoredCredential> rp = byRpId.get(rpId);
    if (rp == null) {
      return new ArrayList<>();
    }
    List<StoredCredential> out = new ArrayList<>(rp.values());
    out.sort(MemoryStore.NEWEST_FIRST);
    return out;
  }

  /** Every credential, newest first. */
  List<StoredCredential> all() {
    List<StoredCredential> out = new ArrayList<>(byId.values());
    out.sort(MemoryStore.NEWEST_FIRST);
    return out;
  }

  /** Every credential in insertion order (what a snapshot writes, so a reload keeps the order). */
  Collection<StoredCredential> inInsertionOrder() {
    return Collections.unmodifiableCollection(byId.values());
  }

  boolean delete(Bytes credentialId) {
    StoredCredential old = byId.remove(credentialId);
    if (old == null) {
      return false;
    }
    removeFromRp(old);
    return true;
  }

  /** An independent copy with the same insertion order. */
  CredentialIndex copy() {
    CredentialIndex c = new CredentialIndex();
    byId.values().forEach(c::append);
    return c;
  }

  void clear() {
    byId.clear();
    byRpId.clear();
  }

  int size() {
    return byId.size();
  }

  private void removeFromRp(StoredCredential old) {
    LinkedHashMap<Bytes, StoredCredential> rp = byRpId.get(old.rpId());
    rp.remove(old.credentialId());
    if (rp.isEmpty()) {
      byRpId.remove(old.rpId());
    }
  }
}
