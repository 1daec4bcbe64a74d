package dev.softkey.hybrid.noise;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.HybridKdf;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.P256PublicKey;
import java.util.Optional;

/**
 * The responder (authenticator) side of the hybrid handshake (Chromium {@code
 * RespondToHandshake}): from the initiator's first message it computes the 81-byte reply and the
 * crypter in one step.
 */
public final class HandshakeResponder {
  private HandshakeResponder() {}

  /**
   * QR-initiated transaction ({@code Noise_KNpsk0}, prologue {@code 01}).
   *
   * @param psk {@code Derive(qrSecret, eidPlaintext, PSK, 32)}
   * @param initiatorIdentity the public key from QR key 0
   * @param initialMessage the first tunnel message (81 bytes)
   * @throws HybridException if the message is malformed or does not authenticate (wrong PSK, or
   *     an initiator other than the one that showed the QR code)
   */
  public static HandshakeResponse respondQrInitiated(
      Bytes psk, P256PublicKey initiatorIdentity, Bytes initialMessage, RandomSource random) {
    return respond(
        HandshakePattern.KN_PSK0, psk, Optional.empty(), Optional.of(initiatorIdentity), initialMessage,
        P256KeyPair.generate(random));
  }

  /**
   * State-assisted transaction ({@code Noise_NKpsk0}, prologue {@code 00}).
   *
   * @param psk {@code Derive(linkSecret, eidPlaintext, PSK, 32)}
   * @param identity the authenticator's identity key pair (its public key is in the linking
   *     information the initiator stored)
   */
  public static HandshakeResponse respondStateAssisted(
      Bytes psk, P256KeyPair identity, Bytes initialMessage, RandomSource random) {
    return respond(
        HandshakePattern.NK_PSK0, psk, Optional.of(identity), Optional.empty(), initialMessage,
        P256KeyPair.generate(random));
  }

  private static HandshakeResponse respond(
      HandshakePattern pattern,
      Bytes psk,
      Optional<P256KeyPair> identity,
      Optional<P256PublicKey> peerIdentity,
      Bytes message,
      P256KeyPair ephemeral) {
    if (psk.length() != HybridKdf.PSK_LENGTH) {
      throw new HybridException("the PSK is 32 bytes");
    }
    if (message.length() != HandshakeInitiator.MESSAGE_LENGTH) {
      throw new HybridException(
          "initial handshake message must be " + HandshakeInitiator.MESSAGE_LENGTH + " bytes, was " + message.length());
    }
    SymmetricState state = new SymmetricState(pattern);
    // 1. prologue and the pre-message static key
    state.mixHash(new byte[] {pattern.prologue()});
    Bytes preMessageKey =
        pattern == HandshakePattern.KN_PSK0
            ? peerIdentity.orElseThrow().uncompressed()
            : identity.orElseThrow().publicKey().uncompressed();
    state.mixHash(preMessageKey.unsafeArray());
    state.mixKeyAndHash(psk.unsafeArray());
    // 2. -> e
    Bytes ei = message.slice(0, P256PublicKey.UNCOMPRESSED_LENGTH);
    P256PublicKey peerEphemeral = P256PublicKey.fromEncoded(ei);
    state.mixHash(ei.unsafeArray());
    state.mixKey(ei.unsafeArray());
    // 3. NK only: es (our static with their ephemeral)
    if (pattern == HandshakePattern.NK_PSK0) {
      state.mixKey(identity.orElseThrow().agree(peerEphemeral).unsafeArray());
    }
    // 4. the empty payload proves the initiator knows the PSK (it saw the BLE advert)
    byte[] payload = state.decryptAndHash(message.slice(P256PublicKey.UNCOMPRESSED_LENGTH, message.length()).unsafeArray());
    if (payload.length != 0) {
      throw new HybridException("initial handshake message carries a payload");
    }
    // 5. <- e, ee
    byte[] er = ephemeral.publicKey().uncompressed().unsafeArray();
    state.mixHash(er);
    state.mixKey(er);
    state.mixKey(ephemeral.agree(peerEphemeral).unsafeArray());
    // 6. KN only: se (our ephemeral with their static)
    if (pattern == HandshakePattern.KN_PSK0) {
      state.mixKey(ephemeral.agree(peerIdentity.orElseThrow()).unsafeArray());
    }
    byte[] tag = state.encryptAndHash(new byte[0]);
    // 7. Split: read = k1 (initiator -> authenticator), write = k2
    byte[][] keys = state.split();
    Crypter crypter = new Crypter(Bytes.wrap(keys[0]), Bytes.wrap(keys[1]));
    return new HandshakeResponse(
        Bytes.concat(Bytes.wrap(er), Bytes.wrap(tag)), new HandshakeResult(crypter, state.handshakeHash()));
  }
}
