package dev.softkey.hybrid.noise;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.HybridKdf;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.P256PublicKey;
import java.util.Optional;

/**
 * The initiator (client platform) side of the hybrid handshake (Chromium {@code
 * HandshakeInitiator}). Build it, send {@link #initialMessage()} (81 bytes: {@code e_i ‖ tag}) as
 * the first tunnel message, then pass the authenticator's reply to {@link #processResponse}. One
 * instance serves one handshake.
 */
public final class HandshakeInitiator {
  /** Length of either handshake message: a 65-byte point and a 16-byte tag. */
  public static final int MESSAGE_LENGTH = P256PublicKey.UNCOMPRESSED_LENGTH + 16;

  private final HandshakePattern pattern;
  private final SymmetricState state;
  private final P256KeyPair ephemeral;
  private final Optional<P256KeyPair> identity;
  private final Bytes initialMessage;
  private boolean done;

  private HandshakeInitiator(
      HandshakePattern pattern,
      Bytes psk,
      Optional<P256KeyPair> identity,
      Optional<P256PublicKey> peerIdentity,
      P256KeyPair ephemeral) {
    if (psk.length() != HybridKdf.PSK_LENGTH) {
      throw new HybridException("the PSK is 32 bytes");
    }
    this.pattern = pattern;
    this.identity = identity;
    this.ephemeral = ephemeral;
    this.state = new SymmetricState(pattern);
    // 1. prologue, then the pre-message static key (ours for KN, the authenticator's for NK)
    state.mixHash(new byte[] {pattern.prologue()});
    Bytes preMessageKey =
        pattern == HandshakePattern.KN_PSK0
            ? identity.orElseThrow().publicKey().uncompressed()
            : peerIdentity.orElseThrow().uncompressed();
    state.mixHash(preMessageKey.unsafeArray());
    // 2. psk0
    state.mixKeyAndHash(psk.unsafeArray());
    // 3. -> e (with a PSK the ephemeral public key is also mixed into the key, Noise 9.2)
    byte[] e = ephemeral.publicKey().uncompressed().unsafeArray();
    state.mixHash(e);
    state.mixKey(e);
    // 4. NK only: es
    if (pattern == HandshakePattern.NK_PSK0) {
      state.mixKey(ephemeral.agree(peerIdentity.orElseThrow()).unsafeArray());
    }
    // 5. empty payload
    byte[] tag = state.encryptAndHash(new byte[0]);
    this.initialMessage = Bytes.concat(Bytes.wrap(e), Bytes.wrap(tag));
  }

  /**
   * QR-initiated transaction ({@code Noise_KNpsk0}, prologue {@code 01}).
   *
   * @param psk {@code Derive(qrSecret, eidPlaintext, PSK, 32)}
   * @param identity the key pair whose public key the QR code shows (key 0)
   */
  public static HandshakeInitiator qrInitiated(Bytes psk, P256KeyPair identity, RandomSource random) {
    return new HandshakeInitiator(
        HandshakePattern.KN_PSK0, psk, Optional.of(identity), Optional.empty(), P256KeyPair.generate(random));
  }

  /**
   * State-assisted transaction ({@code Noise_NKpsk0}, prologue {@code 00}).
   *
   * @param psk {@code Derive(linkSecret, eidPlaintext, PSK, 32)}
   * @param authenticatorIdentity the authenticator's identity key from the linking information
   */
  public static HandshakeInitiator stateAssisted(
      Bytes psk, P256PublicKey authenticatorIdentity, RandomSource random) {
    return new HandshakeInitiator(
        HandshakePattern.NK_PSK0, psk, Optional.empty(), Optional.of(authenticatorIdentity), P256KeyPair.generate(random));
  }

  public HandshakePattern pattern() {
    return pattern;
  }

  /** The 81-byte first message {@code e_i ‖ EncryptAndHash(empty)}. */
  public Bytes initialMessage() {
    return initialMessage;
  }

  /**
   * Processes the authenticator's 81-byte reply {@code e_r ‖ tag}; throws {@link HybridException}
   * if it has the wrong length, an invalid point or does not authenticate (wrong PSK or keys).
   * Split gives this side write = k1, read = k2.
   */
  public HandshakeResult processResponse(Bytes response) {
    if (done) {
      throw new IllegalStateException("handshake already processed");
    }
    done = true;
    if (response.length() != MESSAGE_LENGTH) {
      throw new HybridException("handshake response must be " + MESSAGE_LENGTH + " bytes, was " + response.length());
    }
    // 1. <- e
    Bytes er = response.slice(0, P256PublicKey.UNCOMPRESSED_LENGTH);
    P256PublicKey peerEphemeral = P256PublicKey.fromEncoded(er);
    state.mixHash(er.unsafeArray());
    state.mixKey(er.unsafeArray());
    // 2. ee
    state.mixKey(ephemeral.agree(peerEphemeral).unsafeArray());
    // 3. KN only: se (our static with their ephemeral)
    if (pattern == HandshakePattern.KN_PSK0) {
      state.mixKey(identity.orElseThrow().agree(peerEphemeral).unsafeArray());
    }
    // 4. empty payload must authenticate
    byte[] payload = state.decryptAndHash(response.slice(P256PublicKey.UNCOMPRESSED_LENGTH, MESSAGE_LENGTH).unsafeArray());
    if (payload.length != 0) {
      throw new HybridException("handshake response carries a payload");
    }
    // 5. Split: k1 is initiator -> authenticator
    byte[][] keys = state.split();
    return new HandshakeResult(new Crypter(Bytes.wrap(keys[1]), Bytes.wrap(keys[0])), state.handshakeHash());
  }

  @Override
  public String toString() {
    return "HandshakeInitiator[" + pattern + "]";
  }
}
