package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.credentialId;
import static dev.softkey.core.extension.ExtensionKey.outputs;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** credBlob (CTAP 2.1 section 12.2) and getInfo maxCredBlobLength (0x0F). */
class CredBlobExtensionTest {
  final ExtensionKey key = new ExtensionKey(Profiles.defaultProfile());

  static Bytes blob(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0xB1);
    return Bytes.wrap(b);
  }

  static Map<Object, Object> credBlob(Object v) {
    return map("credBlob", v);
  }

  @Test
  void getInfo_reportsMaxCredBlobLength_fromTheProfile() {
    assertThat(key.dev.client().send(CtapCommand.GET_INFO, null).ok().longValue(0x0F)).isEqualTo(32);
    ExtensionKey big = new ExtensionKey(Profiles.defaultProfile().toBuilder().maxCredBlobLength(OptionalInt.of(64)).build());
    assertThat(big.dev.client().send(CtapCommand.GET_INFO, null).ok().longValue(0x0F)).isEqualTo(64);
  }

  @Test
  void getInfo_withoutCredBlob_hasNoMaxCredBlobLength() {
    Profile p = Profiles.builtIn("yubikey-5").orElseThrow();
    assertThat(new ExtensionKey(p).dev.client().send(CtapCommand.GET_INFO, null).ok().has(0x0F)).isFalse();
  }

  @Nested
  class MakeCredential {
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 32})
    void upToMaxCredBlobLength_isKept_andTheOutputIsTrue(int n) {
      CborMap r = key.mc(new byte[] {1}, true, credBlob(blob(n)), false).ok();
      assertThat(outputs(r)).containsEntry("credBlob", true);
      assertThat(key.ga(null, map("credBlob", true), false).ok()).satisfies(a -> assertThat(outputs(a)).containsEntry("credBlob", blob(n)));
    }

    @Test
    void longerThanMaxCredBlobLength_isNotKept_andTheOutputIsFalse() {
      CborMap r = key.mc(new byte[] {1}, true, credBlob(blob(33)), false).ok();
      assertThat(outputs(r)).containsEntry("credBlob", false);
      assertThat(key.dev.store().all().get(0).extensionData()).doesNotContainKey("credBlob");
      assertThat(outputs(key.ga(null, map("credBlob", true), false).ok())).containsEntry("credBlob", Bytes.EMPTY);
    }

    @Test
    void aBlobThatIsNotAByteString_isCborUnexpectedType() {
      assertThat(key.mc(new byte[] {1}, true, credBlob("text"), false).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }

  @Nested
  class GetAssertion {
    @Test
    void nonDiscoverable_theBlobTravelsInsideTheSealedId() {
      Bytes id = credentialId(key.mc(new byte[] {1}, false, credBlob(blob(32)), false).ok());
      assertThat(key.dev.store().count()).isZero();
      assertThat(outputs(key.ga(List.of(id), map("credBlob", true), false).ok())).containsEntry("credBlob", blob(32));
      assertThat(id.length()).isLessThanOrEqualTo(384); // generic's maxCredentialIdLength
    }

    @Test
    void aCredentialWithoutBlob_answersAnEmptyByteString() {
      key.mc(new byte[] {1}, true, null, false).ok();
      assertThat(outputs(key.ga(null, map("credBlob", true), false).ok())).containsExactly(Map.entry("credBlob", Bytes.EMPTY));
    }

    @Test
    void falseOrNoInput_noOutput() {
      key.mc(new byte[] {1}, true, credBlob(blob(4)), false).ok();
      assertThat(outputs(key.ga(null, map("credBlob", false), false).ok())).isEmpty();
      assertThat(outputs(key.ga(null, null, false).ok())).isEmpty();
    }

    @Test
    void anInputThatIsNotABoolean_isCborUnexpectedType() {
      key.mc(new byte[] {1}, true, credBlob(blob(4)), false).ok();
      assertThat(key.ga(null, map("credBlob", 1L), false).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void eachCredential_answersItsOwnBlob_throughGetNextAssertion() {
      key.mc(new byte[] {1}, true, credBlob(blob(3)), false).ok();
      key.dev.clock().advance(java.time.Duration.ofSeconds(1));
      key.mc(new byte[] {2}, true, credBlob(blob(5)), false).ok();
      CborMap first = key.ga(null, map("credBlob", true), false).ok();
      CborMap second = key.dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).ok();
      assertThat(outputs(first)).containsEntry("credBlob", blob(5)); // newest first
      assertThat(outputs(second)).containsEntry("credBlob", blob(3));
    }
  }

  /**
   * A model with a short maxCredentialIdLength: the YubiKey Bio's 128 bytes cannot hold a 32-byte
   * blob next to an EdDSA key, so a non-discoverable credential declines it (output false) while a
   * discoverable one keeps it in its stored record.
   */
  @Nested
  class ShortCredentialIds {
    final ExtensionKey bio = new ExtensionKey(Profiles.builtIn("bio").orElseThrow());

    @Test
    void nonDiscoverable_tooLongForTheId_isNotKept_andTheOutputIsFalse() {
      CborMap r = bio.mc(ExtensionKey.RP, new byte[] {1}, false, credBlob(blob(32)), false, -8L).ok();
      assertThat(outputs(r)).containsEntry("credBlob", false);
      Bytes id = credentialId(r);
      assertThat(id.length()).isLessThanOrEqualTo(128);
      assertThat(outputs(bio.ga(List.of(id), map("credBlob", true), false).ok())).containsEntry("credBlob", Bytes.EMPTY);
    }

    @Test
    void nonDiscoverable_aShortBlobStillFits() {
      CborMap r = bio.mc(ExtensionKey.RP, new byte[] {1}, false, credBlob(blob(8)), false, -7L).ok();
      assertThat(outputs(r)).containsEntry("credBlob", true);
      Bytes id = credentialId(r);
      assertThat(id.length()).isLessThanOrEqualTo(128);
      assertThat(outputs(bio.ga(List.of(id), map("credBlob", true), false).ok())).containsEntry("credBlob", blob(8));
    }

    @Test
    void discoverable_isKeptInTheStoredRecord_andTheIdStaysShort() {
      bio.withPin();
      CborMap r = bio.mc(ExtensionKey.RP, new byte[] {1}, true, credBlob(blob(32)), true, -8L).ok();
      assertThat(outputs(r)).containsEntry("credBlob", true);
      assertThat(credentialId(r).length()).isLessThanOrEqualTo(128);
      assertThat(outputs(bio.ga(null, map("credBlob", true), true).ok())).containsEntry("credBlob", blob(32));
    }
  }
}
