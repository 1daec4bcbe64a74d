package dev.softkey.bench;

import dev.softkey.ctap.crypto.RandomSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baselines: what the hardware and Bouncy Castle allow, with nothing of softkey around them.
 * The calls are the ones {@code CredentialKey} makes (the lightweight API, the custom secp256r1
 * curve, RFC 6979 deterministic ECDSA with a DER signature, the low-level Ed25519 signer with the
 * public key carried), on messages of the sizes the engine signs.
 */
@State(Scope.Thread)
public class RawSigning extends Throughput {
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  /** What getAssertion signs: authenticatorData without extensions (37 bytes) || clientDataHash. */
  private final byte[] assertionMessage = new byte[37 + 32];

  /**
   * What packed makeCredential signs: authenticatorData with attested credential data (37 + 16 +
   * 2 + a credential ID of about 90 bytes + a 77-byte COSE key) || clientDataHash, about 256 bytes.
   */
  private final byte[] attestationMessage = new byte[256];

  private ECKeyPairGenerator generator;
  private ECPrivateKeyParameters es256Key;
  private byte[] ed25519Secret;
  private byte[] ed25519Public;

  @Setup
  public void setUp() {
    // The engine's own source of randomness, so key generation pays the same for it.
    SecureRandom random = RandomSource.secure().asSecureRandom();
    generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(DOMAIN, random));
    es256Key = (ECPrivateKeyParameters) generator.generateKeyPair().getPrivate();
    ed25519Secret = new byte[Ed25519.SECRET_KEY_SIZE];
    random.nextBytes(ed25519Secret);
    ed25519Public = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(ed25519Secret, 0, ed25519Public, 0);
  }

  /** One ES256 signature over an assertion's message. */
  @Benchmark
  public byte[] es256Sign() {
    return es256(es256Key, assertionMessage);
  }

  /** One P-256 key pair (private scalar and public point), as a new credential needs. */
  @Benchmark
  public AsymmetricCipherKeyPair p256KeyGen() {
    return generator.generateKeyPair();
  }

  /** A P-256 key pair and an ES256 signature over an attestation's message: packed makeCredential's limit. */
  @Benchmark
  public byte[] p256KeyGenAndSign() {
    generator.generateKeyPair();
    return es256(es256Key, attestationMessage);
  }

  /** One Ed25519 signature (RFC 8032) over an assertion's message. */
  @Benchmark
  public byte[] ed25519Sign() {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(ed25519Secret, 0, ed25519Public, 0, assertionMessage, 0, assertionMessage.length, sig, 0);
    return sig;
  }

  private static byte[] es256(ECPrivateKeyParameters key, byte[] message) {
    SHA256Digest digest = new SHA256Digest();
    byte[] hash = new byte[digest.getDigestSize()];
    digest.update(message, 0, message.length);
    digest.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, key);
    BigInteger[] rs = signer.generateSignature(hash);
    try {
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
