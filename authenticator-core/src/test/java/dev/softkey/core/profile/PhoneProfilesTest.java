package dev.softkey.core.profile;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.presence.Presence;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The phone passkey provider profiles (hybrid role): built-in UV that no CTAP command enrolls
 * (management.bioEnrollment false), attestation none, BE/BS by provider, counter 0, sources named.
 */
class PhoneProfilesTest {
  static final List<String> PHONES = List.of("ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain");

  static Device phone(String id) {
    return TestDevices.build(Profiles.load(id), Presence.approve());
  }

  @Nested
  class GetInfo {
    @ParameterizedTest
    @ValueSource(strings = {"ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain"})
    void reportsUv_withoutABioEnrollmentOption_andHybridTransports(String id) {
      CborMap info = phone(id).client().send(CtapCommand.GET_INFO, null).ok();
      Map<Object, Object> options = CborMap.asMap(info.asMap().get(4L)).asMap();
      assertThat(options).containsEntry("uv", true).doesNotContainKeys("bioEnroll", "userVerificationMgmtPreview", "credMgmt");
      assertThat(info.asMap().get(9L)).isEqualTo(List.of("hybrid", "internal"));
      assertThat(info.bytes(3)).isEqualTo(Bytes.fromUuid(Profiles.load(id).identity().aaguid()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ms-authenticator-ios", "google-password-manager"})
    void bioEnrollmentCommands_areInvalidCommand(String id) {
      Device d = phone(id);
      assertThat(d.client().send(CtapCommand.BIO_ENROLLMENT, map(1, 1L, 2, 7L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      assertThat(d.client().send(CtapCommand.BIO_ENROLLMENT_PREVIEW, map(1, 1L, 2, 7L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }
  }

  @Nested
  class NewCredentials {
    @ParameterizedTest
    @ValueSource(strings = {"ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain"})
    void attestationNone_backupFlagsAsTheProfile_counterZero_uvByThePhone(String id) {
      Profile p = Profiles.load(id);
      CborMap r = phone(id).client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true, "uv", true))).ok();
      assertThat(r.asMap().get(1L)).isEqualTo("none");
      AuthenticatorData ad = AuthenticatorData.parse(r.bytes(2));
      assertThat(ad.flags() & AuthenticatorData.UV).isNotZero();
      assertThat((ad.flags() & AuthenticatorData.BE) != 0).isEqualTo(p.credentials().backupEligible());
      assertThat((ad.flags() & AuthenticatorData.BS) != 0).isEqualTo(p.credentials().backupState());
      assertThat(ad.signCount()).isZero();
      assertThat(ad.attestedCredentialData().orElseThrow().aaguid()).isEqualTo(p.identity().aaguid());
    }

    @Test
    void syncedProviders_areBackedUp_deviceBoundOnesAreNot() {
      assertThat(Profiles.load("google-password-manager").credentials()).isEqualTo(new Profile.Credentials(SignCounter.ZERO, true, true));
      assertThat(Profiles.load("icloud-keychain").credentials()).isEqualTo(new Profile.Credentials(SignCounter.ZERO, true, true));
      assertThat(Profiles.load("ms-authenticator-ios").credentials().backupEligible()).isFalse();
      assertThat(Profiles.load("ms-authenticator-android").credentials().backupEligible()).isFalse();
    }
  }

  @Nested
  class Sources {
    @Test
    void everyPhone_isUnpublished_namesItsAaguidSource_andSaysWhatIsAssumed() {
      for (String id : PHONES) {
        Profile p = Profiles.load(id);
        assertThat(p.metadata().published()).as(id).isFalse();
        assertThat(p.identity().source()).as(id).contains("passkeydeveloper/passkey-authenticator-aaguids", "assumption");
        assertThat(p.attestation().format()).as(id).isEqualTo(AttestationFormat.NONE);
      }
    }

    @Test
    void bioEnrollmentFalse_withoutBuiltInUv_isInvalid() {
      Profile bad = Profiles.defaultProfile().toBuilder().bioEnrollment(false).build();
      org.assertj.core.api.Assertions.assertThatThrownBy(bad::validate).hasMessageContaining("management.bioEnrollment");
    }
  }
}
