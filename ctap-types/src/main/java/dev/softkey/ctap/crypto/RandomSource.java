package dev.softkey.ctap.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.prng.SP800SecureRandomBuilder;
import org.bouncycastle.crypto.prng.EntropySource;
import org.bouncycastle.crypto.prng.EntropySourceProvider;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;

/**
 * The authenticator's only source of randomness. {@link #secure()} is the platform's strong RNG;
 * {@link #seeded(long)} is a deterministic HMAC-DRBG (NIST SP 800-90A, via Bouncy Castle) so that
 * {@code --seed} reproduces keys, credential IDs, nonces and signatures across runs. A seeded
 * source is for tests and demos only: its output is predictable by design.
 */
public final class RandomSource {
  private final SecureRandom random;
  private final boolean deterministic;

  private RandomSource(SecureRandom random, boolean deterministic) {
    this.random = random;
    this.deterministic = deterministic;
  }

  public static RandomSource secure() {
    return new RandomSource(new SecureRandom(), false);
  }

  public static RandomSource seeded(long seed) {
    byte[] seedBytes = java.nio.ByteBuffer.allocate(8).putLong(seed).array();
    EntropySourceProvider fixed =
        bits ->
            new EntropySource() {
              private long counter;

              @Override
              public boolean isPredictionResistant() {
                return false;
              }

              @Override
              public byte[] getEntropy() {
                byte[] out = new byte[(bits + 7) / 8];
                SHA256Digest d = new SHA256Digest();
                byte[] block = new byte[32];
                for (int off = 0; off < out.length; off += 32) {
                  d.update(seedBytes, 0, seedBytes.length);
                  long c = counter++;
                  for (int i = 0; i < 8; i++) {
                    d.update((byte) (c >>> (8 * i)));
                  }
                  d.doFinal(block, 0);
                  System.arraycopy(block, 0, out, off, Math.min(32, out.length - off));
                }
                return out;
              }

              @Override
              public int entropySize() {
                return bits;
              }
            };
    SecureRandom drbg =
        new SP800SecureRandomBuilder(fixed)
            .setPersonalizationString("softkey seeded".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .buildHMAC(new HMac(new SHA256Digest()), seedBytes, false);
    return new RandomSource(drbg, true);
  }

  public byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  public void nextBytes(byte[] b) {
    random.nextBytes(b);
  }

  /** The underlying generator, for crypto APIs that take a {@link SecureRandom}. */
  public SecureRandom asSecureRandom() {
    return random;
  }

  public boolean isDeterministic() {
    return deterministic;
  }
}
