package dev.softkey.hybrid.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.testvectors.HybridVectors;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QrPayloadTest {
  @Nested
  class Vectors {
    @Test
    void chromiumKnownQrs() {
      List<List<String>> rows = HybridVectors.table("qr-known-chromium.tsv").rows();
      assertThat(rows).hasSize(13);
      for (List<String> r : rows) {
        String url = QrPayload.PREFIX + DigitCodec.encode(Bytes.fromHex(r.get(1)));
        if (r.get(2).equals("reject")) {
          assertThatThrownBy(() -> QrPayload.decode(url)).as(r.get(0)).isInstanceOf(HybridException.class);
          continue;
        }
        QrPayload p = QrPayload.decode(url);
        assertThat(p.knownDomainCount().orElse(0L)).as(r.get(0)).isEqualTo(Long.parseLong(r.get(3)));
        assertThat(p.supportsStateAssisted().map(String::valueOf).orElse("-")).as(r.get(0)).isEqualTo(r.get(4));
        assertThat(p.requestType().wire()).as(r.get(0)).isEqualTo(r.get(5));
        assertThat(p.qrSecret()).isEqualTo(Bytes.wrap(new byte[16]));
        // every accepted payload re-encodes byte for byte (unknown keys included)
        assertThat(p.toCbor().hex()).as(r.get(0)).isEqualTo(r.get(1));
        assertThat(p.encode()).isEqualTo(url);
      }
    }

    @Test
    void browserGeneratedUrls() {
      for (List<String> r : HybridVectors.table("qr-urls.tsv").rows()) {
        String url = r.get(1);
        if (r.get(2).equals("reject")) {
          assertThatThrownBy(() -> QrPayload.decode(url)).as(r.get(0)).isInstanceOf(HybridException.class);
          continue;
        }
        QrPayload p = QrPayload.decode(url);
        assertThat(p.publicKey().compressed().hex()).as(r.get(0)).isEqualTo(r.get(3));
        assertThat(p.qrSecret().hex()).isEqualTo(r.get(4));
        assertThat(p.knownDomainCount()).contains(Long.parseLong(r.get(5)));
        assertThat(p.currentTime()).contains(Long.parseLong(r.get(6)));
        assertThat(p.supportsStateAssisted()).contains(Boolean.parseBoolean(r.get(7)));
        assertThat(p.requestTypeHint()).contains(r.get(8));
        assertThat(p.requestType()).isEqualTo(RequestType.MAKE_CREDENTIAL);
        assertThat(p.supportsNonDiscoverableMakeCredential()).isEmpty();
        assertThat(p.supportedChannels()).isEmpty();
        assertThat(p.encode()).isEqualTo(url);
      }
    }
  }

  @Test
  void prefixIsCaseInsensitive() {
    String url = HybridVectors.rowsByName("qr-urls.tsv").get("chrome").get(1);
    assertThat(QrPayload.decode("fido:/" + url.substring(6))).isEqualTo(QrPayload.decode(url));
  }

  @Nested
  class Key6 {
    private Map<Object, Object> base() {
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(0L, P256KeyPair.generate(RandomSource.seeded(5)).publicKey().compressed());
      m.put(1L, Bytes.wrap(new byte[16]));
      return m;
    }

    private QrPayload decode(Map<Object, Object> m) {
      return QrPayload.fromCbor(CborEncoder.encodeBytes(m));
    }

    @Test
    void boolFormIsTheNonDiscoverableMakeCredentialFlag() {
      Map<Object, Object> m = base();
      m.put(6L, true);
      QrPayload p = decode(m);
      assertThat(p.supportsNonDiscoverableMakeCredential()).contains(true);
      assertThat(p.supportedChannels()).isEmpty();
      assertThat(p.toCbor()).isEqualTo(CborEncoder.encodeBytes(m));
    }

    @Test
    void arrayFormIsTheChannelList() {
      Map<Object, Object> m = base();
      m.put(6L, List.of(0L, 1L));
      QrPayload p = decode(m);
      assertThat(p.supportedChannels()).contains(List.of(QrPayload.CHANNEL_WEBSOCKET, QrPayload.CHANNEL_BLE_L2CAP));
      assertThat(p.supportsNonDiscoverableMakeCredential()).isEmpty();
      assertThat(p.toCbor()).isEqualTo(CborEncoder.encodeBytes(m));
    }

    @Test
    void otherTypesAreRejected() {
      Map<Object, Object> m = base();
      m.put(6L, "yes");
      assertThatThrownBy(() -> decode(m)).isInstanceOf(HybridException.class);
      m.put(6L, List.of("ws"));
      assertThatThrownBy(() -> decode(m)).isInstanceOf(HybridException.class);
    }

    @Test
    void greaseKeysAreIgnoredButKept() {
      Map<Object, Object> m = base();
      m.put(65535L, Bytes.fromHex("00"));
      m.put("x", 1L);
      QrPayload p = decode(m);
      assertThat(p.unknownKeys()).containsOnlyKeys(65535L, "x");
      assertThat(p.toCbor()).isEqualTo(CborEncoder.encodeBytes(m));
    }
  }

  @Test
  void initiatorPayloadRoundTrips() {
    RandomSource random = RandomSource.seeded(9);
    P256KeyPair identity = P256KeyPair.generate(random);
    Bytes secret = Bytes.wrap(random.bytes(16));
    QrPayload p = QrPayload.forInitiator(identity, secret, Instant.ofEpochSecond(1_700_000_000L), RequestType.MAKE_CREDENTIAL, true);
    String url = p.encode();
    assertThat(url).startsWith("FIDO:/").matches("FIDO:/[0-9]+");
    QrPayload back = QrPayload.decode(url);
    assertThat(back).isEqualTo(p);
    assertThat(back.publicKey()).isEqualTo(identity.publicKey());
    assertThat(back.knownDomainCount()).contains(2L);
    assertThat(back.currentInstant()).contains(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(back.supportedChannels()).isEmpty();
  }

  @Test
  void requiredKeysAndLengths() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0L, P256KeyPair.generate(RandomSource.seeded(4)).publicKey().compressed());
    assertThatThrownBy(() -> QrPayload.fromCbor(CborEncoder.encodeBytes(m))).isInstanceOf(HybridException.class);
    m.put(1L, Bytes.wrap(new byte[15]));
    assertThatThrownBy(() -> QrPayload.fromCbor(CborEncoder.encodeBytes(m))).isInstanceOf(HybridException.class);
    m.put(1L, Bytes.wrap(new byte[16]));
    m.put(0L, P256KeyPair.generate(RandomSource.seeded(4)).publicKey().uncompressed());
    assertThatThrownBy(() -> QrPayload.fromCbor(CborEncoder.encodeBytes(m))).isInstanceOf(HybridException.class);
  }

  @Test
  void nonCanonicalCborIsRejectedAsChromiumDoes() {
    // {1: h'00..', 0: ...}: keys out of order
    Bytes point = P256KeyPair.generate(RandomSource.seeded(4)).publicKey().compressed();
    Bytes cbor = Bytes.concat(Bytes.fromHex("a20150"), Bytes.wrap(new byte[16]), Bytes.fromHex("005821"), point);
    assertThatThrownBy(() -> QrPayload.fromCbor(cbor)).isInstanceOf(HybridException.class);
  }

  @Test
  void toStringHidesTheSecret() {
    RandomSource random = RandomSource.seeded(10);
    Bytes secret = Bytes.fromHex("0123456789abcdef0123456789abcdef");
    QrPayload p = QrPayload.forInitiator(P256KeyPair.generate(random), secret, Instant.EPOCH, RequestType.GET_ASSERTION, false);
    assertThat(p.toString()).doesNotContain(secret.hex()).contains("requestTypeHint=Optional[ga]");
    assertThat(Optional.of(p).toString()).doesNotContain(secret.hex());
  }
}
