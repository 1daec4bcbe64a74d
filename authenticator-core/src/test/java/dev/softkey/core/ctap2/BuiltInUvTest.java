package dev.softkey.core.ctap2;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.bio.SimulatedFinger.EnrolledFinger;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.bio.SimulatedFinger.UnknownFinger;
import dev.softkey.core.OperationContext;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in user verification on the {@code bio} profile, through the whole engine: getInfo (CTAP
 * 2.1 section 6.4), the "uv" option of makeCredential (section 6.1.2 steps 5 and 11.2) and
 * getAssertion (section 6.2.2 steps 4 and 6.2), getUVRetries (section 6.5.5.3) and uvRetries
 * across restarts (section 6.5.2.3).
 */
class BuiltInUvTest {
  private static final Profile BIO = Profiles.builtIn("bio").orElseThrow();
  private static final byte[] USER = {7, 7};

  private final AtomicInteger touches = new AtomicInteger();
  private final UserPresence countingPresence =
      (r, ctx) -> {
        touches.incrementAndGet();
        return UserPresence.Result.APPROVED;
      };

  private Device bio(SimulatedFinger verifier) {
    return TestDevices.build(Authenticator.builder().profile(BIO).presence(countingPresence).finger(verifier));
  }

  private static CtapTestClient.Response mc(Device d, Map<Object, Object> options) {
    return d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", USER, List.of(-7L), options));
  }

