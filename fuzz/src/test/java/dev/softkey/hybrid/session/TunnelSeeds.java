package dev.softkey.hybrid.session;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.crypto.P256KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seeds of {@link TunnelMessagesFuzzTest} that need this package: a genuine update and a stored link. */
public final class TunnelSeeds {
  private TunnelSeeds() {}

  /** The fuzz test class these seeds are for (package-private). */
  public static final Class<?> TARGET = TunnelMessagesFuzzTest.class;

  /** An update payload with linking information signed as the seeded desktop expects. */
  public static byte[] genuineUpdate() {
    P256KeyPair phone = P256KeyPair.generate(RandomSource.seeded(9));
    Bytes signature =
        HybridAuthenticator.linkSignature(
            TunnelMessagesFuzzTest.QR_IDENTITY.agree(phone.publicKey()), TunnelMessagesFuzzTest.HANDSHAKE_HASH);
    Map<Object, Object> linking = new LinkedHashMap<>();
    linking.put(1L, Bytes.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    linking.put(2L, Bytes.wrap(new byte[8]));
    linking.put(3L, Bytes.wrap(new byte[32]));
    linking.put(4L, phone.publicKey().uncompressed());
    linking.put(5L, "Pixel");
    linking.put(6L, signature);
    return CborEncoder.encode(Map.of(1L, linking));
  }

  /** A stored link. */
  public static byte[] linkInfo() {
    P256KeyPair phone = P256KeyPair.generate(RandomSource.seeded(9));
    return new LinkInfo(
            0,
            Bytes.wrap("contact".getBytes(StandardCharsets.US_ASCII)),
            Bytes.wrap(new byte[8]),
            Bytes.wrap(new byte[32]),
            phone.publicKey(),
            "Pixel")
        .encode()
        .toArray();
  }
}
