package dev.softkey.core.ctap2;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.DeviceStateStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device secret (which seals credential IDs) and the signature counters, persisted in the
 * {@link DeviceStateStore}. Record "device" (version 1): {1: version, 2: secret (32 bytes), 3:
 * global counter}. Per-credential counters of non-discoverable credentials live under
 * "counter.&lt;first 16 bytes of SHA-256(credentialId), hex&gt;" as {1: counter}.
 */
public final class DeviceKeys {
  private static final String DEVICE = "device";
  private static final int VERSION = 1;

  private final DeviceStateStore store;
  private final RandomSource random;
  private Bytes secret;
  private long globalCounter;
  private CredentialIdCodec codec;

  public DeviceKeys(DeviceStateStore store, RandomSource random) {
    this.store = store;
    this.random = random;
    load();
  }

  private void load() {
    var rec = store.get(DEVICE);
    if (rec.isPresent()) {
      CborMap m = CborDecoder.decodeMap(rec.get().unsafeArray());
      if (m.longValue(1) != VERSION) {
        throw new IllegalStateException("unsupported device record version " + m.longValue(1));
      }
      secret = m.bytes(2);
      globalCounter = m.longValue(3);
    } else {
      secret = Bytes.wrap(random.bytes(32));
      globalCounter = 0;
      save();
    }
    codec = new CredentialIdCodec(secret, random);
  }

  private void save() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, (long) VERSION);
    m.put(2L, secret);
    m.put(3L, globalCounter);
    store.put(DEVICE, CborEncoder.encodeBytes(m));
  }

  public CredentialIdCodec codec() {
    return codec;
  }

  /** Increments and returns the global counter. */
  public long nextGlobalCounter() {
    globalCounter = (globalCounter + 1) & 0xFFFFFFFFL;
    save();
    return globalCounter;
  }

  /** Increments and returns the counter of a non-discoverable credential. */
  public long nextCredentialCounter(Bytes credentialId) {
    String key = "counter." + sha256(credentialId).slice(0, 16).hex();
    long n =
        store.get(key).map(b -> CborDecoder.decodeMap(b.unsafeArray()).longValue(1)).orElse(0L);
    n = (n + 1) & 0xFFFFFFFFL;
    store.put(key, CborEncoder.encodeBytes(Map.of(1L, n)));
    return n;
  }

  /** authenticatorReset: a new device secret invalidates every credential ID made so far. */
  public void reset() {
    secret = Bytes.wrap(random.bytes(32));
    globalCounter = 0;
    save();
    codec = new CredentialIdCodec(secret, random);
  }

  public static Bytes sha256(Bytes data) {
    return sha256(data.unsafeArray());
  }

  public static Bytes sha256(byte[] data) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
