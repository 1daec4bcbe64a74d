package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * Non-credential persistent state as named records: the device secret, PIN state, counters,
 * attestation keys. Each subsystem owns its keys and the versioned encoding of its record (CBOR).
 * Keys are never reused for another meaning. {@link #put} is durable when it returns.
 */
public interface DeviceStateStore {
  Optional<Bytes> get(String key);

  void put(String key, Bytes value);

  void remove(String key);
}
