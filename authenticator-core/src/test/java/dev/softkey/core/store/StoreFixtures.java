package dev.softkey.core.store;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/** Credentials for store tests. */
final class StoreFixtures {
  private StoreFixtures() {}

  /** A credential with every optional member present and non-default values. */
  static StoredCredential full(int n) {
    return new StoredCredential(
        Bytes.wrap(ByteBuffer.allocate(20).putInt(0x1D000000 | n).array()),
        "rp" + (n % 3) + ".example",
        Optional.of("RP \u00e9 " + n),
        Bytes.wrap(ByteBuffer.allocate(6).putInt(n).array()),
        Optional.of("user" + n + "@example.com"),
        Optional.of("User \u2603 " + n),
        CoseAlgorithm.values()[n % CoseAlgorithm.values().length],
        Bytes.wrap(privateKeyBytes(n)),
        0xFFFFFFFFL - n,
        n % 2 == 0,
        n % 4 == 0,
        1_700_000_000_000L + n,
        Map.of("credBlob", Bytes.fromHex("c0ffee"), "credRandom", Bytes.wrap(new byte[32])));
  }

  /** A credential with every optional member absent. */
  static StoredCredential minimal(String rpId, Bytes userId, long createdAt) {
    return new StoredCredential(
        Bytes.wrap(ByteBuffer.allocate(16).putLong(createdAt).putLong(userId.hashCode()).array()),
        rpId,
        Optional.empty(),
        userId,
        Optional.empty(),
        Optional.empty(),
        CoseAlgorithm.ES256,
        Bytes.wrap(privateKeyBytes((int) createdAt)),
        0,
        false,
        false,
        createdAt,
        Map.of());
  }

  static byte[] privateKeyBytes(int n) {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (n * 31 + i * 7 + 0x5A);
    }
    return k;
  }
}
