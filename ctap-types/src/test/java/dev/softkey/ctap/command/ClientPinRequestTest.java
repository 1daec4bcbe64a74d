package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ClientPinRequest} (CTAP 2.1 section 6.5.5). */
class ClientPinRequestTest {
  /** getPinRetries under protocol 2, with permissions: every unsigned member present. */
  private static Map<Object, Object> request() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 2L);
    m.put(ClientPinRequest.SUB_COMMAND, 1L);
    m.put(ClientPinRequest.PERMISSIONS, 0x01L);
    return m;
  }

  private static CborMap received(Map<Object, Object> m) {
    return CborDecoder.decodeMap(CborEncoder.encode(m));
  }

  /** The parameter table types pinUvAuthProtocol (0x01), subCommand (0x02) and permissions (0x09) "Unsigned Integer". */
  @Nested
  class UnsignedMembers {
    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x01, 0x02, 0x09})
    void aNegativeIntegerOnTheWire_isCborUnexpectedType(long key) {
      Map<Object, Object> m = request();
      m.put(key, -1L);
      CtapException e = catchThrowableOfType(CtapException.class, () -> ClientPinRequest.fromCbor(received(m)));
      assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x01, 0x02, 0x09})
    void zeroAndTheLargestLong_areRead(long key) {
      for (long v : new long[] {0, Long.MAX_VALUE}) {
        Map<Object, Object> m = request();
        m.put(key, v);
        ClientPinRequest x = ClientPinRequest.fromCbor(received(m));
        assertThat(CborEncoder.encode(x.toCbor())).isEqualTo(CborEncoder.encode(m));
      }
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x01, 0x02, 0x09})
    void aRecordBuiltWithANegativeOne_isRefusedAlike(long key) {
      Optional<Long> protocol = Optional.of(key == 0x01 ? -2L : 2L);
      long sub = key == 0x02 ? -1L : 1L;
      Optional<Long> permissions = Optional.of(key == 0x09 ? -1L : 1L);
      CtapException e =
          catchThrowableOfType(
              CtapException.class,
              () -> new ClientPinRequest(protocol, sub, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), permissions, Optional.empty()));
      assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }
}
