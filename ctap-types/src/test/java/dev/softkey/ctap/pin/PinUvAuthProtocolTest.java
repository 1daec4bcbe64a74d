package dev.softkey.ctap.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinUvAuthProtocolTest {
  private static final Properties VECTORS = loadVectors();

  private static Properties loadVectors() {
    Properties p = new Properties();
    try (InputStream in = PinUvAuthProtocolTest.class.getResourceAsStream("primitive-vectors.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  private static byte[] vector(String name) {
    String v = VECTORS.getProperty(name);
    if (v == null) {
      throw new IllegalArgumentException("no vector " + name);
    }
    return Bytes.fromHex(v).toArray();
  }

  private static PinUvAuthProtocol authenticator(int version) {
    PinUvAuthProtocol p = PinUvAuthProtocol.of(version, RandomSource.seeded(version));
    p.initialize();
    return p;
  }

  /** A CBOR round trip, as the key travels on the wire. */
  private static CborMap wire(Map<Object, Object> coseKey) {
    return CborDecoder.decodeMap(CborEncoder.encode(coseKey));
  }

  @Nested
  class KnownAnswers {
    @Test
    void hkdfSha256_matchesRfc5869TestCase1() {
      byte[] okm =
          PinCrypto.hkdfSha256(
              vector("rfc5869.tc1.salt"), vector("rfc5869.tc1.ikm"), vector("rfc5869.tc1.info"), 42);
      assertThat(okm).isEqualTo(vector("rfc5869.tc1.okm"));
    }

    @Test
    void hkdfSha256_withZeroSaltOf32Bytes_matchesRfc5869TestCase3EmptySalt() {
      byte[] okm = PinCrypto.hkdfSha256(PinUvAuthProtocolTwo.HKDF_SALT, vector("rfc5869.tc3.ikm"), new byte[0], 42);
      assertThat(okm).isEqualTo(vector("rfc5869.tc3.okm"));
    }

    @Test
    void aes256Cbc_matchesSp80038aF25BothDirections() {
      byte[] key = vector("sp80038a.f25.key");
      byte[] iv = vector("sp80038a.f25.iv");
      byte[] ct = PinCrypto.aes256Cbc(true, key, iv, vector("sp80038a.f25.plaintext"));
      assertThat(ct).isEqualTo(vector("sp80038a.f25.ciphertext"));
      assertThat(PinCrypto.aes256Cbc(false, key, iv, ct)).isEqualTo(vector("sp80038a.f25.plaintext"));
    }
  }

  @Nested
  class GetPublicKey {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void getPublicKey_isCoseKeyKty2AlgMinus25CrvP256WithPointOnCurve(int version) {
      CborMap key = wire(authenticator(version).getPublicKey());
      assertThat(key.asMap().keySet()).containsExactlyInAnyOrder(1L, 3L, -1L, -2L, -3L);
      assertThat(key.longValue(1L)).isEqualTo(2L);
      assertThat(key.longValue(3L)).isEqualTo(-25L);
      assertThat(key.longValue(-1L)).isEqualTo(1L);
      assertThat(key.bytes(-2L).length()).isEqualTo(32);
      assertThat(key.bytes(-3L).length()).isEqualTo(32);
      assertThat(AbstractPinUvAuthProtocol.parsePeerKey(key)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void regenerate_changesThePublicKey(int version) {
      PinUvAuthProtocol p = authenticator(version);
      Map<Object, Object> before = p.getPublicKey();
      p.regenerate();
      assertThat(p.getPublicKey()).isNotEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void resetPinUvAuthToken_gives32FreshBytes(int version) {
      PinUvAuthProtocol p = authenticator(version);
      Bytes before = p.pinUvAuthToken();
      p.resetPinUvAuthToken();
      assertThat(p.pinUvAuthToken().length()).isEqualTo(32);
      assertThat(p.pinUvAuthToken()).isNotEqualTo(before);
    }
  }

  @Nested
  class Decapsulate {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void platformEncapsulate_andAuthenticatorDecapsulate_agree(int version) {
      PinUvAuthProtocol authenticator = authenticator(version);
      PinUvAuthProtocol platform = PinUvAuthProtocol.of(version, RandomSource.seeded(99));
      PinUvAuthProtocol.Encapsulation e = platform.encapsulate(wire(authenticator.getPublicKey()));
      assertThat(authenticator.decapsulate(wire(e.keyAgreement()))).contains(e.sharedSecret());
      assertThat(e.sharedSecret().length()).isEqualTo(version == 1 ? 32 : 64);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void decapsulate_matchesIndependentJcaEcdhAndKdf(int version) throws Exception {
      PinUvAuthProtocol authenticator = authenticator(version);
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair platformKey = g.generateKeyPair();
      ECPoint w = ((ECPublicKey) platformKey.getPublic()).getW();
      Map<Object, Object> cose = new LinkedHashMap<>();
      cose.put(1L, 2L);
      cose.put(3L, -25L);
      cose.put(-1L, 1L);
      cose.put(-2L, fixed32(w.getAffineX()));
      cose.put(-3L, fixed32(w.getAffineY()));

      // Independent: the JDK's ECDH gives Z; the KDF is written out from the spec and RFC 5869.
      CborMap authKey = wire(authenticator.getPublicKey());
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      ECPublicKeySpec spec =
          new ECPublicKeySpec(
              new ECPoint(
                  new BigInteger(1, authKey.bytes(-2L).toArray()), new BigInteger(1, authKey.bytes(-3L).toArray())),
              params.getParameterSpec(ECParameterSpec.class));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(platformKey.getPrivate());
      ka.doPhase(KeyFactory.getInstance("EC").generatePublic(spec), true);
      byte[] z = ka.generateSecret();
      byte[] expected;
      if (version == 1) {
        expected = MessageDigest.getInstance("SHA-256").digest(z);
      } else {
        byte[] prk = hmac(new byte[32], z);
        byte[] hmacKey = hmac(prk, concat("CTAP2 HMAC key".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
        byte[] aesKey = hmac(prk, concat("CTAP2 AES key".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
        expected = concat(hmacKey, aesKey);
      }
      assertThat(authenticator.decapsulate(wire(cose))).contains(Bytes.wrap(expected));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void decapsulate_pointNotOnCurve_isError(int version) {
      PinUvAuthProtocol authenticator = authenticator(version);
      Map<Object, Object> key = new LinkedHashMap<>(authenticator.getPublicKey());
      byte[] y = ((Bytes) key.get(-3L)).toArray();
      y[31] ^= 1;
      key.put(-3L, Bytes.wrap(y));
      assertThat(authenticator.decapsulate(wire(key))).isEmpty();
    }

    @Test
    void decapsulate_wrongKtyCrvOrAlg_isError() {
      PinUvAuthProtocol authenticator = authenticator(2);
      Map<Object, Object> good = authenticator.getPublicKey();
      for (Object[] change : new Object[][] {{1L, 3L}, {-1L, 2L}, {3L, -8L}}) {
        Map<Object, Object> key = new LinkedHashMap<>(good);
        key.put(change[0], change[1]);
        assertThat(authenticator.decapsulate(wire(key))).as("changed %s", change[0]).isEmpty();
      }
      Map<Object, Object> textX = new LinkedHashMap<>(good);
      textX.put(-2L, "not bytes");
      assertThat(authenticator.decapsulate(wire(textX))).isEmpty();
    }

    @Test
    void encapsulate_invalidAuthenticatorKey_throwsOther() {
      Map<Object, Object> key = new LinkedHashMap<>(authenticator(1).getPublicKey());
      key.put(-1L, 2L);
      assertThatThrownBy(() -> PinUvAuthProtocol.of(1, RandomSource.seeded(3)).encapsulate(wire(key)))
          .isInstanceOfSatisfying(
              CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER));
    }
  }

  @Nested
  class EncryptAndAuthenticate {
    private final Bytes sharedSecret64 = Bytes.wrap(RandomSource.seeded(5).bytes(64));
    private final Bytes sharedSecret32 = sharedSecret64.slice(0, 32);

    @Test
    void protocolOne_encrypt_isAesCbcWithZeroIv() throws Exception {
      Bytes pt = Bytes.wrap(RandomSource.seeded(6).bytes(64));
      Bytes ct = authenticator(1).encrypt(sharedSecret32, pt);
      Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sharedSecret32.toArray(), "AES"), new IvParameterSpec(new byte[16]));
      assertThat(ct.toArray()).isEqualTo(c.doFinal(pt.toArray()));
      assertThat(authenticator(1).decrypt(sharedSecret32, ct)).contains(pt);
    }

    @Test
    void protocolTwo_encrypt_prefixesRandomIvAndUsesTheAesHalfOfTheKey() throws Exception {
      Bytes pt = Bytes.wrap(RandomSource.seeded(6).bytes(32));
      PinUvAuthProtocol two = authenticator(2);
      Bytes ct1 = two.encrypt(sharedSecret64, pt);
      Bytes ct2 = two.encrypt(sharedSecret64, pt);
      assertThat(ct1.length()).isEqualTo(48);
      assertThat(ct1).isNotEqualTo(ct2);
      Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(sharedSecret64.slice(32, 64).toArray(), "AES"),
          new IvParameterSpec(ct1.slice(0, 16).toArray()));
      assertThat(c.doFinal(ct1.slice(16, 48).toArray())).isEqualTo(pt.toArray());
      assertThat(two.decrypt(sharedSecret64, ct2)).contains(pt);
    }

    @Test
    void decrypt_impossibleLengths_areErrors() {
      assertThat(authenticator(1).decrypt(sharedSecret32, Bytes.wrap(new byte[15]))).isEmpty();
      assertThat(authenticator(2).decrypt(sharedSecret64, Bytes.wrap(new byte[15]))).isEmpty();
      assertThat(authenticator(2).decrypt(sharedSecret64, Bytes.wrap(new byte[33]))).isEmpty();
    }

    @Test
    void protocolOne_authenticate_isFirst16BytesOfHmac() throws Exception {
      byte[] msg = "message".getBytes(StandardCharsets.US_ASCII);
      Bytes sig = authenticator(1).authenticate(sharedSecret32, msg);
      assertThat(sig.toArray()).isEqualTo(Arrays.copyOf(hmac(sharedSecret32.toArray(), msg), 16));
      assertThat(authenticator(1).verify(sharedSecret32, msg, sig)).isTrue();
      assertThat(authenticator(1).verify(sharedSecret32, msg, Bytes.wrap(hmac(sharedSecret32.toArray(), msg))))
          .as("a full 32-byte MAC is not a protocol One signature")
          .isFalse();
    }

    @Test
    void protocolTwo_authenticate_isFullHmacUnderTheFirst32Bytes() throws Exception {
      byte[] msg = "message".getBytes(StandardCharsets.US_ASCII);
      Bytes sig = authenticator(2).authenticate(sharedSecret64, msg);
      assertThat(sig.toArray()).isEqualTo(hmac(sharedSecret64.slice(0, 32).toArray(), msg));
      assertThat(authenticator(2).verify(sharedSecret64, msg, sig)).isTrue();
      assertThat(authenticator(2).verify(sharedSecret64, msg, sig.slice(0, 16))).isFalse();
      byte[] other = sig.toArray();
      other[0] ^= 1;
      assertThat(authenticator(2).verify(sharedSecret64, msg, Bytes.wrap(other))).isFalse();
    }
  }

  private static Bytes fixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return Bytes.wrap(out);
  }

  private static byte[] hmac(byte[] key, byte[] msg) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(msg);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
