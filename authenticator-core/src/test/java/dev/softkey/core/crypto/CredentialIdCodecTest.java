package dev.softkey.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CredentialIdCodec#seal}'s reused per-thread cipher: the JDK refuses a GCM encryption
 * with the key and nonce the cipher last used, which seeded twin devices in one thread produce;
 * seal then takes a fresh cipher and gives the same bytes.
 */
class CredentialIdCodecTest {
  private static final Bytes SECRET = Bytes.wrap(new byte[32]);
  private static final Bytes RP = PublicKeyCredentialRpEntity.idHash("example.com");

  @Test
  void seededTwins_inOneThread_sealTheSameIds_oneAfterTheOther() {
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.seeded(1));
    var sealed = new CredentialIdCodec.Sealed(CoseAlgorithm.ES256, key, false, false, Map.of());
    CredentialIdCodec a = new CredentialIdCodec(SECRET, RandomSource.seeded(9));
    CredentialIdCodec b = new CredentialIdCodec(SECRET, RandomSource.seeded(9));
    for (int i = 0; i < 3; i++) {
      Bytes fromA = a.seal(sealed, RP);
      Bytes fromB = b.seal(sealed, RP); // same key, same nonce as the cipher's last encryption
      assertThat(fromB).isEqualTo(fromA);
      assertThat(a.open(fromB, RP)).isPresent();
      assertThat(b.open(fromA, RP).orElseThrow().key().privateEncoding()).isEqualTo(key.privateEncoding());
    }
  }

  @Test
  void sealedIds_openOnlyForTheirRp_andDifferEachTime() {
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.secure());
    var sealed = new CredentialIdCodec.Sealed(CoseAlgorithm.ES256, key, true, true, Map.of());
    CredentialIdCodec c = new CredentialIdCodec(SECRET, RandomSource.secure());
    Bytes one = c.seal(sealed, RP);
    Bytes two = c.seal(sealed, RP);
    assertThat(one).isNotEqualTo(two);
    assertThat(c.open(one, RP).orElseThrow().discoverable()).isTrue();
    assertThat(c.open(two, PublicKeyCredentialRpEntity.idHash("other.example"))).isEmpty();
  }
}
