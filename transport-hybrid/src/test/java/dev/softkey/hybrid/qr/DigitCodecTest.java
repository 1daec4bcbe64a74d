package dev.softkey.hybrid.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.testvectors.HybridVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitCodecTest {
  @Test
  void publishedVectors() {
    List<List<String>> rows = HybridVectors.table("digits.tsv").rows();
    assertThat(rows).hasSizeGreaterThan(20);
    for (List<String> r : rows) {
      String digits = r.get(2);
      if (r.get(3).equals("ok")) {
        Bytes bytes = Bytes.fromHex(r.get(1));
        assertThat(DigitCodec.encode(bytes)).as(r.get(0)).isEqualTo(digits);
        assertThat(DigitCodec.decode(digits)).as(r.get(0)).isEqualTo(bytes);
      } else {
        assertThatThrownBy(() -> DigitCodec.decode(digits)).as(r.get(0)).isInstanceOf(HybridException.class);
      }
    }
  }

  @Test
  void roundTripsEveryLengthUpTo255() {
    byte[] data = new byte[255];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + 11);
    }
    for (int len = 0; len < data.length; len++) {
      Bytes b = Bytes.of(data, 0, len);
      String d = DigitCodec.encode(b);
      assertThat(d).hasSize(DigitCodec.digitCount(len));
      assertThat(DigitCodec.decode(d)).isEqualTo(b);
    }
  }

  @Test
  void maximalChunkValuesRoundTrip() {
    Bytes ff = Bytes.fromHex("ffffffffffffffffffffffffff");
    assertThat(DigitCodec.decode(DigitCodec.encode(ff))).isEqualTo(ff);
  }
}
