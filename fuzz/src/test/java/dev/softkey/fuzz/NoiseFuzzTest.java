package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.noise.Crypter;
import dev.softkey.hybrid.noise.HandshakeInitiator;
import dev.softkey.hybrid.noise.HandshakeResponder;
import dev.softkey.hybrid.noise.HandshakeResponse;
import dev.softkey.hybrid.noise.HandshakeResult;
import java.util.Arrays;

/**
 * The caBLE v2 Noise handshake ({@code Noise_KNpsk0} and {@code Noise_NKpsk0} over P-256) and the
 * post-handshake crypter (AES-256-GCM, sequence-number nonces, 32-byte padding). Every party is
 * seeded, so the genuine messages are the same for every input; the seeds are those messages.
 *
 * <p>Invariants: a handshake message other than the genuine one is a {@link HybridException} on
 * either side (nothing else, and it never authenticates); the crypter round-trips any plaintext,
 * and a tampered ciphertext is a {@link HybridException} that does not move the receive sequence,
 * so the genuine message still decrypts after it.
 */
class NoiseFuzzTest {
  static final Bytes PSK = Bytes.wrap(filled(32, 0x11));

  static P256KeyPair qrIdentity() {
    return P256KeyPair.generate(RandomSource.seeded(1));
  }

  static HandshakeInitiator initiator() {
    return HandshakeInitiator.qrInitiated(PSK, qrIdentity(), RandomSource.seeded(2));
  }

  /** The genuine initial message of the seeded initiator. */
  static Bytes genuineInitial() {
    return initiator().initialMessage();
  }

  /** The genuine reply of the seeded responder to the genuine initial message. */
  static Bytes genuineResponse() {
    return HandshakeResponder.respondQrInitiated(PSK, qrIdentity().publicKey(), genuineInitial(), RandomSource.seeded(3))
        .message();
  }

  /** The responder (authenticator) side: the input is the initiator's first message. */
  @FuzzTest
  void respond(byte[] message) {
    HandshakeResponse r;
    try {
      r = HandshakeResponder.respondQrInitiated(PSK, qrIdentity().publicKey(), Bytes.of(message), RandomSource.seeded(3));
    } catch (HybridException e) {
      return;
    }
    assertThat(Bytes.of(message)).as("the only message that authenticates").isEqualTo(genuineInitial());
    assertThat(r.message().length()).isEqualTo(HandshakeInitiator.MESSAGE_LENGTH);
  }

  /** The initiator (client) side: the input is the authenticator's reply. */
  @FuzzTest
  void processResponse(byte[] message) {
    HandshakeInitiator i = initiator();
    i.initialMessage();
    HandshakeResult result;
    try {
      result = i.processResponse(Bytes.of(message));
    } catch (HybridException e) {
      return;
    }
    assertThat(Bytes.of(message)).as("the only reply that authenticates").isEqualTo(genuineResponse());
    assertThat(result.handshakeHash().length()).isEqualTo(32);
  }

  /**
   * The crypter: byte 0 picks a byte of the ciphertext to flip (and bytes 1.. of the input are the
   * plaintext); the tampered message is refused, then the genuine one decrypts.
   */
  @FuzzTest
  void crypter(byte[] data) {
    if (data.length == 0) {
      return;
    }
    Bytes plaintext = Bytes.of(data, 1, data.length - 1);
    Bytes k1 = Bytes.wrap(filled(32, 0x42));
    Bytes k2 = Bytes.wrap(filled(32, 0x67));
    Crypter sender = new Crypter(k2, k1);
    Crypter receiver = new Crypter(k1, k2);
    Bytes sealed = sender.encrypt(plaintext);
    assertThat(sealed.length() % Crypter.PADDING_GRANULARITY).as("padded length + tag").isEqualTo(16);
    byte[] tampered = sealed.toArray();
    int at = (data[0] & 0xFF) % (tampered.length + 1);
    byte[] forged = at == tampered.length ? Arrays.copyOf(tampered, tampered.length - 1) : flip(tampered, at);
    assertThatThrownBy(() -> receiver.decrypt(Bytes.wrap(forged))).isInstanceOf(HybridException.class);
    assertThat(receiver.receiveSequence()).as("sequence after a refused message").isZero();
    assertThat(receiver.decrypt(sealed)).as("round trip").isEqualTo(plaintext);
    assertThat(receiver.receiveSequence()).isEqualTo(1);
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x01;
    return c;
  }

  static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }
}
