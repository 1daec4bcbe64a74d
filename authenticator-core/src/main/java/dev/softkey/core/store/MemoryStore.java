package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Volatile credential and device-state storage, for tests and {@code --store memory}. Credentials
 * are indexed by ID and by RP ID ({@link CredentialIndex}), so a look-up does not scan the store.
 */
public final class MemoryStore implements CredentialStore, DeviceStateStore {
  private final CredentialIndex credentials = new CredentialIndex();
  private final Map<String, Bytes> state = new HashMap<>();

  static final Comparator<StoredCredential> NEWEST_FIRST =
      Comparator.comparingLong(StoredCredential::createdAt).reversed();

  @Override
  public synchronized void put(StoredCredential c) {
    credentials.put(c);
  }

  @Override
  public synchronized void update(StoredCredential c) {
    credentials.update(c);
  }

  @Override
  public synchronized Optional<StoredCredential> find(Bytes id) {
    return credentials.find(id);
  }

  @Override
  public synchronized List<StoredCredential> findByRpId(String rpId) {
    return credentials.findByRpId(rpId);
  }

  @Override
  public synchronized List<StoredCredential> all() {
    return credentials.all();
  }

  @Override
  public synchronized boolean delete(Bytes id) {
    return credentials.delete(id);
  }

  @Override
  public synchronized void clear() {
    credentials.clear();
  }

  @Override
  public synchronized int count() {
    return credentials.size();
  }

  @Override
  public synchronized Optional<Bytes> get(String key) {
    return Optional.ofNullable(state.get(key));
  }

  @Override
  public synchronized void put(String key, Bytes value) {
    state.put(key, value);
  }

  @Override
  public synchronized void remove(String key) {
    state.remove(key);
  }
}
