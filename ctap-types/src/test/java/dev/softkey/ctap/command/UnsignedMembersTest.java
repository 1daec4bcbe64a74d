package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members the specification types "Unsigned Integer": a negative integer is CBOR major type 1, the
 * wrong type, so reading one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE (OpenSK's extract_unsigned answers
 * the same), while 0 and the largest long are read.
 */
class UnsignedMembersTest {
  private static CborMap received(Map<Object, Object> m) {
    return CborDecoder.decodeMap(CborEncoder.encode(m));
  }

  private static void assertNegativeRefused(Map<Object, Object> valid, long key, Function<CborMap, ?> fromCbor) {
    Map<Object, Object> m = new LinkedHashMap<>(valid);
    m.put(key, -1L);
    assertThat(catchThrowableOfType(CtapException.class, () -> fromCbor.apply(received(m))).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    for (long v : new long[] {0, Long.MAX_VALUE}) {
      m.put(key, v);
      assertThat(fromCbor.apply(received(m))).isNotNull();
    }
  }

  /** CTAP 2.1 section 6.1.1: pinUvAuthProtocol (0x09) and enterpriseAttestation (0x0A). */
  @Nested
  class MakeCredential {
    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x09, 0x0A})
    void aNegativeOne_isCborUnexpectedType(long key) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(MakeCredentialRequest.CLIENT_DATA_HASH, Bytes.wrap(new byte[32]));
      m.put(MakeCredentialRequest.RP, Map.of("id", "example.com"));
      m.put(MakeCredentialRequest.USER, Map.of("id", Bytes.fromHex("01")));
      m.put(MakeCredentialRequest.PUB_KEY_CRED_PARAMS, List.of(Map.of("type", "public-key", "alg", -7L)));
      assertNegativeRefused(m, key, MakeCredentialRequest::fromCbor);
    }
  }

  /** CTAP 2.1 section 6.2.1: pinUvAuthProtocol (0x07). */
  @Nested
  class GetAssertion {
    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x07})
    void aNegativeOne_isCborUnexpectedType(long key) {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(GetAssertionRequest.RP_ID, "example.com");
      m.put(GetAssertionRequest.CLIENT_DATA_HASH, Bytes.wrap(new byte[32]));
      assertNegativeRefused(m, key, GetAssertionRequest::fromCbor);
    }
  }

  /** CTAP 2.1 section 6.4 and CTAP 2.2: the unsigned members of getInfo, and the elements of pinUvAuthProtocols (0x06) and vendorPrototypeConfigCommands (0x15). */
  @Nested
  class GetInfo {
    private static Map<Object, Object> info() {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(GetInfoResponse.VERSIONS, List.of("FIDO_2_1"));
      m.put(GetInfoResponse.AAGUID, Bytes.wrap(new byte[16]));
      return m;
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x05, 0x07, 0x08, 0x0B, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x14, 0x17, 0x1D})
    void aNegativeOne_isCborUnexpectedType(long key) {
      assertNegativeRefused(info(), key, GetInfoResponse::fromCbor);
    }

    @ParameterizedTest(name = "member {0}")
    @ValueSource(longs = {0x06, 0x15})
    void aNegativeElement_isCborUnexpectedType(long key) {
      Map<Object, Object> m = info();
      m.put(key, List.of(1L, -1L));
      assertThat(catchThrowableOfType(CtapException.class, () -> GetInfoResponse.fromCbor(received(m))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
      m.put(key, List.of(0L, Long.MAX_VALUE));
      assertThat(GetInfoResponse.fromCbor(received(m)).toCbor()).containsEntry(key, List.of(0L, Long.MAX_VALUE));
    }
  }
}
