package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Volatile credential and device-state storage, for tests and {@code --store memory}. */
public final class MemoryStore implements CredentialStore, DeviceStateStore {
  private final Map<Bytes, StoredCredential> credentials = new LinkedHashMap<>();
  private final Map<String, Bytes> state = new HashMap<>();

  static final Comparator<StoredCredential> NEWEST_FIRST =
      Comparator.comparingLong(StoredCredential::createdAt).reversed();

  @Override
  public synchronized void put(StoredCredential c) {
    credentials.values().removeIf(o -> o.rpId().equals(c.rpId()) && o.userId().equals(c.userId()));
    credentials.put(c.credentialId(), c);
  }

  @Override
  public synchronized void update(StoredCredential c) {
    credentials.computeIfPresent(c.credentialId(), (k, v) -> c);
  }

  @Override
  public synchronized Optional<StoredCredential> find(Bytes id) {
    return Optional.ofNullable(credentials.get(id));
  }

  @Override
  public synchronized List<StoredCredential> findByRpId(String rpId) {
    List<StoredCredential> out = new ArrayList<>();
    for (StoredCredential c : credentials.values()) {
      if (c.rpId().equals(rpId)) {
        out.add(c);
      }
    }
    out.sort(NEWEST_FIRST);
    return out;
  }

  @Override
  public synchronized List<StoredCredential> all() {
    List<StoredCredential> out = new ArrayList<>(credentials.values());
    out.sort(NEWEST_FIRST);
    return out;
  }

  @Override
  public synchronized boolean delete(Bytes id) {
    return credentials.remove(id) != null;
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
