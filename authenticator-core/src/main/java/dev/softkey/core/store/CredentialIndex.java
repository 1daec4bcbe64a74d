package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials of a store, indexed by credential ID and by RP ID, with {@link CredentialStore}'s
 * semantics in one place for {@link MemoryStore} and {@link FileStore}. Finding by ID is one hash
 * look-up; finding by RP ID touches only that RP's credentials; {@link #put} scans only the RP's
 * credentials for the same user handle. Lists are newest first by {@code createdAt}, ties in
 * insertion order (an entry keeps its place when replaced under its ID), exactly as the scanning
 * store before this index ordered them. Not thread-safe: the stores hold their monitor around
 * every call.
 */
final class CredentialIndex {
  /** A credential and its place in the insertion order. */
  private record Entry(StoredCredential credential, long place) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::credential, MemoryStore.NEWEST_FIRST)
          .thenComparingLong(Entry::place);

  private final LinkedHashMap<Bytes, Entry> byId = new LinkedHashMap<>();
  private final Map<String, Map<Bytes, Entry>> byRpId = new HashMap<>();
  private long nextPlace;

  /**
   * Stores {@code c}, first removing every credential with the same RP ID and user handle (the
   * same ID included, so a re-put moves to the end of the insertion order, as a fresh one does).
   */
  void put(StoredCredential c) {
    Map<Bytes, Entry> rp = byRpId.get(c.rpId());
    if (rp != null) {
      List<Bytes> sameUser = new ArrayList<>(1);
      for (Entry e : rp.values()) {
        if (e.credential().userId().equals(c.userId())) {
          sameUser.add(e.credential().credentialId());
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
    Entry e = new Entry(c, nextPlace++);
    byId.put(c.credentialId(), e);
    byRpId.computeIfAbsent(c.rpId(), k -> new HashMap<>()).put(c.credentialId(), e);
  }

  /** Replaces the credential with {@code c}'s ID in its place; false (no change) if there is none. */
  boolean update(StoredCredential c) {
    Entry old = byId.get(c.credentialId());
    if (old == null) {
      return false;
    }
    Entry e = new Entry(c, old.place());
    byId.put(c.credentialId(), e);
    if (!old.credential().rpId().equals(c.rpId())) {
      removeFromRp(old.credential());
    }
    byRpId.computeIfAbsent(c.rpId(), k -> new HashMap<>()).put(c.credentialId(), e);
    return true;
  }

  Optional<StoredCredential> find(Bytes credentialId) {
    Entry e = byId.get(credentialId);
    return e == null ? Optional.empty() : Optional.of(e.credential());
  }

  /** The RP's credentials, newest first. */
  List<StoredCredential> findByRpId(String rpId) {
    Map<Bytes, Entry> rp = byRpId.get(rpId);
    return rp == null ? new ArrayList<>() : sorted(rp.values());
  }

  /** Every credential, newest first. */
  List<StoredCredential> all() {
    return sorted(byId.values());
  }

  /** Every credential in insertion order (what a snapshot writes, so a reload keeps the order). */
  List<StoredCredential> inInsertionOrder() {
    List<StoredCredential> out = new ArrayList<>(byId.size());
    for (Entry e : byId.values()) {
      out.add(e.credential());
    }
    return out;
  }

  boolean delete(Bytes credentialId) {
    Entry old = byId.remove(credentialId);
    if (old == null) {
      return false;
    }
    removeFromRp(old.credential());
    return true;
  }

  /** An independent copy with the same insertion order. */
  CredentialIndex copy() {
    CredentialIndex c = new CredentialIndex();
    for (Entry e : byId.values()) {
      c.append(e.credential());
    }
    return c;
  }

  void clear() {
    byId.clear();
    byRpId.clear();
  }

  int size() {
    return byId.size();
  }

  private static List<StoredCredential> sorted(Collection<Entry> entries) {
    List<Entry> list = new ArrayList<>(entries);
    list.sort(ORDER);
    List<StoredCredential> out = new ArrayList<>(list.size());
    for (Entry e : list) {
      out.add(e.credential());
    }
    return out;
  }

  private void removeFromRp(StoredCredential old) {
    Map<Bytes, Entry> rp = byRpId.get(old.rpId());
    rp.remove(old.credentialId());
    if (rp.isEmpty()) {
      byRpId.remove(old.rpId());
    }
  }
}
