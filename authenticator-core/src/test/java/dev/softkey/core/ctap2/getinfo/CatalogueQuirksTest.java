package dev.softkey.core.ctap2.getinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.InvalidProfileException;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Quirks.GetInfoMember;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ConfigRequest;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The getInfo quirks and UV settings the catalogue's models need (CTAP 2.1 section 6.4), each on
 * and off: options left out or reported false, members added or left out, the preview bio option,
 * and the UV-token permissions behind uvBioEnroll and uvAcfg.
 */
class CatalogueQuirksTest {
  static final String PIN = "quirks-4711";

  static Profile builtIn(String id) {
    return Profiles.builtIn(id).orElseThrow();
  }

  static Device device(Profile p) {
    return TestDevices.build(Authenticator.builder().profile(p).presence(Presence.approve()).finger(Fingers.enrolled()));
  }

  static Device fresh(Profile p) {
    return TestDevices.build(Authenticator.builder().profile(p).presence(Presence.approve()).noEnrolledFingerprint());
  }

  static CborMap info(Device d) {
    return d.client().send(CtapCommand.GET_INFO, null).ok();
  }

  static Map<Object, Object> options(Device d) {
    return info(d).map(0x04L).asMap();
  }

  static PlatformPin pin(Device d, Profile p) {
    return new PlatformPin(
        req -> d.authenticator().process(req, OperationContext.INTERNAL),
        p.getInfo().pinUvAuthProtocols().get(0),
        p.getInfo().supports(dev.softkey.core.profile.CtapVersion.FIDO_2_1),
        RandomSource.seeded(5));
  }

  @Nested
  class GetInfoOmitsOptions {
    @Test
    void platAndUp_areLeftOut_asTheTitanV2ReportsOnlyRkAndClientPin() {
      assertThat(options(fresh(builtIn("titan-v2")))).containsOnlyKeys("rk", "clientPin");
      Profile without = builtIn("titan-v2").toBuilder().getInfoOmitsOptions(Set.of()).build();
      assertThat(options(fresh(without))).containsEntry("plat", false).containsEntry("up", true);
    }

    @Test
    void anOptionWhoseAbsenceChangesItsMeaning_isRejected() {
      Profile bad = builtIn("titan-v2").toBuilder().getInfoOmitsOptions(Set.of("clientPin")).build();
      assertThatThrownBy(bad::validate).isInstanceOf(InvalidProfileException.class).hasMessageContaining("quirks.getInfoOmitsOptions");
    }
  }

  @Nested
  class GetInfoFalseOptions {
    @Test
    void largeBlobsFalse_isReported_andTheCommandStaysAbsent() {
      Device d = fresh(builtIn("nitrokey-3"));
      assertThat(options(d)).containsEntry("largeBlobs", false);
      assertThat(d.client().sendRaw(LargeBlobsRequest.get(0, 17).encode()).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      Profile without = builtIn("nitrokey-3").toBuilder().getInfoFalseOptions(Set.of()).build();
      assertThat(options(fresh(without))).doesNotContainKey("largeBlobs");
    }

    @Test
    void noMcGaFalse_isReported_andGetPinTokenTokensStillCarryMcAndGa() {
      Profile p = builtIn("feitian-epass-ctap21");
      Device d = fresh(p);
      assertThat(options(d)).containsEntry("noMcGaPermissionsWithClientPin", false);
      PlatformPin pin = pin(d, p);
      pin.setPin(PIN);
      PinToken legacy = pin.getPinToken(PIN);
      Map<Object, Object> mc = dev.softkey.core.testing.CtapTestClient.makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
      mc.put(8L, legacy.authenticate(((dev.softkey.ctap.model.Bytes) mc.get(1L)).toArray()));
      mc.put(9L, (long) legacy.protocol());
      assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, mc).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void aFeatureTheModelHas_cannotBeReportedFalse() {
      Profile bad = builtIn("yubikey-5-nfc-5-7-1").toBuilder().getInfoFalseOptions(Set.of("largeBlobs")).build();
      assertThatThrownBy(bad::validate).isInstanceOf(InvalidProfileException.class).hasMessageContaining("largeBlobs is reported true");
      Profile unknown = builtIn("generic").toBuilder().getInfoFalseOptions(Set.of("clientPin")).build();
      assertThatThrownBy(unknown::validate).isInstanceOf(InvalidProfileException.class).hasMessageContaining("quirks.getInfoFalseOptions");
    }
  }

