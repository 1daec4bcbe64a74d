package dev.softkey.hybrid.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private final RandomSource random = RandomSource.seeded(42);
  private final Bytes psk = Bytes.wrap(random.bytes(32));

  private static Bytes flipped(Bytes b, int index) {
    byte[] a = b.toArray();
    a[index] ^= 1;
    return Bytes.wrap(a);
  }

  private static void assertChannel(HandshakeResult initiator, HandshakeResult responder) {
    assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
    assertThat(initiator.handshakeHash().length()).isEqualTo(32);
    Crypter i = initiator.crypter();
    Crypter r = responder.crypter();
    // authenticator -> initiator first, as the post-handshake message is
    Bytes post = r.encrypt(Bytes.fromHex("a10143a10180"));
    assertThat(i.decrypt(post)).isEqualTo(Bytes.fromHex("a10143a10180"));
    Bytes request = i.encrypt(Bytes.fromHex("0104"));
    assertThat(r.decrypt(request)).isEqualTo(Bytes.fromHex("0104"));
    Bytes reply = r.encrypt(Bytes.fromHex("0100a0"));
    assertThatThrownBy(() -> i.decrypt(flipped(reply, 3))).isInstanceOf(HybridException.class);
    assertThat(i.decrypt(reply)).isEqualTo(Bytes.fromHex("0100a0"));
    assertThatThrownBy(() -> i.decrypt(reply)).as("replay").isInstanceOf(HybridException.class);
  }

  @Nested
  class QrInitiatedKnPsk0 {
    private final P256KeyPair qrIdentity = P256KeyPair.generate(random);

    @Test
    void roundTrip() {
      HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(psk, qrIdentity, random);
      assertThat(initiator.pattern()).isEqualTo(HandshakePattern.KN_PSK0);
      Bytes msg1 = initiator.initialMessage();
      assertThat(msg1.length()).isEqualTo(81);
      assertThat(msg1.get(0)).isEqualTo(4);
      HandshakeResponse response = HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), msg1, random);
      assertThat(response.message().length()).isEqualTo(81);
      HandshakeResult initiatorResult = initiator.processResponse(response.message());
      assertChannel(initiatorResult, response.result());
    }

    @Test
    void wrongPskFailsAtTheResponder() {
      HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(flipped(psk, 0), qrIdentity, random);
      assertThatThrownBy(
              () -> HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), initiator.initialMessage(), random))
          .isInstanceOf(HybridException.class);
    }

    @Test
    void wrongInitiatorIdentityFails() {
      // after Chromium's KNHandshake test with a wrong seed
      HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(psk, P256KeyPair.generate(random), random);
      assertThatThrownBy(
              () -> HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), initiator.initialMessage(), random))
          .isInstanceOf(HybridException.class);
    }

    @Test
    void tamperedResponseFailsAtTheInitiator() {
      HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(psk, qrIdentity, random);
      HandshakeResponse response =
          HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), initiator.initialMessage(), random);
      assertThatThrownBy(() -> initiator.processResponse(flipped(response.message(), 70))).isInstanceOf(HybridException.class);
    }

    @Test
    void malformedMessagesAreRejected() {
      HandshakeInitiator initiator = HandshakeInitiator.qrInitiated(psk, qrIdentity, random);
      Bytes msg1 = initiator.initialMessage();
      assertThatThrownBy(
              () -> HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), msg1.slice(0, 80), random))
          .isInstanceOf(HybridException.class);
      assertThatThrownBy(
              () -> HandshakeResponder.respondQrInitiated(psk, qrIdentity.publicKey(), flipped(msg1, 64), random))
          .as("point off the curve")
          .isInstanceOf(HybridException.class);
      assertThatThrownBy(() -> initiator.processResponse(Bytes.wrap(new byte[82]))).isInstanceOf(HybridException.class);
    }

    @Test
    void seededRandomnessGivesAReproducibleTranscript() {
      P256KeyPair id = P256KeyPair.fromPrivateScalar(Bytes.fromHex("01".repeat(32)));
      RandomSource r1 = RandomSource.seeded(1);
      RandomSource r2 = RandomSource.seeded(1);
      Bytes a = HandshakeInitiator.qrInitiated(psk, id, r1).initialMessage();
      Bytes b = HandshakeInitiator.qrInitiated(psk, id, r2).initialMessage();
      assertThat(a).isEqualTo(b);
    }
  }

  @Nested
  class StateAssistedNkPsk0 {
    private final P256KeyPair authenticatorIdentity = P256KeyPair.generate(random);

    @Test
    void roundTrip() {
      HandshakeInitiator initiator = HandshakeInitiator.stateAssisted(psk, authenticatorIdentity.publicKey(), random);
      assertThat(initiator.pattern()).isEqualTo(HandshakePattern.NK_PSK0);
      HandshakeResponse response =
          HandshakeResponder.respondStateAssisted(psk, authenticatorIdentity, initiator.initialMessage(), random);
      assertChannel(initiator.processResponse(response.message()), response.result());
    }

    @Test
    void wrongPskFails() {
      // after Chromium's NKHandshake test with wrong_psk[0] ^= 1
      HandshakeInitiator initiator = HandshakeInitiator.stateAssisted(flipped(psk, 0), authenticatorIdentity.publicKey(), random);
      assertThatThrownBy(
              () -> HandshakeResponder.respondStateAssisted(psk, authenticatorIdentity, initiator.initialMessage(), random))
          .isInstanceOf(HybridException.class);
    }

    @Test
    void wrongAuthenticatorIdentityFails() {
      HandshakeInitiator initiator = HandshakeInitiator.stateAssisted(psk, P256KeyPair.generate(random).publicKey(), random);
      assertThatThrownBy(
              () -> HandshakeResponder.respondStateAssisted(psk, authenticatorIdentity, initiator.initialMessage(), random))
          .isInstanceOf(HybridException.class);
    }

    @Test
    void patternsDoNotInteroperate() {
      HandshakeInitiator nk = HandshakeInitiator.stateAssisted(psk, authenticatorIdentity.publicKey(), random);
      assertThatThrownBy(
              () -> HandshakeResponder.respondQrInitiated(psk, authenticatorIdentity.publicKey(), nk.initialMessage(), random))
          .isInstanceOf(HybridException.class);
    }
  }

  @Test
  void pskMustBe32Bytes() {
    assertThatThrownBy(() -> HandshakeInitiator.qrInitiated(Bytes.wrap(new byte[16]), P256KeyPair.generate(random), random))
        .isInstanceOf(HybridException.class);
  }

  @Test
  void protocolNamesAreZeroPaddedTo32Bytes() {
    assertThat(HandshakePattern.KN_PSK0.protocolName()).hasSize(31);
    assertThat(HandshakePattern.KN_PSK0.initialHash()).hasSize(32).endsWith(0);
    assertThat(HandshakePattern.KN_PSK0.prologue()).isEqualTo((byte) 1);
    assertThat(HandshakePattern.NK_PSK0.prologue()).isEqualTo((byte) 0);
  }
}
