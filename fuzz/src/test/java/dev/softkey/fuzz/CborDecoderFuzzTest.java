package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.List;
import java.util.Set;

/**
 * The strict CTAP2 canonical CBOR decoder (CTAP 2.1 section 8) on arbitrary bytes. Seeds: RFC 8949
 * Appendix A and the CTAP2 canonical-form vectors.
 */
class CborDecoderFuzzTest {
  /** What the decoder may answer besides a value: the spec's two CBOR errors. */
  static final Set<CtapStatus> CBOR_ERRORS =
      Set.of(CtapStatus.CTAP2_ERR_INVALID_CBOR, CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);

  /**
   * Invariants: decoding throws nothing but a {@link CtapException} with a CBOR status; a decoded
   * value re-encodes to the very same bytes (the decoder accepts canonical form only), floats
   * aside (canonical form leaves their width alone and the encoder writes none).
   */
  @FuzzTest
  void decode(byte[] data) {
    Object value;
    try {
      value = CborDecoder.decode(data);
    } catch (CtapException e) {
      assertThat(CBOR_ERRORS).as("status of a refused item").contains(e.status());
      return;
    }
    if (!containsFloat(value)) {
      assertThat(CborEncoder.encode(value)).as("re-encoding of an accepted item").isEqualTo(data);
    }
  }

  /** {@link CborDecoder#decodePrefix}: the length it reports is where a full decode would end. */
  @FuzzTest
  void decodePrefix(byte[] data) {
    CborDecoder.Prefix p;
    try {
      p = CborDecoder.decodePrefix(data, 0);
    } catch (CtapException e) {
      assertThat(CBOR_ERRORS).contains(e.status());
      return;
    }
    assertThat(p.length()).isBetween(1, data.length);
    Object again = CborDecoder.decode(data, 0, p.length());
    assertThat(again).isEqualTo(p.value());
  }

  static boolean containsFloat(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return true;
    }
    if (v instanceof List<?> l) {
      return l.stream().anyMatch(CborDecoderFuzzTest::containsFloat);
    }
    if (v instanceof CborMap m) {
      return m.asMap().entrySet().stream().anyMatch(e -> containsFloat(e.getKey()) || containsFloat(e.getValue()));
    }
    return false;
  }
}
