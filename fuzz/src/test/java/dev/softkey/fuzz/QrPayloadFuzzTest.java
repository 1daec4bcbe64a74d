package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.qr.QrPayload;
import java.nio.charset.StandardCharsets;

/**
 * The hybrid QR payload (caBLE v2, {@code FIDO:/} digits of a CBOR map). Seeds: the URLs of Chrome
 * and Safari and Chromium's known QR payloads.
 *
 * <p>Invariants: a malformed payload is a {@link HybridException} and nothing else; a parsed one
 * re-encodes to the same CBOR bytes (unknown keys are kept for that; a float in an unknown key
 * aside, which the encoder writes in 64 bits whatever width it came in, as in {@link
 * CborDecoderFuzzTest}) and in any case to an equal payload, and its URL parses back to an equal
 * payload.
 */
class QrPayloadFuzzTest {
  /** The input is the scanned text (UTF-8). */
  @FuzzTest
  void decodeUrl(byte[] data) {
    String url = new String(data, StandardCharsets.UTF_8);
    QrPayload p;
    try {
      p = QrPayload.decode(url);
    } catch (HybridException e) {
      return;
    }
    String again = p.encode();
    assertThat(QrPayload.decode(again)).as("payload of the re-encoded URL").isEqualTo(p);
  }

  /** The input is the CBOR map the digits carry. */
  @FuzzTest
  void fromCbor(byte[] cbor) {
    QrPayload p;
    try {
      p = QrPayload.fromCbor(Bytes.of(cbor));
    } catch (HybridException e) {
      return;
    }
    Bytes again = p.toCbor();
    assertThat(QrPayload.fromCbor(again)).as("payload of the re-encoded CBOR").isEqualTo(p);
    boolean floats =
        p.unknownKeys().entrySet().stream()
            .anyMatch(e -> CborDecoderFuzzTest.containsFloat(e.getKey()) || CborDecoderFuzzTest.containsFloat(e.getValue()));
    if (!floats) {
      assertThat(again.toArray()).as("re-encoded payload").isEqualTo(cbor);
    }
  }
}
