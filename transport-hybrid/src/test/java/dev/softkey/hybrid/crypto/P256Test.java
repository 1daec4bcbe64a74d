package dev.softkey.hybrid.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.testvectors.HybridVectors;
import org.junit.jupiter.api.Test;

class P256Test {
  @Test
  void compressedPointsRoundTrip() {
    RandomSource random = RandomSource.seeded(1);
    for (int i = 0; i < 20; i++) {
      P256PublicKey pub = P256KeyPair.generate(random).publicKey();
      Bytes c = pub.compressed();
      assertThat(c.length()).isEqualTo(33);
      assertThat(c.get(0)).isIn(2, 3);
      assertThat(P256PublicKey.fromEncoded(c)).isEqualTo(pub);
      assertThat(P256PublicKey.fromEncoded(pub.uncompressed())).isEqualTo(pub);
    }
  }

  @Test
  void chromiumsInvalidCompressedPointIsRejected() {
    String cbor = HybridVectors.rowsByName("qr-known-chromium.tsv").get("invalid-compressed-point").get(1);
    // the 33 bytes after a2 00 58 21
    Bytes point = Bytes.fromHex(cbor.substring(8, 8 + 66));
    assertThatThrownBy(() -> P256PublicKey.fromEncoded(point)).isInstanceOf(HybridException.class);
    String good = HybridVectors.rowsByName("qr-known-chromium.tsv").get("basic").get(1);
    assertThat(P256PublicKey.fromEncoded(Bytes.fromHex(good.substring(8, 8 + 66))).compressed().hex())
        .isEqualTo(good.substring(8, 8 + 66));
  }

  @Test
  void offCurveUncompressedPointIsRejected() {
    byte[] p = P256KeyPair.generate(RandomSource.seeded(2)).publicKey().uncompressed().toArray();
    p[64] ^= 1;
    assertThatThrownBy(() -> P256PublicKey.fromEncoded(Bytes.wrap(p))).isInstanceOf(HybridException.class);
    assertThatThrownBy(() -> P256PublicKey.fromEncoded(Bytes.wrap(new byte[10]))).isInstanceOf(HybridException.class);
  }

  @Test
  void ecdhIsSymmetricAndScalarsRoundTrip() {
    RandomSource random = RandomSource.seeded(3);
    P256KeyPair a = P256KeyPair.generate(random);
    P256KeyPair b = P256KeyPair.generate(random);
    assertThat(a.agree(b.publicKey())).isEqualTo(b.agree(a.publicKey()));
    assertThat(a.agree(b.publicKey()).length()).isEqualTo(32);
    assertThat(P256KeyPair.fromPrivateScalar(a.privateScalar()).publicKey()).isEqualTo(a.publicKey());
    assertThat(a.toString()).doesNotContain(a.privateScalar().hex());
  }
}
