package dev.softkey.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.platform.WebAuthnException.Name;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The platform's hmac-secret steps (CTAP 2.1 section 12.5) against an authenticator-side PIN/UV
 * auth protocol of ctap-types: the key agreement, saltEnc and saltAuth as the authenticator checks
 * them, the output decrypted, and the PRF salt of WebAuthn L3 section 10.1.4.
 */
class HmacSecretTest {
  /** An authenticator that only answers getKeyAgreement with {@code device}'s key. */
  static Ctap keyAgreementOnly(PinUvAuthProtocol device) {
    return new Ctap(
        request -> {
          assertThat(request[0]).as("authenticatorClientPIN").isEqualTo((byte) 0x06);
          CborMap params = CborDecoder.decodeMap(Arrays.copyOfRange(request, 1, request.length));
          assertThat(params.longValue(0x02L)).as("getKeyAgreement").isEqualTo(2);
          assertThat(params.longValue(0x01L)).as("pinUvAuthProtocol").isEqualTo(device.version());
          byte[] body = CborEncoder.encode(Map.of(0x01L, device.getPublicKey()));
          byte[] out = new byte[body.length + 1];
          System.arraycopy(body, 0, out, 1, body.length);
          return out;
        });
  }

  static PinUvAuthProtocol device(int version) {
    PinUvAuthProtocol p = PinUvAuthProtocol.of(version, RandomSource.seeded(version));
    p.initialize();
    return p;
  }

  static final Bytes SALT1 = Bytes.fromHex("01".repeat(32));
  static final Bytes SALT2 = Bytes.fromHex("ff".repeat(32));

  @Nested
  class Input {
    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void theAuthenticatorDecapsulatesTheSameSecret_checksSaltAuth_andDecryptsBothSalts(int version) {
      PinUvAuthProtocol device = device(version);
      HmacSecret hs = HmacSecret.agree(keyAgreementOnly(device), version, RandomSource.seeded(99));
      Map<Object, Object> in = hs.input(SALT1, Optional.of(SALT2));
      assertThat(in.keySet()).containsExactly(1L, 2L, 3L, 4L);
      assertThat(in.get(4L)).isEqualTo((long) version);
      Bytes shared = device.decapsulate((CborMap) in.get(1L)).orElseThrow();
      Bytes saltEnc = (Bytes) in.get(2L);
      assertThat(device.verify(shared, saltEnc.unsafeArray(), (Bytes) in.get(3L))).isTrue();
      assertThat(device.decrypt(shared, saltEnc)).contains(Bytes.concat(SALT1, SALT2));
      // A tampered saltEnc no longer matches saltAuth.
      byte[] tampered = saltEnc.toArray();
      tampered[tampered.length - 1] ^= 1;
      assertThat(device.verify(shared, tampered, (Bytes) in.get(3L))).isFalse();
    }

    @Test
    void oneSalt_isOneBlockPair() {
      PinUvAuthProtocol device = device(2);
      HmacSecret hs = HmacSecret.agree(keyAgreementOnly(device), 2, RandomSource.seeded(5));
      Map<Object, Object> in = hs.input(SALT1, Optional.empty());
      Bytes shared = device.decapsulate((CborMap) in.get(1L)).orElseThrow();
      assertThat(device.decrypt(shared, (Bytes) in.get(2L))).contains(SALT1);
    }
  }

  @Nested
  class Output {
    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void oneOrTwoOutputs_areSplitAt32Bytes(int version) {
      PinUvAuthProtocol device = device(version);
      HmacSecret hs = HmacSecret.agree(keyAgreementOnly(device), version, RandomSource.seeded(7));
      Bytes shared = device.decapsulate((CborMap) hs.input(SALT1, Optional.empty()).get(1L)).orElseThrow();
      Bytes out1 = Bytes.fromHex("11".repeat(32));
      Bytes out2 = Bytes.fromHex("22".repeat(32));
      assertThat(hs.decrypt(device.encrypt(shared, out1))).isEqualTo(new HmacSecret.Outputs(out1, Optional.empty()));
      assertThat(hs.decrypt(device.encrypt(shared, Bytes.concat(out1, out2)))).isEqualTo(new HmacSecret.Outputs(out1, Optional.of(out2)));
    }

    @Test
    void anOutputOfAnotherLength_isUnknownError() {
      PinUvAuthProtocol device = device(2);
      HmacSecret hs = HmacSecret.agree(keyAgreementOnly(device), 2, RandomSource.seeded(8));
      Bytes shared = device.decapsulate((CborMap) hs.input(SALT1, Optional.empty()).get(1L)).orElseThrow();
      assertThatThrownBy(() -> hs.decrypt(device.encrypt(shared, Bytes.wrap(new byte[48]))))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(Name.UnknownError));
    }

    @Test
    void anOutputThatDoesNotDecrypt_isUnknownError() {
      PinUvAuthProtocol device = device(2);
      HmacSecret hs = HmacSecret.agree(keyAgreementOnly(device), 2, RandomSource.seeded(9));
      assertThatThrownBy(() -> hs.decrypt(Bytes.wrap(new byte[7])))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(Name.UnknownError));
    }
  }

  @Nested
  class PrfSalt {
    @Test
    void isSha256OfTheContextStringAZeroByteAndTheInput() throws Exception {
      // WebAuthn L3 section 10.1.4: salt = SHA-256(UTF8Encode("WebAuthn PRF") || 0x00 || input).
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("WebAuthn PRF".getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update("input".getBytes(StandardCharsets.UTF_8));
      assertThat(HmacSecret.prfSalt(Bytes.wrap("input".getBytes(StandardCharsets.UTF_8)))).isEqualTo(Bytes.wrap(sha.digest()));
      assertThat(HmacSecret.prfSalt(Bytes.EMPTY).length()).isEqualTo(32);
    }
  }

  @Nested
  class ProtocolChoice {
    @Test
    void theTokensProtocol_elseTheFirstTheAuthenticatorPrefers() {
      AuthenticatorInfo info =
          AuthenticatorInfo.parse(
              new CborMap(Map.of(0x01L, java.util.List.of("FIDO_2_1"), 0x03L, Bytes.wrap(new byte[16]), 0x06L, java.util.List.of(3L, 1L, 2L))));
      assertThat(HmacSecret.protocolFor(info, Optional.empty())).contains(1);
      PinTokenProvider.PinToken two =
          new PinTokenProvider.PinToken() {
            @Override
            public int protocol() {
              return 2;
            }

            @Override
            public Bytes authenticate(Bytes message) {
              return message;
            }
          };
      assertThat(HmacSecret.protocolFor(info, Optional.of(two))).contains(2);
      AuthenticatorInfo none = AuthenticatorInfo.parse(new CborMap(Map.of(0x01L, java.util.List.of("FIDO_2_1"), 0x03L, Bytes.wrap(new byte[16]))));
      assertThat(HmacSecret.protocolFor(none, Optional.empty())).isEmpty();
    }
  }
}
