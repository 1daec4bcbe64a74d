package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.Optional;
import java.util.function.Function;

/**
 * Non-credential persistent state as named records: the device secret, PIN state, counters,
 * attestation keys. Each subsystem owns its keys and the versioned encoding of its record (CBOR).
 * Keys are never reused for another meaning. {@link #put} is durable when it returns.
 */
public interface DeviceStateStore {
  Optional<Bytes> get(String key);

  void put(String key, Bytes value);

  void remove(String key);

  /**
   * Atomically reads the record under {@code key}, computes its value with {@code f} (given the
   * current value, empty if none) and writes the result if it differs; returns the value the record
   * holds afterwards. Several processes sharing one store (the installation's attestation CA) use it
   * to create a record exactly once: the first writer's value wins and the others read it.
   *
   * <p>The default holds this object's monitor (the monitor of {@link MemoryStore} and {@link
   * FileStore}), so it is atomic within one process; a store shared between processes overrides it
   * with a lock that spans them.
   */
  default Bytes update(String key, Function<Optional<Bytes>, Bytes> f) {
    synchronized (this) {
      Optional<Bytes> current = get(key);
      Bytes next = java.util.Objects.requireNonNull(f.apply(current), "update function returned null");
      if (current.isEmpty() || !current.get().equals(next)) {
        put(key, next);
      }
      return next;
    }
  }
}
