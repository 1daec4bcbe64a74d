package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored link and linking information from the phone: round trip, and malformed input as
 * {@link HybridException} (findings of the fuzz module's TunnelMessagesFuzzTest).
 */
class LinkInfoTest {
  private final LinkInfo link =
      new LinkInfo(
          258,
          Bytes.wrap(new byte[] {1, 2, 3}),
          Bytes.wrap(new byte[8]),
          Bytes.wrap(new byte[32]),
          P256KeyPair.generate(RandomSource.seeded(1)).publicKey(),
          "Pixel");

  @Test
  void roundTrip() {
    assertThat(LinkInfo.decode(link.encode())).isEqualTo(link);
  }

  /** Fuzz finding (TunnelMessagesFuzzTest.linkInfo): empty input escaped as CtapException. */
  @Test
  void truncatedCbor_isHybridException() {
    assertThatThrownBy(() -> LinkInfo.decode(Bytes.EMPTY)).isInstanceOf(HybridException.class);
  }

  @Test
  void missingMember_isHybridException() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0L, 0L);
    assertThatThrownBy(() -> LinkInfo.decode(CborEncoder.encodeBytes(m)))
        .isInstanceOf(HybridException.class)
        .hasMessageContaining("malformed linking information");
  }

  /** A domain above 2^31 was truncated by an int cast into a different (valid-looking) domain. */
  @Test
  void tunnelDomainOutOfRange_isRefused() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0L, (1L << 32) + 1);
    m.put(1L, link.contactId());
    m.put(2L, link.linkId());
    m.put(3L, link.linkSecret());
    m.put(4L, link.authenticatorIdentity().uncompressed());
    m.put(5L, "Pixel");
    assertThatThrownBy(() -> LinkInfo.decode(CborEncoder.encodeBytes(m)))
        .isInstanceOf(HybridException.class)
        .hasMessageContaining("65535");
  }

  /**
   * Fuzz finding (TunnelMessagesFuzzTest.update, input {@code a1 01 a1 04 01}): linking information
   * whose key 4 is an integer escaped as CtapException CTAP2_ERR_CBOR_UNEXPECTED_TYPE, which
   * HybridChannel.transact passed on as the phone's answer to the CTAP request.
   */
  @Test
  void acceptLinking_memberOfWrongType_isHybridException() {
    CborMap linking = new CborMap(Map.of(4L, 1L));
    assertThatThrownBy(
            () -> HybridInitiator.acceptLinking(linking, 0, P256KeyPair.generate(RandomSource.seeded(2)), Bytes.wrap(new byte[32])))
        .isInstanceOf(HybridException.class)
        .hasMessageContaining("malformed linking information");
  }
}
