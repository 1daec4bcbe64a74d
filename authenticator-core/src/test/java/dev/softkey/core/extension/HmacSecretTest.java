package dev.softkey.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.core.OperationContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pieces of hmac-secret (CTAP 2.1 section 12.5): HMAC, the CredRandom state, the evaluation. */
class HmacSecretTest {
  @Test
  void hmacSha256_rfc4231TestCase2() {
    // RFC 4231 section 4.3 (test case 2): key "Jefe", data "what do ya want for nothing?".
    byte[] out =
        HmacSecret.hmacSha256(
            Bytes.wrap("Jefe".getBytes(StandardCharsets.US_ASCII)),
            "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
    assertThat(Bytes.wrap(out)).isEqualTo(Bytes.fromHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
  }

  @Nested
  class State {
    @Test
    void discoverable_isTwoRandom32ByteValues_withUvFirst() {
      Bytes state = HmacSecret.newState(RandomSource.seeded(1), true);
      assertThat(state.length()).isEqualTo(64);
      HmacSecret.CredRandoms cr = HmacSecret.credRandoms(Optional.of(state), Bytes.EMPTY).orElseThrow();
      assertThat(cr.select(true)).isEqualTo(state.slice(0, 32));
      assertThat(cr.select(false)).isEqualTo(state.slice(32, 64));
    }

    @Test
    void nonDiscoverable_isOneByte_andDerivesFromTheCredentialSecret() {
      Bytes state = HmacSecret.newState(RandomSource.seeded(1), false);
      assertThat(state).isEqualTo(Bytes.fromHex("01"));
      HmacSecret.CredRandoms a = HmacSecret.credRandoms(Optional.of(state), Bytes.wrap(new byte[32])).orElseThrow();
      HmacSecret.CredRandoms b = HmacSecret.credRandoms(Optional.of(state), Bytes.fromHex("01".repeat(32))).orElseThrow();
      assertThat(a.select(true)).isNotEqualTo(a.select(false));
      assertThat(a.select(true)).isNotEqualTo(b.select(true));
      assertThat(a.select(false)).isNotEqualTo(b.select(false));
    }

    @Test
    void noState_noCredRandoms() {
      assertThat(HmacSecret.credRandoms(Optional.empty(), Bytes.wrap(new byte[32]))).isEmpty();
    }

    @Test
    void aStateOfAnotherForm_isRefused() {
      assertThatThrownBy(() -> HmacSecret.credRandoms(Optional.of(Bytes.wrap(new byte[16])), Bytes.wrap(new byte[32])))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toString_hidesTheCredRandoms() {
      Bytes state = HmacSecret.newState(RandomSource.seeded(1), true);
      String s = HmacSecret.credRandoms(Optional.of(state), Bytes.EMPTY).orElseThrow().toString();
      assertThat(s).isEqualTo("CredRandoms[secret]").doesNotContain(state.slice(0, 32).hex());
    }
  }

  @Test
  void evaluate_protocolOne_isAes256CbcZeroIv_ofHmacSha256OfEachSalt() throws Exception {
    ClientPin pin =
        new ClientPin(Profiles.defaultProfile(), new MemoryStore(), Presence.approve(), Optional.empty(), RandomSource.seeded(3), new MutableClock());
    CborMap authenticatorKey =
        new CborMap(pin.clientPin(ClientPinRequest.fromCbor(new CborMap(Map.of(1L, 1L, 2L, 2L))), OperationContext.INTERNAL).toCbor())
            .map(1L);
    PinUvAuthProtocol platform = PinUvAuthProtocol.of(1, RandomSource.seeded(8));
    PinUvAuthProtocol.Encapsulation e = platform.encapsulate(authenticatorKey);
    Bytes salts = Bytes.fromHex("11".repeat(32) + "22".repeat(32));
    Bytes saltEnc = platform.encrypt(e.sharedSecret(), salts);
    HmacSecret.Input in =
        new HmacSecret.Input(new CborMap(e.keyAgreement()), saltEnc, platform.authenticate(e.sharedSecret(), saltEnc.unsafeArray()), 1);
    Bytes credRandom = Bytes.fromHex("c0".repeat(32));

    Bytes out = HmacSecret.evaluate(pin, in, credRandom);

    // Independently, with the JDK: shared secret = SHA-256(Z) (the platform's), output_i =
    // HMAC-SHA-256(CredRandom, salt_i), encrypted with AES-256-CBC and an all-zero IV (protocol 1).
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(credRandom.toArray(), "HmacSHA256"));
    byte[] o1 = mac.doFinal(salts.slice(0, 32).toArray());
    byte[] o2 = mac.doFinal(salts.slice(32, 64).toArray());
    Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(e.sharedSecret().toArray(), "AES"), new IvParameterSpec(new byte[16]));
    assertThat(out).isEqualTo(Bytes.wrap(aes.doFinal(Bytes.concat(Bytes.wrap(o1), Bytes.wrap(o2)).toArray())));
  }
}
