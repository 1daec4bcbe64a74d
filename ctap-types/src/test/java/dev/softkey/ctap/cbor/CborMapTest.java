package dev.softkey.ctap.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CborMap's typed accessors answer CTAP statuses: wrong type and missing member. */
class CborMapTest {
  /** {1: h'01', 2: "text", 3: 7, 4: true, 5: {}, 6: [1], 7: null} as decoded from the wire. */
  private final CborMap m =
      CborDecoder.decodeMap(
          CborEncoder.encode(
              Map.of(
                  1, Bytes.fromHex("01"),
                  2, "text",
                  3, 7,
                  4, true,
                  5, Map.of(),
                  6, List.of(1),
                  7, CborNull.INSTANCE)));

  private static void assertStatus(Runnable r, CtapStatus status) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  @Nested
  class PresentMembers {
    @Test
    void accessors_returnTheTypedValue() {
      assertThat(m.bytes(1)).isEqualTo(Bytes.fromHex("01"));
      assertThat(m.text(2)).isEqualTo("text");
      assertThat(m.longValue(3)).isEqualTo(7L);
      assertThat(m.optBool(4)).contains(true);
      assertThat(m.map(5).size()).isZero();
      assertThat(m.list(6)).containsExactly(1L);
      assertThat(m.opt(7)).contains(CborNull.INSTANCE);
    }

    @Test
    void integerAndLongKeys_findTheSameMember() {
      assertThat(m.has(3)).isTrue();
      assertThat(m.has(3L)).isTrue();
      assertThat(m.optLong(3L)).contains(7L);
    }
  }

  @Nested
  class WrongType {
    @Test
    void everyAccessor_answersCborUnexpectedType() {
      List<Consumer<CborMap>> accessors =
          List.of(
              x -> x.bytes(2),
              x -> x.optBytes(2),
              x -> x.text(1),
              x -> x.optText(3),
              x -> x.longValue(2),
              x -> x.optLong(4),
              x -> x.optBool(3),
              x -> x.map(6),
              x -> x.optMap(1),
              x -> x.list(5),
              x -> x.optList(2),
              x -> x.text(7) /* CBOR null is not text */);
      for (Consumer<CborMap> a : accessors) {
        assertStatus(() -> a.accept(m), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      }
    }

    @Test
    void asMap_ofANonMap_isUnexpectedType() {
      assertStatus(() -> CborMap.asMap(1L), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertThat(CborMap.asMap(m)).isSameAs(m);
    }
  }

  @Nested
  class Missing {
    @Test
    void requiredAccessors_answerMissingParameter() {
      List<Consumer<CborMap>> accessors =
          List.of(x -> x.bytes(9), x -> x.text(9), x -> x.longValue(9), x -> x.map(9), x -> x.list(9));
      for (Consumer<CborMap> a : accessors) {
        assertStatus(() -> a.accept(m), CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
      }
    }

    @Test
    void optionalAccessors_areEmpty() {
      assertThat(m.optBytes(9)).isEmpty();
      assertThat(m.optText(9)).isEmpty();
      assertThat(m.optLong(9)).isEmpty();
      assertThat(m.optBool(9)).isEmpty();
      assertThat(m.optMap(9)).isEmpty();
      assertThat(m.optList(9)).isEmpty();
      assertThat(m.has(9)).isFalse();
    }
  }

  @Test
  void asMap_isUnmodifiable() {
    assertThatThrownBy(() -> m.asMap().put(10L, 1L)).isInstanceOf(UnsupportedOperationException.class);
  }
}
