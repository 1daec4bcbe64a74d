package dev.softkey.hybrid.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.Eid;
import dev.softkey.hybrid.crypto.EidCipher;
import dev.softkey.hybrid.crypto.HybridKdf;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.RoutingId;
import dev.softkey.hybrid.crypto.TunnelDomain;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.testvectors.HybridVectors;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure part of a QR-initiated transaction end to end, both sides in one process. */
class QrFlowTest {
  @Test
  void qrToAdvertToHandshakeToMessages() {
    RandomSource initiatorRandom = RandomSource.seeded(100);
    RandomSource authenticatorRandom = RandomSource.seeded(200);

    // initiator shows a QR code
    P256KeyPair qrIdentity = P256KeyPair.generate(initiatorRandom);
    Bytes qrSecret = Bytes.wrap(initiatorRandom.bytes(16));
    String url = QrPayload.forInitiator(qrIdentity, qrSecret, Instant.ofEpochSecond(1_700_000_000L), RequestType.GET_ASSERTION, false).encode();

    // authenticator scans it, derives, "connects" (routing ID from the tunnel) and advertises
    QrPayload scanned = QrPayload.decode(url);
    String newPath = TunnelDomain.newTunnelPath(HybridKdf.tunnelId(scanned.qrSecret()));
    Eid eid = Eid.create(new RoutingId(Bytes.fromHex("2a0000")), TunnelDomain.GOOGLE, authenticatorRandom);
    Bytes advert = new EidCipher(HybridKdf.eidKey(scanned.qrSecret())).encrypt(eid);
    Bytes authenticatorPsk = HybridKdf.psk(scanned.qrSecret(), eid);

    // initiator trial-decrypts the advert and derives the same tunnel and PSK
    Eid seen = new EidCipher(HybridKdf.eidKey(qrSecret)).trialDecrypt(advert).orElseThrow();
    assertThat(TunnelDomain.connectPath(seen.routingId(), HybridKdf.tunnelId(qrSecret)))
        .isEqualTo(newPath.replace("/cable/new/", "/cable/connect/2A0000/"));
    assertThat(seen.tunnelDomain()).contains("cable.ua5v.com");
    HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(HybridKdf.psk(qrSecret, seen), qrIdentity, initiatorRandom);

    HandshakeResponse response =
        HandshakeResponder.respondQrInitiated(authenticatorPsk, scanned.publicKey(), initiator.initialMessage(), authenticatorRandom);
    HandshakeResult client = initiator.processResponse(response.message());
    HandshakeResult phone = response.result();
    assertThat(client.handshakeHash()).isEqualTo(phone.handshakeHash());

    // post-handshake message, then one CTAP exchange and shutdown
    Bytes post = HybridVectors.table("post-handshake.tsv").rows().stream()
        .filter(r -> r.get(0).equals("android-chrome")).map(r -> Bytes.fromHex(r.get(1))).findFirst().orElseThrow();
    assertThat(client.crypter().decrypt(phone.crypter().encrypt(post))).isEqualTo(post);
    assertThat(phone.crypter().decrypt(client.crypter().encrypt(Bytes.fromHex("0104")))).isEqualTo(Bytes.fromHex("0104"));
    assertThat(phone.crypter().decrypt(client.crypter().encrypt(Bytes.fromHex("00")))).isEqualTo(Bytes.fromHex("00"));
  }

  @Test
  void realPostHandshakeMessagesAreCanonicalCbor() {
    List<List<String>> rows = HybridVectors.table("post-handshake.tsv").rows();
    assertThat(rows).hasSize(2);
    for (List<String> r : rows) {
      CborMap message = CborDecoder.decodeMap(Bytes.fromHex(r.get(1)).unsafeArray());
      CborMap getInfo = CborDecoder.decodeMap(message.bytes(1L).unsafeArray());
      assertThat(getInfo.list(1L)).as(r.get(0)).contains("FIDO_2_0");
      assertThat(getInfo.bytes(3L).length()).isEqualTo(16);
    }
  }
}
