package dev.softkey.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.testing.CoseKeys;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** PKCS#8 to and from the engine's compact keys: JDK-made keys sign, round trips keep the key. */
class Pkcs8Test {
  private static final byte[] MESSAGE = "authenticatorData || clientDataHash".getBytes(StandardCharsets.UTF_8);

  private static CborMap cose(CredentialKey k) {
    return CborDecoder.decodeMap(CborEncoder.encode(k.cosePublicKey()));
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void roundTrip_keepsTheKey(CoseAlgorithm alg) throws Exception {
    CredentialKey k = CredentialKey.generate(alg, RandomSource.seeded(7));
    Bytes der = Pkcs8.encode(alg, k.privateEncoding());
    Pkcs8.Decoded d = Pkcs8.decode(der);
    assertThat(d.algorithm()).isEqualTo(alg);
    // The decoded key is the same key: its public key is the same and it verifies its signatures.
    CredentialKey back = CredentialKey.fromPrivateEncoding(alg, d.privateKey());
    assertThat(cose(back)).isEqualTo(cose(k));
    assertThat(CoseKeys.verify(cose(k), MESSAGE, back.sign(MESSAGE).toArray())).isTrue();
    // And the JDK reads the DER we wrote.
    String kind = switch (alg) { case ES256, ES384 -> "EC"; case EDDSA -> "Ed25519"; case RS256 -> "RSA"; };
    assertThat(KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der.toArray()))).isNotNull();
  }

  @Test
  void jdkP256Key_importsAsEs256_andItsSignaturesVerify() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    // The JDK's PKCS#8 (no public key inside), as opposed to Chrome's (with it): both must import.
    Pkcs8.Decoded d = Pkcs8.decode(Bytes.wrap(kp.getPrivate().getEncoded()));
    assertThat(d.algorithm()).isEqualTo(CoseAlgorithm.ES256);
    assertThat(d.privateKey().length()).isEqualTo(32);
    Bytes sig = CredentialKey.fromPrivateEncoding(CoseAlgorithm.ES256, d.privateKey()).sign(MESSAGE);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(kp.getPublic());
    v.update(MESSAGE);
    assertThat(v.verify(sig.toArray())).isTrue();
  }

  @Test
  void chromeStylePkcs8WithPublicKey_imports() {
    // A PKCS#8 P-256 key whose ECPrivateKey carries the public key [1] and no parameters [0], as
    // Chrome and WebDriver clients hand them over (made with openssl pkcs8 -topk8; test data only).
    Bytes der =
        Bytes.fromBase64Url(
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg73dtlNiNiZp8FKBHXlp4Q8PUgQC1pixSKvdP1XZgKv6hRANCAATAFHgBAuMS"
                + "tTRNsziFXhxGVJme5vKpT9Z-cBnwyty1VdVANg-H9p1at1Nzbsa5ZTvMB1dR0YGxX031eUy41zZU");
    Pkcs8.Decoded d = Pkcs8.decode(der);
    assertThat(d.algorithm()).isEqualTo(CoseAlgorithm.ES256);
    assertThat(d.privateKey()).isEqualTo(Bytes.fromHex("ef776d94d88d899a7c14a0475e5a7843c3d48100b5a62c522af74fd576602afe"));
    // The public key the engine derives is the one inside the DER.
    assertThat(cose(CredentialKey.fromPrivateEncoding(d.algorithm(), d.privateKey())).bytes(-2L)).isEqualTo(Bytes.fromHex("c014780102e312b5344db338855e1c4654999ee6f2a94fd67e7019f0cadcb555"));
  }

  @Test
  void jdkEd25519AndRsaKeys_import() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Pkcs8.Decoded d = Pkcs8.decode(Bytes.wrap(ed.getPrivate().getEncoded()));
    assertThat(d.algorithm()).isEqualTo(CoseAlgorithm.EDDSA);
    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(ed.getPublic());
    v.update(MESSAGE);
    assertThat(v.verify(CredentialKey.fromPrivateEncoding(d.algorithm(), d.privateKey()).sign(MESSAGE).toArray())).isTrue();

    KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA");
    rg.initialize(2048);
    KeyPair rsa = rg.generateKeyPair();
    Pkcs8.Decoded r = Pkcs8.decode(Bytes.wrap(rsa.getPrivate().getEncoded()));
    assertThat(r.algorithm()).isEqualTo(CoseAlgorithm.RS256);
    Signature rv = Signature.getInstance("SHA256withRSA");
    rv.initVerify(rsa.getPublic());
    rv.update(MESSAGE);
    assertThat(rv.verify(CredentialKey.fromPrivateEncoding(r.algorithm(), r.privateKey()).sign(MESSAGE).toArray())).isTrue();
  }

  @Test
  void otherCurvesAndGarbage_areIllegalArguments_withoutKeyMaterial() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    Bytes p521 = Bytes.wrap(g.generateKeyPair().getPrivate().getEncoded());
    assertThatThrownBy(() -> Pkcs8.decode(p521)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    assertThatThrownBy(() -> Pkcs8.decode(Bytes.wrap(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00})))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pkcs8.decode(Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA");
    rg.initialize(1024);
    Bytes rsa1024 = Bytes.wrap(rg.generateKeyPair().getPrivate().getEncoded());
    assertThatThrownBy(() -> Pkcs8.decode(rsa1024)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
  }
}
