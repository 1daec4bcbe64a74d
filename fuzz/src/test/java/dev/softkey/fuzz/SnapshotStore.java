package dev.softkey.fuzz;

import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link MemoryStore} that can say what it holds: every credential and every state record ever
 * written, so a fuzz target can compare the store before and after a request.
 */
final class SnapshotStore implements CredentialStore, DeviceStateStore {
  private final MemoryStore store = new MemoryStore();
  private final Set<String> stateKeys = new TreeSet<>();

  /** What the store holds, comparable with {@code equals}. */
  record Snapshot(List<StoredCredential> credentials, Map<String, Optional<Bytes>> state) {}

  /** A store holding what {@code contents} holds. */
  static SnapshotStore of(Snapshot contents) {
    SnapshotStore s = new SnapshotStore();
    contents.credentials().forEach(s.store::put);
    contents.state().forEach((k, v) -> v.ifPresent(b -> s.put(k, b)));
    return s;
  }

  synchronized Snapshot snapshot() {
    Map<String, Optional<Bytes>> state = new TreeMap<>();
    for (String k : stateKeys) {
      state.put(k, store.get(k));
    }
    return new Snapshot(store.all(), state);
  }

  @Override
  public synchronized void put(StoredCredential credential) {
    store.put(credential);
  }

  @Override
  public synchronized void update(StoredCredential credential) {
    store.update(credential);
  }

  @Override
  public synchronized Optional<StoredCredential> find(Bytes credentialId) {
    return store.find(credentialId);
  }

  @Override
  public synchronized List<StoredCredential> findByRpId(String rpId) {
    return store.findByRpId(rpId);
  }

  @Override
  public synchronized List<StoredCredential> all() {
    return store.all();
  }

  @Override
  public synchronized boolean delete(Bytes credentialId) {
    return store.delete(credentialId);
  }

  @Override
  public synchronized void clear() {
    store.clear();
  }

  @Override
  public synchronized int count() {
    return store.count();
  }

  @Override
  public synchronized Optional<Bytes> get(String key) {
    return store.get(key);
  }

  @Override
  public synchronized void put(String key, Bytes value) {
    stateKeys.add(key);
    store.put(key, value);
  }

  @Override
  public synchronized void remove(String key) {
    stateKeys.add(key);
    store.remove(key);
  }
}
