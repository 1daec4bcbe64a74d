package dev.softkey.testvectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CborVectorsTest {

  @Nested
  class Rfc8949AppendixA {
    private final CborVectors set = CborVectors.rfc8949AppendixA();

    @Test
    void namesItsSource() {
      assertThat(set.source()).contains("RFC 8949").contains("Appendix A");
    }

    @Test
    void holdsTheWholeTable() {
      // RFC 8949 Table 6 has 81 rows (RFC 7049's simple(24) row was dropped as not well-formed).
      assertThat(set.vectors()).hasSize(81);
      assertThat(set.withVerdict(CborVector.Verdict.FLOAT)).hasSize(22);
    }

    @Test
    void byName_findsHexAndDiagnostic() {
      CborVector v = set.byName("map-text-keys");
      assertThat(v.hex()).isEqualTo("a26161016162820203");
      assertThat(v.bytes()).containsExactly(0xa2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x82, 0x02, 0x03);
      assertThat(v.diagnostic()).isEqualTo("{\"a\": 1, \"b\": [2, 3]}");
      assertThat(v.verdict()).isEqualTo(CborVector.Verdict.CANONICAL);
      assertThat(v.status()).isEmpty();
    }

    @Test
    void rejections_carryTheirStatus() {
      assertThat(set.byName("undefined").status()).contains("CTAP2_ERR_CBOR_UNEXPECTED_TYPE");
      assertThat(set.byName("tag-0-datetime").status()).contains("CTAP2_ERR_INVALID_CBOR");
      assertThat(set.byName("indef-map-fun").accepted()).isFalse();
    }

    @Test
    void byName_unknown_throws() {
      assertThatThrownBy(() -> set.byName("no-such-vector"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no-such-vector");
    }

    @Test
    void bytes_returnsAFreshCopy() {
      CborVector v = set.byName("bytes-4");
      v.bytes()[0] = 0;
      assertThat(v.bytes()[0]).isEqualTo((byte) 0x44);
    }
  }

  @Test
  void ctap2Canonical_namesItsSourceAndHasBothVerdicts() {
    CborVectors set = CborVectors.ctap2Canonical();
    assertThat(set.source()).contains("CTAP 2.1").contains("section 8");
    assertThat(set.withVerdict(CborVector.Verdict.CANONICAL)).isNotEmpty();
    assertThat(set.withVerdict(CborVector.Verdict.REJECT)).hasSizeGreaterThan(20);
  }

  @Nested
  class Table {
    @Test
    void parse_readsHeadersRowsAndSkipsComments() {
      VectorTable t =
          VectorTable.parse(
              "t", "# source: here\n# a comment without key\n# source: and there\n\na\tb\tc\n");
      assertThat(t.source()).isEqualTo("here\nand there");
      assertThat(t.rows()).containsExactly(java.util.List.of("a", "b", "c"));
    }

    @Test
    void parse_withoutSource_isRefused() {
      assertThatThrownBy(() -> VectorTable.parse("t", "a\tb\n"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("source");
    }

    @Test
    void missingResource_isNamed() {
      assertThatThrownBy(() -> VectorTable.load("nope.tsv"))
          .hasMessageContaining("nope.tsv");
    }
  }

  @Test
  void vector_statusOnlyWithReject() {
    assertThatThrownBy(
            () ->
                new CborVector(
                    "x", "00", CborVector.Verdict.CANONICAL, Optional.of("X"), "0", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new CborVector("x", "0", CborVector.Verdict.CANONICAL, Optional.empty(), "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
