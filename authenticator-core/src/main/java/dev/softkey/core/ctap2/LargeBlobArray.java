package dev.softkey.core.ctap2;

import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The serialized large-blob array (CTAP 2.1 section 6.10.3): the CBOR array of entries followed by
 * LEFT(SHA-256(array), 16), stored as the {@code DeviceStateStore} record {@value #STORE_KEY}: a
 * CBOR map with integer keys (never reused): 1 version, 2 the serialized array. No record is the
 * initial array, the empty CBOR array h'80' and its truncated hash ({@link #INITIAL}); a new
 * device and authenticatorReset have it. The authenticator never looks inside beyond the hash
 * check of a completed write.
 */
public final class LargeBlobArray {
  static final String STORE_KEY = "largeBlobs";
  static final long VERSION = 1;
  private static final long K_VERSION = 1;
  private static final long K_ARRAY = 2;
  /** The truncated SHA-256 that ends a serialized large-blob array. */
  public static final int HASH_LENGTH = 16;
  /** The shortest serialized array: one byte of CBOR array and the hash (section 6.10.2, set step 2.3). */
  public static final int MIN_LENGTH = 1 + HASH_LENGTH;

  /**
   * The initial serialized large-blob array: h'80' || LEFT(SHA-256(h'80'), 16) (CTAP 2.1 section
   * 6.10.3, "the initial serialized large-blob array"; the same 17 bytes are OpenSK's
   * test_process_command_get_empty vector and libfido2's fido_largeblob_initial_array).
   */
  public static final Bytes INITIAL = Bytes.fromHex("8076be8b528d0075f7aae98d6fa57a6d3c");

  private LargeBlobArray() {}

  /** The stored serialized array, or the initial one when none is stored. */
  public static Bytes read(DeviceStateStore store) {
    return store.get(STORE_KEY).map(LargeBlobArray::decode).orElse(INITIAL);
  }

  /** Replaces the stored array; durable when it returns (the store's put). */
  public static void write(DeviceStateStore store, Bytes serialized) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(K_VERSION, VERSION);
    m.put(K_ARRAY, serialized);
    store.put(STORE_KEY, CborEncoder.encodeBytes(m));
  }

  /** authenticatorReset: back to the initial array (no record). */
  public static void reset(DeviceStateStore store) {
    store.remove(STORE_KEY);
  }

  /** Whether the last 16 bytes of {@code serialized} are LEFT(SHA-256(the bytes before them), 16). */
  public static boolean hashMatches(Bytes serialized) {
    if (serialized.length() < MIN_LENGTH) {
      return false;
    }
    byte[] b = serialized.unsafeArray();
    int n = b.length - HASH_LENGTH;
    byte[] digest = PinCrypto.sha256(Arrays.copyOf(b, n));
    return Bytes.of(digest, 0, HASH_LENGTH).constantTimeEquals(serialized.slice(n, b.length));
  }

  /** Decodes a stored record; throws IllegalStateException if it is corrupt or from a newer version. */
  private static Bytes decode(Bytes stored) {
    try {
      CborMap m = CborDecoder.decodeMap(stored.unsafeArray());
      long version = m.longValue(K_VERSION);
      if (version != VERSION) {
        throw new IllegalStateException("unsupported largeBlobs record version " + version);
      }
      return m.bytes(K_ARRAY);
    } catch (CtapException | IllegalArgumentException e) {
      throw new IllegalStateException("corrupt largeBlobs record", e);
    }
  }
}
