package dev.softkey.ctap.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.AuthenticatorData.AttestedCredentialData;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One authenticatorData for both roles: what the device encodes, the client parses back (WebAuthn L3 6.1). */
class AuthenticatorDataTest {
  private static final long SEED = 0xA17DA7AL;

  private static Bytes random(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return Bytes.wrap(b);
  }

  private static AuthenticatorData sample(SplittableRandom r) {
    Optional<AttestedCredentialData> acd = Optional.empty();
    if (r.nextBoolean()) {
      Map<Object, Object> cose = new TreeMap<>();
      cose.put(1L, 2L);
      cose.put(3L, -7L);
      cose.put(-1L, 1L);
      cose.put(-2L, random(r, 32));
      cose.put(-3L, random(r, 32));
      acd = Optional.of(new AttestedCredentialData(new UUID(r.nextLong(), r.nextLong()), random(r, 1 + r.nextInt(300)), new CborMap(cose)));
    }
    Optional<CborMap> ext = r.nextBoolean() ? Optional.of(new CborMap(Map.of("credProtect", (long) (1 + r.nextInt(3))))) : Optional.empty();
    int flags = r.nextInt(64) & (AuthenticatorData.UP | AuthenticatorData.UV | AuthenticatorData.BE | AuthenticatorData.BS);
    return new AuthenticatorData(random(r, 32), flags, r.nextLong(0, 0x1_0000_0000L), acd, ext);
  }

  @Test
  void parseOfEncode_isTheSameRecord_andReEncodesByteForByte() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int i = 0; i < 300; i++) {
      AuthenticatorData x = sample(r);
      Bytes encoded = x.encode();
      AuthenticatorData back = AuthenticatorData.parse(encoded);
      assertThat(back).as("case %d of seed %x", i, SEED).isEqualTo(x);
      assertThat(back.encode()).isEqualTo(encoded);
    }
  }

  @Test
  void atAndEdFlags_followWhatIsPresent() {
    AuthenticatorData a = new AuthenticatorData(Bytes.wrap(new byte[32]), 0xFF, 1, Optional.empty(), Optional.empty());
    assertThat(a.flags() & (AuthenticatorData.AT | AuthenticatorData.ED)).isZero();
    assertThat(a.encode().length()).isEqualTo(37);
  }

  @Test
  void truncatedOrTrailing_isInvalidLength_andABadExtensionsValue_theCborStatus() {
    AuthenticatorData a = sample(new SplittableRandom(3));
    byte[] ok = new AuthenticatorData(a.rpIdHash(), 0, 5, a.attestedCredentialData(), Optional.of(new CborMap(Map.of("x", 1L)))).encode().toArray();
    assertStatus(Bytes.of(ok, 0, 36), CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertStatus(Bytes.wrap(trailing), CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    byte[] notAMap = new byte[38];
    notAMap[32] = (byte) AuthenticatorData.ED;
    notAMap[37] = 0x01; // the integer 1 where the extensions map belongs
    assertStatus(Bytes.wrap(notAMap), CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  }

  private static void assertStatus(Bytes authData, CtapStatus status) {
    assertThatThrownBy(() -> AuthenticatorData.parse(authData))
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }
}
