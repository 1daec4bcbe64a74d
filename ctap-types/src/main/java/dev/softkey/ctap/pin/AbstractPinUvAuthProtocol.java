package dev.softkey.ctap.pin;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * What protocols One and Two share (CTAP 2.1 sections 6.5.6 and 6.5.7): P-256 key agreement keys,
 * ecdh(), the COSE_Key form of getPublicKey(), and the random pinUvAuthToken. Subclasses supply
 * kdf(), encrypt/decrypt and authenticate/verify.
 */
abstract class AbstractPinUvAuthProtocol implements PinUvAuthProtocol {
  static final int PIN_UV_AUTH_TOKEN_LENGTH = 32;
  private static final X9ECParameters P256 = NISTNamedCurves.getByName("P-256");
  static final ECDomainParameters P256_DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
  private static final long COSE_ALG_ES256 = -7;

  final RandomSource random;
  private ECPrivateKeyParameters keyAgreementKey;
  private Bytes pinUvAuthToken;

  AbstractPinUvAuthProtocol(RandomSource random) {
    this.random = random;
  }

  /** kdf(Z): the shared secret from the ECDH x coordinate. */
  abstract Bytes kdf(byte[] z);

  @Override
  public synchronized void initialize() {
    regenerate();
    resetPinUvAuthToken();
  }

  @Override
  public synchronized void regenerate() {
    keyAgreementKey = (ECPrivateKeyParameters) generateKeyPair().getPrivate();
  }

  @Override
  public synchronized void resetPinUvAuthToken() {
    pinUvAuthToken = Bytes.wrap(random.bytes(PIN_UV_AUTH_TOKEN_LENGTH));
  }

  @Override
  public synchronized Bytes pinUvAuthToken() {
    if (pinUvAuthToken == null) {
      throw new IllegalStateException("protocol not initialized");
    }
    return pinUvAuthToken;
  }

  @Override
  public synchronized Map<Object, Object> getPublicKey() {
    if (keyAgreementKey == null) {
      throw new IllegalStateException("protocol not initialized");
    }
    return coseKey(P256_DOMAIN.getG().multiply(keyAgreementKey.getD()));
  }

  @Override
  public Optional<Bytes> decapsulate(CborMap peerCoseKey) {
    ECPrivateKeyParameters own;
    synchronized (this) {
      if (keyAgreementKey == null) {
        throw new IllegalStateException("protocol not initialized");
      }
      own = keyAgreementKey;
    }
    return parsePeerKey(peerCoseKey).map(peer -> kdf(ecdh(own, peer)));
  }

  @Override
  public Encapsulation encapsulate(CborMap peerCoseKey) {
    ECPublicKeyParameters peer =
        parsePeerKey(peerCoseKey)
            .orElseThrow(
                () -> new CtapException(CtapStatus.CTAP1_ERR_OTHER, "the authenticator's key agreement key is invalid"));
    AsymmetricCipherKeyPair ephemeral = generateKeyPair();
    Bytes sharedSecret = kdf(ecdh((ECPrivateKeyParameters) ephemeral.getPrivate(), peer));
    return new Encapsulation(coseKey(((ECPublicKeyParameters) ephemeral.getPublic()).getQ()), sharedSecret);
  }

  private AsymmetricCipherKeyPair generateKeyPair() {
    ECKeyPairGenerator g = new ECKeyPairGenerator();
    g.init(new ECKeyGenerationParameters(P256_DOMAIN, random.asSecureRandom()));
    return g.generateKeyPair();
  }

  /** ecdh(): Z, the 32-byte x coordinate of the shared point. */
  private static byte[] ecdh(ECPrivateKeyParameters own, ECPublicKeyParameters peer) {
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(own);
    return BigIntegers.asUnsignedByteArray(32, agreement.calculateAgreement(peer));
  }

  private static Map<Object, Object> coseKey(ECPoint q) {
    ECPoint n = q.normalize();
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, COSE_KTY_EC2);
    m.put(3L, COSE_ALG_ECDH_ES_HKDF_256);
    m.put(-1L, COSE_CRV_P256);
    m.put(-2L, Bytes.wrap(BigIntegers.asUnsignedByteArray(32, n.getAffineXCoord().toBigInteger())));
    m.put(-3L, Bytes.wrap(BigIntegers.asUnsignedByteArray(32, n.getAffineYCoord().toBigInteger())));
    return m;
  }

  /**
   * Parses a COSE_Key as getPublicKey() writes it: kty 2, crv 1, 32-byte x and y on the curve. The
   * alg member may be absent, -25 (ECDH-ES+HKDF-256) or -7 (ES256, which some platforms send).
   */
  static Optional<ECPublicKeyParameters> parsePeerKey(CborMap key) {
    try {
      if (key.optLong(1L).orElse(0L) != COSE_KTY_EC2 || key.optLong(-1L).orElse(0L) != COSE_CRV_P256) {
        return Optional.empty();
      }
      Optional<Long> alg = key.optLong(3L);
      if (alg.isPresent() && alg.get() != COSE_ALG_ECDH_ES_HKDF_256 && alg.get() != COSE_ALG_ES256) {
        return Optional.empty();
      }
      Optional<Bytes> x = key.optBytes(-2L);
      Optional<Bytes> y = key.optBytes(-3L);
      if (x.isEmpty() || y.isEmpty() || x.get().length() != 32 || y.get().length() != 32) {
        return Optional.empty();
      }
      ECPoint point =
          P256_DOMAIN
              .getCurve()
              .validatePoint(new BigInteger(1, x.get().unsafeArray()), new BigInteger(1, y.get().unsafeArray()));
      return Optional.of(new ECPublicKeyParameters(point, P256_DOMAIN));
    } catch (CtapException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
