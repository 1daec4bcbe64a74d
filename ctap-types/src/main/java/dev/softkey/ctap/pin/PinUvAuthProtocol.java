package dev.softkey.ctap.pin;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * A PIN/UV auth protocol (CTAP 2.1 section 6.5.4, "PIN/UV Auth Protocol Abstract Definition"): the
 * authenticator interface (initialize, regenerate, resetPinUvAuthToken, getPublicKey, decapsulate),
 * the platform interface (encapsulate) and the functions both sides share (encrypt, decrypt,
 * authenticate, verify). Implemented by {@link PinUvAuthProtocolOne} (section 6.5.6) and {@link
 * PinUvAuthProtocolTwo} (section 6.5.7).
 *
 * <p>An instance used as the authenticator side holds state (the key agreement key and the
 * pinUvAuthToken) and must be {@link #initialize() initialized} first; an instance used only as the
 * platform side needs no initialization. Errors the specification calls "error" are empty
 * {@link Optional}s or {@code false}; callers map them to the status their step names.
 */
public interface PinUvAuthProtocol {
  /** COSE key type EC2 (RFC 9053). */
  long COSE_KTY_EC2 = 2;
  /** COSE algorithm ECDH-ES + HKDF-256, the alg value of key agreement keys. */
  long COSE_ALG_ECDH_ES_HKDF_256 = -25;
  /** COSE curve P-256. */
  long COSE_CRV_P256 = 1;

  /** The pinUvAuthProtocol number: 1 or 2. */
  int version();

  /** initialize(): run at power-on; calls regenerate() and resetPinUvAuthToken(). */
  void initialize();

  /** regenerate(): a fresh P-256 key agreement key pair. */
  void regenerate();

  /** resetPinUvAuthToken(): a fresh random 32-byte pinUvAuthToken. */
  void resetPinUvAuthToken();

  /** The current pinUvAuthToken (secret). */
  Bytes pinUvAuthToken();

  /**
   * getPublicKey(): the key agreement public key as a COSE_Key map with Long keys: 1 (kty) = 2, 3
   * (alg) = -25, -1 (crv) = 1, -2 (x) and -3 (y) as 32-byte {@link Bytes}.
   */
  Map<Object, Object> getPublicKey();

  /**
   * decapsulate(peerCoseKey): ECDH with the peer's P-256 key and this protocol's KDF. Empty when the
   * key is not a P-256 COSE_Key or its point is not on the curve.
   */
  Optional<Bytes> decapsulate(CborMap peerCoseKey);

  /** encrypt(key, demPlaintext); {@code demPlaintext} is a whole number of AES blocks. */
  Bytes encrypt(Bytes key, Bytes demPlaintext);

  /** decrypt(key, demCiphertext); empty when the ciphertext has an impossible length. */
  Optional<Bytes> decrypt(Bytes key, Bytes demCiphertext);

  /** authenticate(key, message): the pinUvAuthParam for {@code message}. */
  Bytes authenticate(Bytes key, byte[] message);

  /** verify(key, message, signature): true when {@code signature} is authenticate(key, message). */
  boolean verify(Bytes key, byte[] message, Bytes signature);

  /**
   * The platform's encapsulate(peerCoseKey): generates an ephemeral key agreement key, and returns
   * its COSE_Key (the keyAgreement request member) with the shared secret. Throws {@code
   * CtapException(CTAP1_ERR_OTHER)} when the authenticator's key is invalid.
   */
  Encapsulation encapsulate(CborMap peerCoseKey);

  /**
   * The result of encapsulate.
   *
   * @param keyAgreement the platform key agreement key as a COSE_Key map
   * @param sharedSecret the shared secret (secret; 32 bytes for protocol 1, 64 for protocol 2)
   */
  record Encapsulation(Map<Object, Object> keyAgreement, Bytes sharedSecret) {
    public Encapsulation {
      keyAgreement = Map.copyOf(keyAgreement);
    }
  }

  /** A protocol by number; throws IllegalArgumentException for anything but 1 and 2. */
  static PinUvAuthProtocol of(int version, RandomSource random) {
    return switch (version) {
      case 1 -> new PinUvAuthProtocolOne(random);
      case 2 -> new PinUvAuthProtocolTwo(random);
      default -> throw new IllegalArgumentException("unknown pinUvAuthProtocol " + version);
    };
  }
}