  @Nested
  class GetInfoAdds {
    @Test
    void minPinLength_isReportedByAPreviewModel_onlyWithTheQuirk() {
      Profile fips = builtIn("yubikey-5-fips-5-4");
      assertThat(info(fresh(fips)).longValue(0x0DL)).isEqualTo(6);
      assertThat(info(fresh(fips.toBuilder().getInfoAdds(Set.of()).build())).has(0x0DL)).isFalse();
    }

    @Test
    void aMemberBothAddedAndOmitted_isRejected() {
      Profile bad = builtIn("yubikey-5").toBuilder().getInfoOmits(Set.of(GetInfoMember.MIN_PIN_LENGTH)).build();
      assertThatThrownBy(bad::validate).isInstanceOf(InvalidProfileException.class).hasMessageContaining("both name minPINLength");
    }
  }

  @Nested
  class OmittedForcePinChange {
    @Test
    void isLeftOutWhileFalse_andReportedOnceAChangeIsForced() {
      Profile p = builtIn("yubikey-5-nfc-5-7-1");
      Device d = fresh(p);
      assertThat(info(d).has(0x0CL)).as("factory state, as the MDS shows").isFalse();
      PlatformPin pin = pin(d, p);
      pin.setPin(PIN);
      PinToken t = pin.getPinUvAuthToken(PIN, Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty());
      ConfigRequest force = ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.empty(), List.of(), Optional.of(true)));
      assertThat(d.client().sendRaw(force.withPinUvAuth(t.protocol(), t.authenticate(force.pinUvAuthMessage().toArray())).encode()).status())
          .isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(info(d).optBool(0x0CL)).contains(true);
    }
  }

  @Nested
  class UserVerificationMgmtPreviewAlwaysTrue {
    @Test
    void thePreviewOptionIsTrue_whileBioEnrollAndUvAreFalse() {
      Map<Object, Object> o = options(fresh(builtIn("thales-idprime-bio")));
      assertThat(o).containsEntry("userVerificationMgmtPreview", true).containsEntry("bioEnroll", false).containsEntry("uv", false);
      Profile without = builtIn("thales-idprime-bio").toBuilder().userVerificationMgmtPreviewAlwaysTrue(false).build();
      assertThat(options(fresh(without))).containsEntry("userVerificationMgmtPreview", false);
    }
  }

  @Nested
  class UvTokenPermissions {
    @Test
    void step4_withoutUvBioEnroll_theBePermissionFromBuiltInUv_isUnauthorized() {
      Profile yk = builtIn("yubikey-bio-5-7");
      Device d = device(yk);
      assertThat(options(d)).doesNotContainKey("uvBioEnroll").containsEntry("bioEnroll", true);
      assertThatThrownBy(() -> pin(d, yk).getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty()))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION));
      assertThat(pin(d, yk).getUvToken(Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com")).token().length()).isPositive();
      Profile thales = builtIn("thales-idprime-bio");
      Device t = device(thales);
      assertThat(options(t)).containsEntry("uvBioEnroll", true);
      assertThat(pin(t, thales).getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty()).token().length()).isPositive();
    }

    @Test
    void step4_withoutUvAcfg_theAcfgPermissionFromBuiltInUv_isUnauthorized() {
      Profile yk = builtIn("yubikey-bio-5-7");
      Device d = device(yk);
      assertThat(options(d)).containsEntry("authnrCfg", true).doesNotContainKey("uvAcfg");
      assertThatThrownBy(() -> pin(d, yk).getUvToken(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty()))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION));
      Profile bio = builtIn("bio");
      Device b = device(bio);
      assertThat(options(b)).containsEntry("uvAcfg", true);
      assertThat(pin(b, bio).getUvToken(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty()).token().length()).isPositive();
    }

    @Test
    void step6_preferredPlatformUvAttemptsAbove1_makesOneAttemptPerRequest() {
      // YubiKey Bio: 3 attempts for the platform, so internalRetry is false and a wrong finger
      // ends the request (CTAP2_ERR_UV_INVALID); bio (1) retries internally and succeeds.
      Profile yk = builtIn("yubikey-bio-5-7");
      assertThat(info(device(yk)).longValue(0x11L)).isEqualTo(3);
      Device d = TestDevices.build(Authenticator.builder().profile(yk).presence(Presence.approve()).finger(Fingers.unknownThenEnrolled(1)));
      assertThatThrownBy(() -> pin(d, yk).getUvToken(Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com")))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UV_INVALID));
      Profile bio = builtIn("bio");
      Device b = TestDevices.build(Authenticator.builder().profile(bio).presence(Presence.approve()).finger(Fingers.unknownThenEnrolled(1)));
      assertThat(pin(b, bio).getUvToken(Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com")).token().length()).isPositive();
    }
  }
}
