package dev.softkey.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cose.CoseKeys;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * {@link CredentialKey}: a new EC key keeps the public point of its generation (issue 14), which
 * must be the very point a key rebuilt from the stored encoding recomputes; the stored encoding and
 * seeded output stay what they were.
 */
class CredentialKeyTest {
  private static final byte[] MESSAGE = "authenticatorData || clientDataHash".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** The COSE_Key as an RP reads it: encoded, then decoded. */
  private static CborMap decoded(CredentialKey k) {
    return dev.softkey.ctap.cbor.CborDecoder.decodeMap(CborEncoder.encode(k.cosePublicKey()));
  }

  @Nested
  class KeptPublicPoint {
    @ParameterizedTest
    @EnumSource(value = CoseAlgorithm.class, names = {"ES256", "ES384", "EDDSA", "RS256"})
    void cosePublicKey_ofANewKey_equalsTheOneRecomputedFromTheStoredEncoding(CoseAlgorithm alg) {
      CredentialKey made = CredentialKey.generate(alg, RandomSource.secure());
      CredentialKey reloaded = CredentialKey.fromPrivateEncoding(alg, made.privateEncoding());
      assertThat(CborEncoder.encode(made.cosePublicKey())).isEqualTo(CborEncoder.encode(reloaded.cosePublicKey()));
    }

    @ParameterizedTest
    @EnumSource(value = CoseAlgorithm.class, names = {"ES256", "ES384", "EDDSA", "RS256"})
    void signature_verifiesWithTheCosePublicKey(CoseAlgorithm alg) {
      CredentialKey k = CredentialKey.generate(alg, RandomSource.secure());
      var pub = CoseKeys.toPublicKey(decoded(k)).orElseThrow();
      assertThat(CoseKeys.verify(pub, alg.id(), Bytes.wrap(MESSAGE), k.sign(MESSAGE))).isTrue();
      // And with the key's own public parameters after a reload.
      CredentialKey reloaded = CredentialKey.fromPrivateEncoding(alg, k.privateEncoding());
      var pub2 = CoseKeys.toPublicKey(decoded(reloaded)).orElseThrow();
      assertThat(CoseKeys.verify(pub2, alg.id(), Bytes.wrap(MESSAGE), k.sign(MESSAGE))).isTrue();
    }

    @Test
    void u2fPoint_ofANewKey_equalsTheRecomputedOne_andMatchesTheCoseKey() {
      CredentialKey made = CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.secure());
      CredentialKey reloaded = CredentialKey.fromPrivateEncoding(CoseAlgorithm.ES256, made.privateEncoding());
      Bytes point = made.uncompressedEcPoint();
      assertThat(point).isEqualTo(reloaded.uncompressedEcPoint());
      Map<Object, Object> cose = made.cosePublicKey();
      assertThat(point.length()).isEqualTo(65);
      assertThat(point.unsafeArray()[0]).isEqualTo((byte) 0x04);
      assertThat(Bytes.of(point.unsafeArray(), 1, 32)).isEqualTo(Bytes.wrap((byte[]) cose.get(-2L)));
      assertThat(Bytes.of(point.unsafeArray(), 33, 32)).isEqualTo(Bytes.wrap((byte[]) cose.get(-3L)));
    }

    @Test
    void publicParameters_areTheSamePoint() {
      CredentialKey made = CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.secure());
      var q = ((org.bouncycastle.crypto.params.ECPublicKeyParameters) made.publicParameters()).getQ();
      assertThat(Bytes.wrap(q.getEncoded(false))).isEqualTo(made.uncompressedEcPoint());
    }
  }

  @Nested
  class StoredFormAndSeeds {
    @ParameterizedTest
    @EnumSource(value = CoseAlgorithm.class, names = {"ES256", "ES384", "EDDSA"})
    void theSameSeed_givesTheSameEncodingAndPublicKey(CoseAlgorithm alg) {
      CredentialKey a = CredentialKey.generate(alg, RandomSource.seeded(14));
      CredentialKey b = CredentialKey.generate(alg, RandomSource.seeded(14));
      assertThat(a.privateEncoding()).isEqualTo(b.privateEncoding());
      assertThat(CborEncoder.encode(a.cosePublicKey())).isEqualTo(CborEncoder.encode(b.cosePublicKey()));
      assertThat(a.sign(MESSAGE)).isEqualTo(b.sign(MESSAGE));
    }

    @Test
    void es256Encoding_isTheBare32ByteScalar() {
      CredentialKey k = CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.seeded(3));
      assertThat(k.privateEncoding().length()).isEqualTo(32);
      assertThat(CredentialKey.fromPrivateEncoding(CoseAlgorithm.ES256, k.privateEncoding()).privateEncoding())
          .isEqualTo(k.privateEncoding());
    }
  }
}
