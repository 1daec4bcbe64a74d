package dev.softkey.ctap.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CborFloatTest {
  @Test
  void decodedFloatsEncodeBackAsFloat64() {
    for (double d : new double[] {1.5, -0.0, 100000.0, 1.0e300, Double.NaN, Double.NEGATIVE_INFINITY}) {
      byte[] enc = CborEncoder.encode(d);
      assertThat(enc[0] & 0xFF).isEqualTo(0xFB);
      assertThat(Double.compare((Double) CborDecoder.decode(enc), d)).isZero();
    }
    // half-precision input (RFC 8949 App. A: 0xf93e00 is 1.5) re-encodes as the same value
    assertThat((Double) CborDecoder.decode(CborEncoder.encode(CborDecoder.decode(new byte[] {(byte) 0xF9, 0x3E, 0x00})))).isEqualTo(1.5);
  }

  @Test
  void badOffsets_areACallerError() {
    assertThatThrownBy(() -> CborDecoder.decode(new byte[] {1}, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CborDecoder.decode(new byte[] {1}, -1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
