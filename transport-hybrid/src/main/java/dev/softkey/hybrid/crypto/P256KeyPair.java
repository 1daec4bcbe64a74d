package dev.softkey.hybrid.crypto;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.math.BigInteger;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * A P-256 key pair for ECDH: the QR identity key of an initiator, an authenticator's identity key
 * (state-assisted transactions) or a Noise ephemeral key. {@link #toString()} shows the public key
 * only.
 */
public final class P256KeyPair {
  private final ECPrivateKeyParameters privateKey;
  private final P256PublicKey publicKey;

  private P256KeyPair(ECPrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey =
        P256PublicKey.of(new FixedPointCombMultiplier().multiply(P256PublicKey.DOMAIN.getG(), privateKey.getD()));
  }

  /** A fresh key pair from {@code random}. */
  public static P256KeyPair generate(RandomSource random) {
    ECKeyPairGenerator g = new ECKeyPairGenerator();
    g.init(new ECKeyGenerationParameters(P256PublicKey.DOMAIN, random.asSecureRandom()));
    AsymmetricCipherKeyPair kp = g.generateKeyPair();
    return new P256KeyPair((ECPrivateKeyParameters) kp.getPrivate());
  }

  /** Rebuilds a key pair from its 32-byte big-endian private scalar (1 ≤ d < n). */
  public static P256KeyPair fromPrivateScalar(Bytes scalar) {
    if (scalar.length() != 32) {
      throw new HybridException("a P-256 private scalar is 32 bytes");
    }
    BigInteger d = new BigInteger(1, scalar.unsafeArray());
    if (d.signum() == 0 || d.compareTo(P256PublicKey.DOMAIN.getN()) >= 0) {
      throw new HybridException("P-256 private scalar out of range");
    }
    return new P256KeyPair(new ECPrivateKeyParameters(d, P256PublicKey.DOMAIN));
  }

  public P256PublicKey publicKey() {
    return publicKey;
  }

  /** The 32-byte big-endian private scalar; secret. */
  public Bytes privateScalar() {
    return Bytes.wrap(BigIntegers.asUnsignedByteArray(32, privateKey.getD()));
  }

  /** ECDH with {@code peer}: the 32-byte X coordinate of the shared point. */
  public Bytes agree(P256PublicKey peer) {
    ECDHBasicAgreement a = new ECDHBasicAgreement();
    a.init(privateKey);
    BigInteger x = a.calculateAgreement(new ECPublicKeyParameters(peer.point(), P256PublicKey.DOMAIN));
    return Bytes.wrap(BigIntegers.asUnsignedByteArray(32, x));
  }

  @Override
  public String toString() {
    return "P256KeyPair[public=" + publicKey.uncompressed().hex() + "]";
  }
}
