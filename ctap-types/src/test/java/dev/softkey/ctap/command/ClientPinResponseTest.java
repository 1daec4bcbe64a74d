package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ClientPinResponse} (CTAP 2.1 section 6.5.5), as the platform reads it. */
class ClientPinResponseTest {
  /** The response table types pinRetries (0x03) and uvRetries (0x05) "Unsigned Integer". */
  @Nested
  class UnsignedMembers {
    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x03, 0x05})
    void aNegativeRetryCount_isCborUnexpectedType(long key) {
      byte[] reply = CborEncoder.encode(Map.of(key, -1L));
      CtapException e = catchThrowableOfType(CtapException.class, () -> ClientPinResponse.fromCbor(CborDecoder.decodeMap(reply)));
      assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x03, 0x05})
    void zeroRetriesLeft_isRead(long key) {
      ClientPinResponse x = ClientPinResponse.fromCbor(CborDecoder.decodeMap(CborEncoder.encode(Map.of(key, 0L))));
      assertThat(key == 0x03 ? x.pinRetries() : x.uvRetries()).contains(0L);
    }

    @Test
    void aResponseBuiltWithANegativeCount_isRefusedAlike() {
      assertThat(catchThrowableOfType(CtapException.class, () -> ClientPinResponse.ofPinRetries(-1, Optional.empty())).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      assertThat(catchThrowableOfType(CtapException.class, () -> ClientPinResponse.ofUvRetries(-1)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }
}
