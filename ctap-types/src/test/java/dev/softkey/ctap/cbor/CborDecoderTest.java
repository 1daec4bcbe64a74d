package dev.softkey.ctap.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.CborVector;
import dev.softkey.testvectors.CborVectors;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strict decoder against the vector files (RFC 8949 Appendix A, CTAP 2.1 section 8 rules) and
 * the CTAP status each rejection maps to.
 */
class CborDecoderTest {
  private static final CborVectors RFC = CborVectors.rfc8949AppendixA();
  private static final CborVectors CTAP2 = CborVectors.ctap2Canonical();

  static Stream<CborVector> allVectors() {
    return Stream.concat(RFC.vectors().stream(), CTAP2.vectors().stream());
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      byte[] input, CtapStatus status) {
    return assertThatThrownBy(() -> CborDecoder.decode(input))
        .isInstanceOfSatisfying(
            CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  private static void assertRejected(String vectorName, CtapStatus status) {
    CborVector v = vectorName.startsWith("rfc:") ? RFC.byName(vectorName.substring(4)) : CTAP2.byName(vectorName);
    assertThat(v.status()).as("vector file verdict of %s", v.name()).contains(status.name());
    assertRejected(v.bytes(), status);
  }

  private static byte[] hex(String h) {
    return Bytes.fromHex(h).toArray();
  }

  @Nested
  class Vectors {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.ctap.cbor.CborDecoderTest#allVectors")
    void eachVector_getsItsVerdict(CborVector v) {
      switch (v.verdict()) {
        case CANONICAL -> {
          Object decoded = CborDecoder.decode(v.bytes());
          assertThat(Diagnostic.of(decoded)).isEqualTo(v.diagnostic());
          assertThat(CborEncoder.encode(decoded)).as("re-encoding").isEqualTo(v.bytes());
        }
        case FLOAT -> {
          Object decoded = CborDecoder.decode(v.bytes());
          assertThat(decoded).isInstanceOf(Double.class);
          assertThat(Double.compare((Double) decoded, Double.parseDouble(v.diagnostic())))
              .as("%s decodes to %s", v.diagnostic(), decoded)
              .isZero();
        }
        case REJECT -> assertRejected(v.bytes(), CtapStatus.valueOf(v.status().orElseThrow()));
      }
    }

    @Test
    void theFilesCoverEveryVerdict() {
      assertThat(allVectors().map(CborVector::verdict).distinct())
          .containsExactlyInAnyOrder(CborVector.Verdict.values());
    }
  }

  @Nested
  class MapKeys {
    @ParameterizedTest
    @ValueSource(strings = {"keys-neg1-before-100", "keys-empty-text-before-24", "keys-neg1-before-10", "keys-aa-before-z", "keys-text-before-int", "keys-3-before-1"})
    void outOfOrderKeys_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"keys-duplicate-int", "keys-duplicate-text"})
    void duplicateKeys_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void ctapExampleOrder_isAccepted() {
      CborMap m = CborDecoder.decodeMap(CTAP2.byName("keys-sorted-example").bytes());
      assertThat(m.asMap().keySet()).containsExactly(10L, 100L, -1L, "z", "aa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1410000" /* h'00' key */, "a1f400" /* false key */, "a1800000" /* [] key */, "a1f600" /* null key */})
    void keysOtherThanIntegerOrText_areUnexpectedType(String h) {
      assertRejected(hex(h), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }

  @Nested
  class Encoding {
    @ParameterizedTest
    @ValueSource(strings = {"nonminimal-uint-1byte", "nonminimal-uint-2byte", "nonminimal-uint-4byte", "nonminimal-uint-8byte", "nonminimal-nint", "nonminimal-bytes-length", "nonminimal-text-length", "nonminimal-array-length", "nonminimal-map-length", "nonminimal-key"})
    void nonMinimalIntegersAndLengths_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc:indef-bytes", "rfc:indef-text", "rfc:indef-array-empty", "rfc:indef-array-nested-3", "rfc:indef-map", "rfc:indef-map-in-array"})
    void indefiniteLengths_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rfc:tag-0-datetime", "rfc:tag-1-epoch-int", "rfc:tag-24-embedded", "rfc:bignum-2^64"})
    void tags_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void tagInsideAMap_isInvalidCbor() {
      assertRejected(hex("a101c100"), CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void undefined_isUnexpectedType() {
      assertRejected("rfc:undefined", CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertRejected(hex("a101f7"), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void otherSimpleValues_areUnexpectedType() {
      assertRejected("rfc:simple-16", CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertRejected("rfc:simple-255", CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertRejected("simple-24-two-byte", CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void integersBeyondInt64_areInvalidCbor() {
      assertRejected("rfc:uint-2^64-1", CtapStatus.CTAP2_ERR_INVALID_CBOR);
      assertRejected("rfc:nint--2^64", CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }
  }

  @Nested
  class Nesting {
    /** {@code levels} nested one-element arrays around the integer 0. */
    private byte[] nestedArrays(int levels) {
      byte[] b = new byte[levels + 1];
      java.util.Arrays.fill(b, 0, levels, (byte) 0x81);
      return b;
    }

    /** {@code levels} nested one-member maps {1: {1: ... 0}}. */
    private byte[] nestedMaps(int levels) {
      byte[] b = new byte[2 * levels + 1];
      for (int i = 0; i < levels; i++) {
        b[2 * i] = (byte) 0xa1;
        b[2 * i + 1] = 0x01;
      }
      return b;
    }

    @Test
    void fourLevels_asCtapRequires_areAccepted() {
      assertThat(CborDecoder.decode(CTAP2.byName("nesting-4-levels").bytes())).isNotNull();
      assertThat(CborDecoder.decode(CTAP2.byName("nesting-4-levels-maps").bytes())).isNotNull();
    }

    @Test
    void maxDepthLevels_areAccepted() {
      assertThat(CborDecoder.decode(nestedArrays(CborDecoder.MAX_DEPTH))).isNotNull();
      assertThat(CborDecoder.decode(nestedMaps(CborDecoder.MAX_DEPTH))).isNotNull();
    }

    @Test
    void nestingBeyondMaxDepth_isInvalidCbor() {
      assertRejected(nestedArrays(CborDecoder.MAX_DEPTH + 1), CtapStatus.CTAP2_ERR_INVALID_CBOR);
      assertRejected(nestedMaps(CborDecoder.MAX_DEPTH + 1), CtapStatus.CTAP2_ERR_INVALID_CBOR);
      assertRejected(nestedArrays(1000), CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }
  }

  @Nested
  class Framing {
    @ParameterizedTest
    @ValueSource(strings = {"truncated-uint", "truncated-text", "truncated-array", "truncated-map", "truncated-float"})
    void truncatedInput_isInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void emptyInput_isInvalidCbor() {
      assertRejected(new byte[0], CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void trailingBytes_areInvalidCbor() {
      assertRejected("trailing-bytes", CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"length-beyond-input", "length-beyond-int64"})
    void lengthsBeyondTheBuffer_areInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void mapLengthBeyondTheBuffer_isInvalidCbor() {
      assertRejected(hex("bbffffffffffffffff"), CtapStatus.CTAP2_ERR_INVALID_CBOR);
      assertRejected(hex("a30102"), CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"utf8-invalid-byte", "utf8-truncated-sequence", "utf8-overlong", "utf8-surrogate"})
    void invalidUtf8_isInvalidCbor(String name) {
      assertRejected(name, CtapStatus.CTAP2_ERR_INVALID_CBOR);
    }

    @Test
    void decodeWithOffset_readsOnlyTheSlice() {
      byte[] data = hex("ff0102ff");
      assertThat(CborDecoder.decode(data, 1, 1)).isEqualTo(1L);
      assertThatThrownBy(() -> CborDecoder.decode(data, 1, 2))
          .isInstanceOf(CtapException.class);
    }

    @Test
    void decodeMap_ofANonMap_isUnexpectedType() {
      assertThatThrownBy(() -> CborDecoder.decodeMap(hex("8100")))
          .isInstanceOfSatisfying(
              CtapException.class,
              e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE));
    }
  }
}
