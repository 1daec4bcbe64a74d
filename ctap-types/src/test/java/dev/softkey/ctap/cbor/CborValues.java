package dev.softkey.ctap.cbor;

import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of nested values in the decoder's value model (Long, Bytes, String, Boolean,
 * CborNull, List, CborMap), for round-trip and fuzz tests. Values nest at most {@link
 * CborDecoder#MAX_DEPTH} levels below the top, which the decoder accepts.
 */
final class CborValues {
  private static final long[] EDGE_INTEGERS = {
    0, 1, 23, 24, 255, 256, 65535, 65536, 0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE,
    -1, -24, -25, -256, -257, -65536, -65537, -0x100000000L, -0x100000001L, Long.MIN_VALUE
  };

  private final Random random;

  CborValues(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** A value whose nested items sit at depth {@code depth} (the top item is depth 0). */
  Object value(int depth) {
    int kind = random.nextInt(depth < CborDecoder.MAX_DEPTH ? 9 : 6);
    return switch (kind) {
      case 0 -> integer();
      case 1 -> bytes();
      case 2 -> text();
      case 3 -> random.nextBoolean();
      case 4 -> CborNull.INSTANCE;
      case 5 -> integer();
      case 6 -> list(depth);
      default -> map(depth);
    };
  }

  Long integer() {
    return switch (random.nextInt(4)) {
      case 0 -> EDGE_INTEGERS[random.nextInt(EDGE_INTEGERS.length)];
      case 1 -> (long) random.nextInt(48) - 24;
      case 2 -> (long) random.nextInt();
      default -> random.nextLong();
    };
  }

  Bytes bytes() {
    int len = random.nextInt(10) == 0 ? 24 + random.nextInt(300) : random.nextInt(30);
    byte[] b = new byte[len];
    random.nextBytes(b);
    return Bytes.wrap(b);
  }

  String text() {
    int len = random.nextInt(10) == 0 ? 24 + random.nextInt(100) : random.nextInt(12);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int cp =
          switch (random.nextInt(4)) {
            case 0 -> 0x20 + random.nextInt(0x5f);
            case 1 -> random.nextInt(0x800);
            case 2 -> 0xE000 + random.nextInt(0x2000); // above the surrogates
            default -> 0x10000 + random.nextInt(0x100000 - 0x10000);
          };
      s.appendCodePoint(cp);
    }
    return s.toString();
  }

  List<Object> list(int depth) {
    int n = random.nextInt(random.nextInt(20) == 0 ? 30 : 5);
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(value(depth + 1));
    }
    return l;
  }

  CborMap map(int depth) {
    int n = random.nextInt(random.nextInt(20) == 0 ? 30 : 6);
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Object key = random.nextBoolean() ? integer() : text();
      m.put(key, value(depth + 1));
    }
    return new CborMap(m);
  }
}
