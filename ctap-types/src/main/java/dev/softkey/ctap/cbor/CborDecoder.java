package dev.softkey.ctap.cbor;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict decoder for the CTAP2 canonical CBOR subset (CTAP 2.1 section 8). Input that is not
 * well-formed, not canonical (non-minimal heads, unsorted or duplicate map keys), uses indefinite
 * lengths or tags, nests deeper than {@link #MAX_DEPTH}, or has trailing bytes is answered with
 * {@link CtapStatus#CTAP2_ERR_INVALID_CBOR}; CBOR "undefined" and other simple values with
 * {@link CtapStatus#CTAP2_ERR_CBOR_UNEXPECTED_TYPE}.
 *
 * <p>Why not jackson-dataformat-cbor here: its parser accepts non-minimal lengths, unsorted and
 * duplicate keys and indefinite lengths without telling the caller, and it decodes into JSON-shaped
 * trees with string keys; a CTAP device must reject such input with the spec's status codes and
 * keys are integers. The subset is small, so a few hundred lines of our own are the safer choice.
 *
 * <p>Values decode to: {@code Long} (integers), {@link Bytes}, {@code String}, {@code Boolean},
 * {@link CborNull}, {@code Double} (floats), {@code List<Object>} and {@link CborMap}.
 */
public final class CborDecoder {
  /** Deepest nesting accepted; CTAP requires at least 4, extensions need a little more. */
  public static final int MAX_DEPTH = 8;

  private final byte[] in;
  private int pos;

  private CborDecoder(byte[] in, int off) {
    this.in = in;
    this.pos = off;
  }

  /** Decodes exactly one item filling {@code data}. */
  public static Object decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /** Decodes exactly one item filling {@code data[off, off+len)}. */
  public static Object decode(byte[] data, int off, int len) {
    if (off < 0 || len < 0 || off > data.length - len) {
      throw new IllegalArgumentException("offset and length outside the array");
    }
    byte[] view = (off == 0 && len == data.length) ? data : java.util.Arrays.copyOfRange(data, off, off + len);
    CborDecoder d = new CborDecoder(view, 0);
    Object v = d.item(0);
    if (d.pos != view.length) {
      throw invalid("trailing bytes after CBOR item");
    }
    return v;
  }

  /** Decodes one item at the start of {@code data}; returns it with the number of bytes used. */
  public static Prefix decodePrefix(byte[] data, int off) {
    CborDecoder d = new CborDecoder(data, off);
    Object v = d.item(0);
    return new Prefix(v, d.pos - off);
  }

  /** One decoded item and the bytes it took. */
  public record Prefix(Object value, int length) {}

  /** Decodes a top-level map, as every CTAP2 request parameter set is. */
  public static CborMap decodeMap(byte[] data) {
    Object v = decode(data);
    if (v instanceof CborMap m) {
      return m;
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "expected a CBOR map");
  }

  private static CtapException invalid(String why) {
    return new CtapException(CtapStatus.CTAP2_ERR_INVALID_CBOR, why);
  }

  private int u8() {
    if (pos >= in.length) {
      throw invalid("truncated CBOR");
    }
    return in[pos++] & 0xFF;
  }

  private long argument(int info) {
    long n;
    switch (info) {
      case 24 -> {
        n = u8();
        if (n < 24) {
          throw invalid("non-minimal integer encoding");
        }
      }
      case 25 -> {
        n = ((long) u8() << 8) | u8();
        if (n < 0x100) {
          throw invalid("non-minimal integer encoding");
        }
      }
      case 26 -> {
        n = 0;
        for (int i = 0; i < 4; i++) {
          n = (n << 8) | u8();
        }
        if (n < 0x10000) {
          throw invalid("non-minimal integer encoding");
        }
      }
      case 27 -> {
        n = 0;
        for (int i = 0; i < 8; i++) {
          n = (n << 8) | u8();
        }
        if (n >= 0 && n < 0x100000000L) {
          throw invalid("non-minimal integer encoding");
        }
      }
      default -> {
        if (info < 24) {
          n = info;
        } else {
          throw invalid("indefinite length or reserved additional information");
        }
      }
    }
    return n;
  }

  private int length(int info) {
    long n = argument(info);
    if (n < 0 || n > in.length - pos) {
      throw invalid("length exceeds the message");
    }
    return (int) n;
  }

  private Object item(int depth) {
    if (depth > MAX_DEPTH) {
      throw invalid("CBOR nesting too deep");
    }
    int ib = u8();
    int major = ib >>> 5;
    int info = ib & 0x1F;
    switch (major) {
      case 0: {
        long n = argument(info);
        if (n < 0) {
          throw invalid("unsigned integer beyond 2^63-1");
        }
        return n;
      }
      case 1: {
        long n = argument(info);
        if (n < 0) {
          throw invalid("negative integer beyond -2^63");
        }
        return -1 - n;
      }
      case 2: {
        int len = length(info);
        Bytes b = Bytes.of(in, pos, len);
        pos += len;
        return b;
      }
      case 3: {
        int len = length(info);
        try {
          String s =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(in, pos, len))
                  .toString();
          pos += len;
          return s;
        } catch (CharacterCodingException e) {
          throw invalid("text string is not valid UTF-8");
        }
      }
      case 4: {
        int n = length(info); // each element takes at least one byte
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(item(depth + 1));
        }
        return Collections.unmodifiableList(list);
      }
      case 5: {
        long n = argument(info);
        if (n < 0 || n > (in.length - pos) / 2) {
          throw invalid("map length exceeds the message");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        int prevStart = -1;
        int prevEnd = -1;
        for (long i = 0; i < n; i++) {
          int keyStart = pos;
          Object key = item(depth + 1);
          int keyEnd = pos;
          if (!(key instanceof Long) && !(key instanceof String)) {
            throw new CtapException(
                CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "map keys must be integers or text");
          }
          if (prevStart >= 0) {
            int c = compareRange(prevStart, prevEnd, keyStart, keyEnd);
            if (c == 0) {
              throw invalid("duplicate map key");
            }
            if (c > 0) {
              throw invalid("map keys not in canonical order");
            }
          }
          prevStart = keyStart;
          prevEnd = keyEnd;
          map.put(key, item(depth + 1));
        }
        return new CborMap(map);
      }
      case 6:
        throw invalid("CBOR tags are not allowed in CTAP messages");
      default:
        return simple(info);
    }
  }

  /** CTAP 2.1 section 8 key order: major type, then encoded length, then byte-wise. */
  private int compareRange(int aStart, int aEnd, int bStart, int bEnd) {
    int majorA = (in[aStart] & 0xFF) >>> 5;
    int majorB = (in[bStart] & 0xFF) >>> 5;
    if (majorA != majorB) {
      return Integer.compare(majorA, majorB);
    }
    int la = aEnd - aStart;
    int lb = bEnd - bStart;
    if (la != lb) {
      return Integer.compare(la, lb);
    }
    return java.util.Arrays.compareUnsigned(in, aStart, aEnd, in, bStart, bEnd);
  }

  private Object simple(int info) {
    switch (info) {
      case 20:
        return Boolean.FALSE;
      case 21:
        return Boolean.TRUE;
      case 22:
        return CborNull.INSTANCE;
      case 25: {
        int h = (u8() << 8) | u8();
        return halfToDouble(h);
      }
      case 26: {
        int bits = 0;
        for (int i = 0; i < 4; i++) {
          bits = (bits << 8) | u8();
        }
        return (double) Float.intBitsToFloat(bits);
      }
      case 27: {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
          bits = (bits << 8) | u8();
        }
        return Double.longBitsToDouble(bits);
      }
      case 24: {
        int v = u8();
        if (v < 32) {
          throw invalid("non-minimal simple value");
        }
        throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "unsupported simple value");
      }
      case 28, 29, 30, 31:
        throw invalid("reserved or indefinite-length break");
      default:
        // undefined (23) and unassigned simple values
        throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "unsupported simple value");
    }
  }

  private static double halfToDouble(int h) {
    int exp = (h >> 10) & 0x1F;
    int mant = h & 0x3FF;
    double val;
    if (exp == 0) {
      val = mant * Math.pow(2, -24);
    } else if (exp != 31) {
      val = (mant + 1024) * Math.pow(2, exp - 25);
    } else {
      val = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return (h & 0x8000) != 0 ? -val : val;
  }
}
