package dev.softkey.ctap.cbor;

import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes the CTAP2 canonical CBOR form (CTAP 2.1 section 8, "Message Encoding", after RFC 7049
 * section 3.9): shortest-form integers and lengths, definite lengths only, no tags, map keys sorted
 * by major type, then encoded length, then byte-wise (see {@code compareKeys}). python-fido2
 * re-encodes every reply and rejects anything else, so there is no other mode.
 *
 * <p>Java values map as: {@code Long/Integer/Short/Byte} to integers, {@link Bytes} and
 * {@code byte[]} to byte strings, {@code String} to text, {@code Boolean} to true/false,
 * {@link CborNull} to null, {@code Collection} to arrays, {@code Map} and {@link CborMap} to maps.
 * Java {@code null} as a map value means "omit this member".
 */
public final class CborEncoder {
  private CborEncoder() {}

  public static byte[] encode(Object value) {
    return encode(value, 128);
  }

  private static byte[] encode(Object value, int capacity) {
    Out out = new Out(capacity);
    write(out, value);
    return out.toByteArray();
  }

  /**
   * A growable byte buffer without ByteArrayOutputStream's locking: the encoder writes byte by
   * byte, and an uncontended lock per byte was most of the cost of encoding a small map (measured
   * on the makeCredential path: credential ID, COSE key, response).
   */
  private static final class Out {
    private byte[] buf;
    private int len;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    private void room(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    void write(int b) {
      room(1);
      buf[len++] = (byte) b;
    }

    void writeBytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, len);
    }
  }

  public static Bytes encodeBytes(Object value) {
    return Bytes.wrap(encode(value));
  }

  private static void write(Out out, Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      if (n >= 0) {
        head(out, 0, n);
      } else {
        head(out, 1, -1 - n);
      }
    } else if (v instanceof Bytes b) {
      head(out, 2, b.length());
      out.writeBytes(b.unsafeArray());
    } else if (v instanceof byte[] b) {
      head(out, 2, b.length);
      out.writeBytes(b);
    } else if (v instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      head(out, 3, utf8.length);
      out.writeBytes(utf8);
    } else if (v instanceof Double || v instanceof Float) {
      // CTAP messages carry no floats; values that were decoded are written back as float64.
      long bits = Double.doubleToLongBits(((Number) v).doubleValue());
      out.write(0xFB);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (bits >>> (8 * i)));
      }
    } else if (v instanceof Boolean b) {
      out.write(b ? 0xF5 : 0xF4);
    } else if (v instanceof CborNull) {
      out.write(0xF6);
    } else if (v instanceof Collection<?> c) {
      head(out, 4, c.size());
      for (Object o : c) {
        write(out, o);
      }
    } else if (v instanceof CborMap m) {
      writeMap(out, m.asMap());
    } else if (v instanceof Map<?, ?> m) {
      writeMap(out, m);
    } else if (v instanceof CborEncodable e) {
      write(out, e.toCbor());
    } else {
      throw new IllegalArgumentException(
          "cannot encode " + (v == null ? "null" : v.getClass().getName()) + " as CBOR");
    }
  }

  private static void writeMap(Out out, Map<?, ?> m) {
    // Keys are encoded first to be sorted; values are written straight after their key.
    List<EncodedKey> entries = new ArrayList<>(m.size());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      entries.add(new EncodedKey(encodeKey(e.getKey()), e.getValue()));
    }
    entries.sort((a, b) -> compareKeys(a.key(), b.key()));
    head(out, 5, entries.size());
    for (EncodedKey kv : entries) {
      out.writeBytes(kv.key());
      write(out, kv.value());
    }
  }

  private record EncodedKey(byte[] key, Object value) {}

  /** Integers 0..23 (most CTAP map keys) are their one head byte; others go through the encoder. */
  private static final byte[][] SMALL_KEYS = new byte[24][];

  static {
    for (int i = 0; i < SMALL_KEYS.length; i++) {
      SMALL_KEYS[i] = new byte[] {(byte) i};
    }
  }

  private static byte[] encodeKey(Object key) {
    if (key instanceof Long || key instanceof Integer) {
      long n = ((Number) key).longValue();
      if (n >= 0 && n < SMALL_KEYS.length) {
        return SMALL_KEYS[(int) n]; // only read: writeMap copies it into the output
      }
    }
    return encode(key, 16);
  }

  /**
   * The CTAP2 canonical key order (CTAP 2.1 section 8): (1) the lower major type sorts earlier;
   * (2) for the same major type, the shorter encoding sorts earlier; (3) for the same length, the
   * lower value in byte-wise lexical order sorts earlier. Unlike RFC 7049's length-first rule this
   * puts 100 (0x1864) before -1 (0x20), as the spec's example does; for integer and text keys it
   * equals byte-wise order of the encodings.
   */
  static int compareKeys(byte[] a, byte[] b) {
    int majorA = (a[0] & 0xFF) >>> 5;
    int majorB = (b[0] & 0xFF) >>> 5;
    if (majorA != majorB) {
      return Integer.compare(majorA, majorB);
    }
    if (a.length != b.length) {
      return Integer.compare(a.length, b.length);
    }
    return Arrays.compareUnsigned(a, b);
  }

  private static void head(Out out, int major, long n) {
    int mt = major << 5;
    if (n < 24) {
      out.write(mt | (int) n);
    } else if (n < 0x100) {
      out.write(mt | 24);
      out.write((int) n);
    } else if (n < 0x10000) {
      out.write(mt | 25);
      out.write((int) (n >>> 8));
      out.write((int) n);
    } else if (n < 0x100000000L) {
      out.write(mt | 26);
      for (int i = 3; i >= 0; i--) {
        out.write((int) (n >>> (8 * i)));
      }
    } else {
      out.write(mt | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (n >>> (8 * i)));
      }
    }
  }
}
