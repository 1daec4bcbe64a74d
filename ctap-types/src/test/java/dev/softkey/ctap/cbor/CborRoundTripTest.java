package dev.softkey.ctap.cbor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.CborVectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * decode(encode(x)) equals x and re-encoding is byte-identical, over seeded random nested values;
 * and the CTAP2 canonical key order of CTAP 2.1 section 8.
 */
class CborRoundTripTest {
  private static final CborVectors CTAP2 = CborVectors.ctap2Canonical();

  @Nested
  class RoundTrip {
    @Test
    void randomNestedValues_roundTripAndReencodeIdentically() {
      CborValues gen = new CborValues(0x5eed_c0deL);
      int containers = 0;
      for (int i = 0; i < 3000; i++) {
        Object x = gen.value(0);
        if (x instanceof List<?> || x instanceof CborMap) {
          containers++;
        }
        byte[] encoded = CborEncoder.encode(x);
        Object decoded = CborDecoder.decode(encoded);
        assertThat(decoded).as("value %d, encoding %s", i, Bytes.of(encoded).hex()).isEqualTo(x);
        assertThat(CborEncoder.encode(decoded)).isEqualTo(encoded);
      }
      assertThat(containers).as("the generator must produce nested values").isGreaterThan(500);
    }

    @Test
    void topLevelMaps_roundTripThroughDecodeMap() {
      CborValues gen = new CborValues(42);
      for (int i = 0; i < 500; i++) {
        CborMap m = gen.map(0);
        byte[] encoded = CborEncoder.encode(m);
        assertThat(CborDecoder.decodeMap(encoded)).isEqualTo(m);
      }
    }

    @Test
    void decodePrefix_reportsTheItemLengthAndIgnoresWhatFollows() {
      CborValues gen = new CborValues(7);
      for (int i = 0; i < 200; i++) {
        Object x = gen.value(0);
        byte[] item = CborEncoder.encode(x);
        byte[] withTail = Bytes.concat(Bytes.of(new byte[] {0x01}), Bytes.of(item), Bytes.of(new byte[] {(byte) 0xff, 0})).toArray();
        CborDecoder.Prefix p = CborDecoder.decodePrefix(withTail, 1);
        assertThat(p.value()).isEqualTo(x);
        assertThat(p.length()).isEqualTo(item.length);
      }
    }

    @Test
    void integerBoundaries_useTheShortestHead() {
      assertThat(Bytes.of(CborEncoder.encode(23L)).hex()).isEqualTo("17");
      assertThat(Bytes.of(CborEncoder.encode(24L)).hex()).isEqualTo("1818");
      assertThat(Bytes.of(CborEncoder.encode(255L)).hex()).isEqualTo("18ff");
      assertThat(Bytes.of(CborEncoder.encode(256L)).hex()).isEqualTo("190100");
      assertThat(Bytes.of(CborEncoder.encode(65536L)).hex()).isEqualTo("1a00010000");
      assertThat(Bytes.of(CborEncoder.encode(0x100000000L)).hex()).isEqualTo("1b0000000100000000");
      assertThat(Bytes.of(CborEncoder.encode(-24L)).hex()).isEqualTo("37");
      assertThat(Bytes.of(CborEncoder.encode(-25L)).hex()).isEqualTo("3818");
      assertThat(Bytes.of(CborEncoder.encode(Long.MIN_VALUE)).hex()).isEqualTo("3b7fffffffffffffff");
      assertThat(CborDecoder.decode(Bytes.fromHex("3b7fffffffffffffff").toArray())).isEqualTo(Long.MIN_VALUE);
    }
  }

  @Nested
  class CanonicalKeyOrder {
    @Test
    void ctapExampleKeys_areWrittenLengthFirstThenBytewise() {
      // CTAP 2.1 section 8 example order: 10, 100, -1, "z", "aa"; inserted here in reverse.
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put("aa", 0);
      m.put("z", 0);
      m.put(-1, 0);
      m.put(100, 0);
      m.put(10, 0);
      assertThat(CborEncoder.encode(m)).isEqualTo(CTAP2.byName("keys-sorted-example").bytes());
    }

    @Test
    void everyInsertionOrder_givesTheSameBytes() {
      List<Object> keys = new ArrayList<>(List.of(10L, 100L, -1L, "z", "aa", 0L, -25L, 1000L, "", "b"));
      byte[] reference = null;
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < 50; i++) {
        java.util.Collections.shuffle(keys, r);
        Map<Object, Object> m = new LinkedHashMap<>();
        for (Object k : keys) {
          m.put(k, k);
        }
        byte[] enc = CborEncoder.encode(m);
        if (reference == null) {
          reference = enc;
        }
        assertThat(enc).isEqualTo(reference);
      }
      CborMap decoded = CborDecoder.decodeMap(reference);
      assertThat(new ArrayList<>(decoded.asMap().keySet()))
          .containsExactly(0L, 10L, 100L, 1000L, -1L, -25L, "", "b", "z", "aa");
    }

    @Test
    void compareKeys_isMajorTypeThenLengthThenBytewise() {
      // 100 (1864) before -1 (20): major type 0 before 1, although longer (CTAP 2.1 section 8).
      assertThat(CborEncoder.compareKeys(new byte[] {0x18, 0x64}, new byte[] {0x20})).isNegative();
      assertThat(CborEncoder.compareKeys(new byte[] {0x0a}, new byte[] {0x20})).isNegative();
      // 24 (1818) before "" (60).
      assertThat(CborEncoder.compareKeys(new byte[] {0x60}, new byte[] {0x18, 0x18})).isPositive();
      // same major type: shorter first, then bytewise (unsigned).
      assertThat(CborEncoder.compareKeys(new byte[] {0x61, 0x7a}, new byte[] {0x62, 0x61, 0x61})).isNegative();
      assertThat(CborEncoder.compareKeys(new byte[] {0x18, (byte) 0x80}, new byte[] {0x18, 0x7f})).isPositive();
      assertThat(CborEncoder.compareKeys(new byte[] {(byte) 0x80}, new byte[] {0x7f})).isPositive();
      assertThat(CborEncoder.compareKeys(new byte[] {0x01}, new byte[] {0x01})).isZero();
    }

    @Test
    void mixedMajorTypes_followTheCtapOrder_notRfc7049LengthFirst() {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(-1, 0);
      m.put(100, 0);
      assertThat(CborEncoder.encode(m)).isEqualTo(CTAP2.byName("keys-100-before-neg1").bytes());
      m = new LinkedHashMap<>();
      m.put("", 0);
      m.put(24, 0);
      assertThat(CborEncoder.encode(m)).isEqualTo(CTAP2.byName("keys-24-before-empty-text").bytes());
    }

    @Test
    void nullMemberValues_areOmitted() {
      Map<Object, Object> m = new HashMap<>();
      m.put(1, "x");
      m.put(2, null);
      m.put(3, CborNull.INSTANCE);
      assertThat(Bytes.of(CborEncoder.encode(m)).hex()).isEqualTo("a2016178" + "03f6");
    }
  }
}