  private static CtapTestClient.Response ga(Device d, Map<Object, Object> options) {
    return d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, options));
  }

  private static int flags(CborMap response, int authDataKey) {
    return response.bytes(authDataKey).toArray()[32] & 0xFF;
  }

  /** getUVRetries (0x07) over CTAP. */
  private static long uvRetries(CtapTestClient client) {
    return client
        .send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 7L))
        .ok()
        .longValue(ClientPinResponse.UV_RETRIES);
  }

  private static CborMap options(CtapTestClient client) {
    return client.send(CtapCommand.GET_INFO, null).ok().map(0x04L);
  }

  /** Fails until uvRetries is 0; each makeCredential spends the internal attempts. */
  private static void blockBuiltInUv(Device d) {
    while (uvRetries(d.client()) > 0) {
      assertThat(mc(d, map("uv", true)).status()).isIn(CtapStatus.CTAP2_ERR_OPERATION_DENIED, CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    }
  }

  @Nested
  class GetInfo {
    @Test
    void bio_advertisesUvPinUvAuthTokenAndBioEnrollment() {
      CborMap info = TestDevices.build(Authenticator.builder().profile(BIO)).client().send(CtapCommand.GET_INFO, null).ok();
      CborMap o = info.map(0x04L);
      assertThat(o.optBool("uv")).as("one pre-enrolled template").contains(true);
      assertThat(o.optBool("pinUvAuthToken")).contains(true);
      assertThat(o.optBool("clientPin")).contains(false);
      assertThat(o.optBool("bioEnroll")).as("a template is enrolled").contains(true);
      assertThat(o.optBool("uvBioEnroll")).contains(true);
      assertThat(o.optBool("userVerificationMgmtPreview")).as("FIDO_2_1_PRE: the prototype command 0x40").contains(true);
      assertThat(info.longValue(0x11L)).as("preferredPlatformUvAttempts").isEqualTo(1);
      assertThat(info.longValue(0x12L)).as("uvModality: USER_VERIFY_FINGERPRINT_INTERNAL").isEqualTo(0x02);
    }

    @Test
    void uvStaysTrue_whileBuiltInUvIsBlocked() {
      Device d = bio(Fingers.unknown());
      blockBuiltInUv(d);
      assertThat(options(d.client()).optBool("uv")).contains(true);
    }

    @Test
    void noEnrolledFingerprint_uvIsFalse() {
      Device d = TestDevices.build(Authenticator.builder().profile(BIO).noEnrolledFingerprint());
      assertThat(options(d.client()).optBool("uv")).contains(false);
    }

    @Test
    void profileWithoutBuiltInUv_omitsUvAndTheUvMembers() {
      CborMap info = TestDevices.generic().client().send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.map(0x04L).has("uv")).isFalse();
      assertThat(info.has(0x11L)).isFalse();
      assertThat(info.has(0x12L)).isFalse();
    }
  }

  @Nested
  class MakeCredential {
    @Test
    void step11_2_builtInUv_setsUvAndUp_withoutAPinOrASecondTouch() {
      Device d = bio(Fingers.enrolled());
      CborMap r = mc(d, map("rk", true, "uv", true)).ok();
      assertThat(flags(r, 2) & (AuthenticatorData.UP | AuthenticatorData.UV))
          .isEqualTo(AuthenticatorData.UP | AuthenticatorData.UV);
      assertThat(touches).as("step 12: the fingerprint is the user's presence").hasValue(0);
      assertThat(d.store().count()).isEqualTo(1);
    }

    @Test
    void step11_2_defaultVerifier_followsThePresencePolicy() {
      Device approve = TestDevices.build(Authenticator.builder().profile(BIO).presence(Presence.approve()));
      assertThat(flags(mc(approve, map("uv", true)).ok(), 2) & AuthenticatorData.UV).isNotZero();
      Device deny = TestDevices.build(Authenticator.builder().profile(BIO).presence(Presence.deny()));
      assertThat(mc(deny, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(uvRetries(deny.client())).as("deny is another finger").isEqualTo(8 - ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
    }

    @Test
    void step11_2_secondFingerWithinTheInternalRetries_succeeds() {
      Device d = bio(Fingers.unknownThenEnrolled(2));
      assertThat(flags(mc(d, map("uv", true)).ok(), 2) & AuthenticatorData.UV).isNotZero();
      assertThat(uvRetries(d.client())).as("a success restores uvRetries").isEqualTo(8);
    }

    @Test
    void step11_builtInUvFails_returnsOperationDenied_andDecrementsUvRetries() {
      Device d = bio(Fingers.unknown());
      assertThat(mc(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(uvRetries(d.client())).isEqualTo(5);
      assertThat(d.store().count()).isZero();
    }

    @Test
    void step11_2_3_2_uvRetriesZero_returnsPinBlocked_afterMaxUvRetriesFailures() {
      Device d = bio(Fingers.unknown());
      CtapStatus[] expected = {
        CtapStatus.CTAP2_ERR_OPERATION_DENIED, CtapStatus.CTAP2_ERR_OPERATION_DENIED, CtapStatus.CTAP2_ERR_PIN_BLOCKED
      };
      for (CtapStatus s : expected) {
        assertThat(mc(d, map("uv", true)).status()).isEqualTo(s);
      }
      assertThat(uvRetries(d.client())).isZero();
      assertThat(mc(d, map("uv", true)).status()).as("still blocked").isEqualTo(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    }

    @Test
    void step11_2_3_1_noFinger_returnsUserActionTimeout_withoutSpendingARetry() {
      Device d = bio(Fingers.touches(List.of(new NoFinger())));
      assertThat(mc(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      assertThat(uvRetries(d.client())).isEqualTo(8);
    }

    @Test
    void step5_uvWithoutAnEnrolledTemplate_returnsInvalidOption() {
      Device d = TestDevices.build(Authenticator.builder().profile(BIO).noEnrolledFingerprint());
      assertThat(mc(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }

    @Test
    void step6_protectedByBuiltInUv_discoverableWithoutUv_returnsPuatRequired() {
      Device d = bio(Fingers.enrolled());
      assertThat(mc(d, map("rk", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      CborMap r = mc(d, null).ok();
      assertThat(flags(r, 2) & AuthenticatorData.UV).as("makeCredUvNotRqd: non-discoverable without UV").isZero();
    }

    @Test
    void step11_1_tokenFromBuiltInUv_setsUv() {
      Device d = bio(Fingers.enrolled());
      PinToken token = platformPin(d).getUvToken(Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com"));
      Map<Object, Object> params = makeCredential("example.com", USER, List.of(-7L), map("rk", true));
      params.put(0x08L, token.authenticate(((Bytes) params.get(1L)).toArray()));
      params.put(0x09L, (long) token.protocol());
      CborMap r = d.client().send(CtapCommand.MAKE_CREDENTIAL, params).ok();
      assertThat(flags(r, 2) & (AuthenticatorData.UP | AuthenticatorData.UV))
          .isEqualTo(AuthenticatorData.UP | AuthenticatorData.UV);
      assertThat(touches).as("the token's user-present flag stands for the touch").hasValue(0);
    }
  }

  @Nested
  class GetAssertion {
    @Test
    void step6_2_builtInUv_setsUvAndUp() {
      Device d = bio(Fingers.enrolled());
      mc(d, map("rk", true, "uv", true)).ok();
      CborMap r = ga(d, map("uv", true)).ok();
      assertThat(flags(r, 2) & (AuthenticatorData.UP | AuthenticatorData.UV))
          .isEqualTo(AuthenticatorData.UP | AuthenticatorData.UV);
      assertThat(touches).hasValue(0);
    }

    @Test
    void step6_builtInUvFails_returnsOperationDenied_andDecrementsUvRetries() {
      Device d = bio(Fingers.touches(List.of(new EnrolledFinger(), new UnknownFinger())));
      mc(d, map("rk", true, "uv", true)).ok();
      assertThat(ga(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(uvRetries(d.client())).isEqualTo(5);
    }

    @Test
    void step6_2_3_2_blocked_returnsPinBlocked_butUpOnlyStillWorks() {
      Device d = bio(Fingers.touches(List.of(new EnrolledFinger(), new UnknownFinger())));
      mc(d, map("rk", true, "uv", true)).ok();
      blockBuiltInUv(d);
      assertThat(ga(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      CborMap r = ga(d, null).ok();
      assertThat(flags(r, 2) & AuthenticatorData.UV).isZero();
      assertThat(touches).hasValue(1);
    }

    @Test
    void step4_uvWithoutAnEnrolledTemplate_returnsInvalidOption() {
      Device d = TestDevices.build(Authenticator.builder().profile(BIO).noEnrolledFingerprint());
      assertThat(ga(d, map("uv", true)).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }
  }

  @Nested
  class Persistence {
    @TempDir Path dir;

    private Authenticator open(FileStore fs, SimulatedFinger verifier) {
      return Authenticator.builder().profile(BIO).store(fs).finger(verifier).seed(3).build();
    }

    @Test
    void uvRetries_surviveAProcessRestart_withAFileStore() throws Exception {
      try (FileStore fs = FileStore.open(dir, Optional.empty())) {
        CtapTestClient c = new CtapTestClient(open(fs, Fingers.unknown()));
        assertThat(c.send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", USER, List.of(-7L), map("uv", true))).status())
            .isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
        assertThat(uvRetries(c)).isEqualTo(5);
      }
      try (FileStore fs = FileStore.open(dir, Optional.empty())) {
        CtapTestClient c = new CtapTestClient(open(fs, Fingers.unknown()));
        assertThat(uvRetries(c)).isEqualTo(5);
        for (int i = 0; i < 2; i++) {
          c.send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", USER, List.of(-7L), map("uv", true)));
        }
        assertThat(uvRetries(c)).isZero();
      }
      try (FileStore fs = FileStore.open(dir, Optional.empty())) {
        Authenticator a = open(fs, Fingers.enrolled());
        CtapTestClient c = new CtapTestClient(a);
        assertThat(uvRetries(c)).as("still blocked after a restart").isZero();
        a.powerCycle();
        assertThat(c.send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", USER, List.of(-7L), map("uv", true))).status())
            .as("and after a power cycle, even with the right finger")
            .isEqualTo(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      }
    }
  }

  /** softkey's platform PIN client over the device's CTAP bytes. */
  private static PlatformPin platformPin(Device d) {
    return new PlatformPin(
        req -> d.authenticator().process(req, OperationContext.INTERNAL), 2, true, RandomSource.seeded(9));
  }
}
