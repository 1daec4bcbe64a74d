package dev.softkey.core.ctap2.bio;

import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.bio.SimulatedFinger.FingerOf;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommand;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommandParams;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.bio.PlatformBio;
import dev.softkey.platform.bio.PlatformBio.Enrollment;
import dev.softkey.platform.bio.PlatformBio.Sample;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** authenticatorBioEnrollment (CTAP 2.1 section 6.7), through PlatformPin and PlatformBio, and raw. */
class BioEnrollmentHandlerTest {
  private static final Profile BIO = Profiles.builtIn("bio").orElseThrow();
  private static final String PIN = "1234";
  private static final Bytes ID_1 = Bytes.of(new byte[] {1});
  private static final Bytes ID_2 = Bytes.of(new byte[] {2});

  private final MemoryStore store = new MemoryStore();
  private final MutableClock clock = new MutableClock();

  /** A bio key on {@link #store}: no enrollment unless {@code preEnrolled}, {@code finger} on the sensor. */
  private final class Key {
    final Authenticator authenticator;
    final CtapTestClient client;
    final PlatformPin pin;

    Key(Profile profile, SimulatedFinger finger, boolean preEnrolled) {
      AuthenticatorBuilder b =
          Authenticator.builder().profile(profile).store(store).clock(clock).seed(9).presence(Presence.approve()).finger(finger);
      if (!preEnrolled) {
        b.noEnrolledFingerprint();
      }
      authenticator = b.build();
      client = new CtapTestClient(authenticator);
      pin = new PlatformPin(this::transact, 2, true, RandomSource.seeded(5));
    }

    byte[] transact(byte[] request) {
      return authenticator.process(request, OperationContext.INTERNAL);
    }

    PinToken beToken() {
      if (!options().optBool("clientPin").orElse(false)) {
        pin.setPin(PIN);
      }
      return pin.getPinUvAuthToken(PIN, Set.of(Permission.BIO_ENROLLMENT), Optional.empty());
    }

    PlatformBio bio() {
      return bio(CtapCommand.BIO_ENROLLMENT);
    }

    PlatformBio bio(CtapCommand command) {
      return new PlatformBio(this::transact, command, Optional.of(beToken()));
    }

    PlatformBio bioWithoutToken() {
      return new PlatformBio(this::transact, CtapCommand.BIO_ENROLLMENT, Optional.empty());
    }

    CborMap info() {
      return client.send(CtapCommand.GET_INFO, null).ok();
    }

    CborMap options() {
      return info().map(0x04L);
    }

    /** A request signed with {@code token} over modality || subCommand || subCommandParams. */
    CtapTestClient.Response send(PinToken token, SubCommand sub, Optional<SubCommandParams> params) {
      BioEnrollmentRequest r = BioEnrollmentRequest.of(sub);
      if (params.isPresent()) {
        r = r.withSubCommandParams(params.get());
      }
      r = r.withPinUvAuth(token.protocol(), token.authenticate(r.pinUvAuthMessage().unsafeArray()));
      return client.send(CtapCommand.BIO_ENROLLMENT, r.toCbor());
    }
  }

  private Key newKey() {
    return new Key(BIO, Fingers.enrolled(), false);
  }

  private static void assertStatus(ThrowingCallable call, CtapStatus status) {
    assertThatThrownBy(call).isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  private static Bytes enrollAll(PlatformBio bio) {
    return bio.enroll(Optional.empty(), Optional.empty(), 5, s -> {});
  }

  @Nested
  class GetInfoOptions {
    @Test
    void beforeAnyEnrollment_bioEnrollAndUvAreFalse_supportedButNotConfigured() {
      CborMap o = newKey().options();
      assertThat(o.optBool("bioEnroll")).contains(false);
      assertThat(o.optBool("userVerificationMgmtPreview")).contains(false);
      assertThat(o.optBool("uv")).contains(false);
      assertThat(o.optBool("uvBioEnroll")).contains(true);
    }

    @Test
    void afterAnEnrollment_bioEnrollUvAndThePreviewOptionAreTrue() {
      Key k = newKey();
      enrollAll(k.bio());
      CborMap o = k.options();
      assertThat(o.optBool("bioEnroll")).contains(true);
      assertThat(o.optBool("userVerificationMgmtPreview")).contains(true);
      assertThat(o.optBool("uv")).contains(true);
    }

    @Test
    void profileWithoutBuiltInUv_hasNeitherCommand_norTheOptions() {
      CtapTestClient c = new CtapTestClient(Authenticator.builder().build());
      assertThat(c.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 7L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      assertThat(c.send(CtapCommand.BIO_ENROLLMENT_PREVIEW, map(1L, 1L, 2L, 7L)).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      CborMap o = c.send(CtapCommand.GET_INFO, null).ok().map(0x04L);
      assertThat(o.has("bioEnroll")).isFalse();
      assertThat(o.has("userVerificationMgmtPreview")).isFalse();
      assertThat(o.has("uvBioEnroll")).isFalse();
    }

    @Test
    void fido21OnlyProfile_hasNoPreviewCommand() {
      Profile noPre = BIO.toBuilder().versions(CtapVersion.FIDO_2_0, CtapVersion.FIDO_2_1).build();
      Key k = new Key(noPre, Fingers.enrolled(), false);
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT_PREVIEW, map(1L, 1L, 2L, 7L)).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      assertThat(k.options().has("userVerificationMgmtPreview")).isFalse();
      assertThat(k.options().optBool("bioEnroll")).contains(false);
    }
  }

  @Nested
  class GetModalityAndSensorInfo {
    @Test
    void getModality_isFingerprint() {
      assertThat(newKey().bioWithoutToken().modality()).isEqualTo(BioEnrollmentRequest.MODALITY_FINGERPRINT);
    }

    @Test
    void getFingerprintSensorInfo_reportsTheProfilesSensor_withoutAToken() {
      PlatformBio.SensorInfo info = newKey().bioWithoutToken().sensorInfo();
      Profile.Fingerprint f = BIO.management().fingerprint().orElseThrow();
      assertThat(info.fingerprintKind()).isEqualTo(f.kind().wire());
      assertThat(info.maxCaptureSamplesRequiredForEnroll()).isEqualTo(f.samplesForEnrollment());
      assertThat(info.maxTemplateFriendlyName()).contains((long) f.maxTemplateFriendlyName());
    }

    @Test
    void missingModality_isMissingParameter_otherModality_isUnsupportedOption() {
      Key k = newKey();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(2L, 7L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 2L, 2L, 7L)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    }

    @Test
    void unknownSubCommand_isInvalidSubcommand() {
      Key k = newKey();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 8L)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }
  }

  @Nested
  class TokenSteps {
    @Test
    void step1_noPinUvAuthParam_isPuatRequired() {
      Key k = newKey();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 4L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    }

    @Test
    void step1_noPinUvAuthProtocol_isMissingParameter() {
      Key k = newKey();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 4L, 5L, new byte[32])).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void step2_unsupportedPinUvAuthProtocol_isInvalidParameter() {
      Key k = newKey();
      k.beToken();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 4L, 4L, 3L, 5L, new byte[32])).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step3_pinUvAuthParamOverOtherBytes_isPinAuthInvalid() {
      Key k = newKey();
      PinToken t = k.beToken();
      // Signed over enumerateEnrollments, sent as removeEnrollment.
      Bytes param = t.authenticate(new byte[] {1, 4});
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 6L, 3L, map(1L, ID_1), 4L, 2L, 5L, param)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void step4_tokenWithoutBe_isPinAuthInvalid() {
      Key k = newKey();
      k.beToken();
      PinToken mcGa = k.pin.getPinToken(PIN);
      assertThat(k.send(mcGa, SubCommand.ENUMERATE_ENROLLMENTS, Optional.empty()).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }
  }

  @Nested
  class EnrollBegin {
    @Test
    void firstGoodSample_returnsTheNewTemplateId_statusAndRemainingSamples() {
      Key k = newKey();
      Sample s = k.bio().enrollBegin(Optional.empty());
      assertThat(s.templateId()).contains(ID_1);
      assertThat(s.status()).contains(EnrollSampleStatus.FP_GOOD);
      assertThat(s.remainingSamples()).isEqualTo(BIO.management().fingerprint().orElseThrow().samplesForEnrollment() - 1);
      assertThat(k.options().optBool("bioEnroll")).as("nothing stored before the last sample").contains(false);
    }

    @Test
    void templateIds_areTheSmallestFree() {
      Key k = new Key(BIO, Fingers.enrolled(), true);
      PlatformBio bio = k.bio();
      assertThat(enrollAll(bio)).isEqualTo(ID_2);
      bio.removeEnrollment(ID_1);
      assertThat(enrollAll(bio)).isEqualTo(ID_1);
    }

    @Test
    void step_fullDatabase_isFpDatabaseFull() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      int max = BIO.management().fingerprint().orElseThrow().maxTemplates();
      for (int i = 0; i < max; i++) {
        enrollAll(bio);
      }
      assertStatus(() -> bio.enrollBegin(Optional.empty()), CtapStatus.CTAP2_ERR_FP_DATABASE_FULL);
      assertThat(bio.enumerateEnrollments()).hasSize(max);
    }

    @Test
    void noFinger_isUserActionTimeout() {
      Key k = new Key(BIO, Fingers.withSamples(Fingers.enrolled(), List.of(new NoFinger())), false);
      assertStatus(() -> k.bio().enrollBegin(Optional.empty()), CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
    }

    @Test
    void timeoutMilliseconds_endsTheWaitForTheFinger() {
      Key k = new Key(BIO, Fingers.following(Presence.timeout(Duration.ofSeconds(10))), false);
      PlatformBio bio = k.bio();
      long start = System.nanoTime();
      assertStatus(() -> bio.enrollBegin(Optional.of(Duration.ofMillis(50))), CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBadFirstSample_countsNothing_butStartsTheEnrollment() {
      Key k = new Key(BIO, Fingers.withSampleStatuses(Fingers.enrolled(), List.of(EnrollSampleStatus.FP_TOO_FAST)), false);
      PlatformBio bio = k.bio();
      Sample s = bio.enrollBegin(Optional.empty());
      assertThat(s.status()).contains(EnrollSampleStatus.FP_TOO_FAST);
      assertThat(s.remainingSamples()).isEqualTo(4);
      assertThat(bio.enrollCaptureNextSample(s.templateId().orElseThrow(), Optional.empty()).remainingSamples()).isEqualTo(3);
    }
  }

  @Nested
  class EnrollCaptureNextSample {
    @Test
    void goodSamples_countDown_andTheLastOneStoresTheTemplate() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Sample first = bio.enrollBegin(Optional.empty());
      Bytes id = first.templateId().orElseThrow();
      List<Long> remaining = new ArrayList<>();
      for (long left = first.remainingSamples(); left > 0; ) {
        Sample s = bio.enrollCaptureNextSample(id, Optional.empty());
        assertThat(s.templateId()).isEmpty();
        left = s.remainingSamples();
        remaining.add(left);
      }
      assertThat(remaining).containsExactly(2L, 1L, 0L);
      assertThat(bio.enumerateEnrollments()).containsExactly(new Enrollment(id, Optional.of("")));
      assertThat(k.options().optBool("uv")).contains(true);
    }

    @ParameterizedTest
    @EnumSource(value = EnrollSampleStatus.class, names = "FP_GOOD", mode = EnumSource.Mode.EXCLUDE)
    void aSampleThatIsNotGood_reportsItsStatus_andKeepsRemainingSamples(EnrollSampleStatus status) {
      Key k = new Key(BIO, Fingers.withSampleStatuses(Fingers.enrolled(), List.of(EnrollSampleStatus.FP_GOOD, status)), false);
      PlatformBio bio = k.bio();
      Sample first = bio.enrollBegin(Optional.empty());
      Sample bad = bio.enrollCaptureNextSample(first.templateId().orElseThrow(), Optional.empty());
      assertThat(bad.statusCode()).isEqualTo(status.code());
      assertThat(bad.remainingSamples()).isEqualTo(first.remainingSamples());
    }

    @Test
    void noEnrollmentInProgress_isNotAllowed() {
      Key k = newKey();
      assertStatus(() -> k.bio().enrollCaptureNextSample(ID_1, Optional.empty()), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void anotherCommandInBetween_endsTheEnrollment() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes id = bio.enrollBegin(Optional.empty()).templateId().orElseThrow();
      k.info();
      assertStatus(() -> bio.enrollCaptureNextSample(id, Optional.empty()), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      assertThat(bio.enumerateEnrollments()).isEmpty();
    }

    @Test
    void afterTheEnrollmentTimer_isNotAllowed() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes id = bio.enrollBegin(Optional.empty()).templateId().orElseThrow();
      clock.advance(BioEnrollmentHandler.ENROLLMENT_TIMEOUT.plusSeconds(1));
      assertStatus(() -> bio.enrollCaptureNextSample(id, Optional.empty()), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void anotherTemplateId_isInvalidParameter_missingOne_isMissingParameter() {
      Key k = newKey();
      PinToken t = k.beToken();
      PlatformBio bio = k.bioWithoutToken().withToken(t);
      bio.enrollBegin(Optional.empty());
      assertStatus(() -> bio.enrollCaptureNextSample(ID_2, Optional.empty()), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
      SubCommandParams noId = new SubCommandParams(Optional.empty(), Optional.empty(), Optional.of(1000L));
      assertThat(k.send(t, SubCommand.ENROLL_CAPTURE_NEXT_SAMPLE, Optional.of(noId)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void noFinger_isUserActionTimeout_andTheEnrollmentGoesOn() {
      Key k = new Key(BIO, Fingers.withSamples(Fingers.enrolled(), List.of(new SimulatedFinger.Captured(EnrollSampleStatus.FP_GOOD), new NoFinger())), false);
      PlatformBio bio = k.bio();
      Sample first = bio.enrollBegin(Optional.empty());
      Bytes id = first.templateId().orElseThrow();
      assertStatus(() -> bio.enrollCaptureNextSample(id, Optional.empty()), CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      assertThat(bio.enrollCaptureNextSample(id, Optional.empty()).remainingSamples()).isEqualTo(first.remainingSamples() - 1);
    }
  }

  @Nested
  class CancelCurrentEnrollment {
    @Test
    void endsTheEnrollment_withoutAToken_andNothingIsStored() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes id = bio.enrollBegin(Optional.empty()).templateId().orElseThrow();
      k.bioWithoutToken().cancelCurrentEnrollment();
      assertStatus(() -> bio.enrollCaptureNextSample(id, Optional.empty()), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
      assertThat(bio.enumerateEnrollments()).isEmpty();
    }

    @Test
    void withoutAnEnrollment_isOk() {
      Key k = newKey();
      assertThat(k.client.send(CtapCommand.BIO_ENROLLMENT, map(1L, 1L, 2L, 3L)).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }
  }

  @Nested
  class EnumerateEnrollments {
    @Test
    void noEnrollment_isInvalidOption() {
      Key k = newKey();
      assertThat(k.send(k.beToken(), SubCommand.ENUMERATE_ENROLLMENTS, Optional.empty()).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }

    @Test
    void listsEveryTemplate_inEnrollmentOrder_withItsName() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes a = bio.enroll(Optional.of("left"), Optional.empty(), 5, s -> {});
      Bytes b = enrollAll(bio);
      assertThat(bio.enumerateEnrollments())
          .containsExactly(new Enrollment(a, Optional.of("left")), new Enrollment(b, Optional.of("")));
    }
  }

  @Nested
  class SetFriendlyName {
    @Test
    void renames_durably() {
      Key k = newKey();
      Bytes id = enrollAll(k.bio());
      k.bio().setFriendlyName(id, "right thumb");
      Key restarted = new Key(BIO, Fingers.enrolled(), true);
      assertThat(restarted.bio().enumerateEnrollments()).containsExactly(new Enrollment(id, Optional.of("right thumb")));
    }

    @Test
    void nameLongerThanMaxTemplateFriendlyName_isInvalidLength() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes id = enrollAll(bio);
      int max = BIO.management().fingerprint().orElseThrow().maxTemplateFriendlyName();
      bio.setFriendlyName(id, "x".repeat(max));
      assertStatus(() -> bio.setFriendlyName(id, "x".repeat(max + 1)), CtapStatus.CTAP1_ERR_INVALID_LENGTH);
      assertThat(bio.enumerateEnrollments().get(0).friendlyName()).contains("x".repeat(max));
    }

    @Test
    void unknownTemplate_isInvalidOption_missingName_isMissingParameter() {
      Key k = newKey();
      PinToken t = k.beToken();
      PlatformBio bio = k.bioWithoutToken().withToken(t);
      enrollAll(bio);
      assertStatus(() -> bio.setFriendlyName(ID_2, "x"), CtapStatus.CTAP2_ERR_INVALID_OPTION);
      SubCommandParams noName = new SubCommandParams(Optional.of(ID_1), Optional.empty(), Optional.empty());
      assertThat(k.send(t, SubCommand.SET_FRIENDLY_NAME, Optional.of(noName)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }
  }

  @Nested
  class RemoveEnrollment {
    @Test
    void removesTheTemplate_andTheLastOneTurnsUvOff() {
      Key k = newKey();
      PlatformBio bio = k.bio();
      Bytes id = enrollAll(bio);
      bio.removeEnrollment(id);
      assertThat(bio.enumerateEnrollments()).isEmpty();
      assertThat(k.options().optBool("uv")).contains(false);
      assertThat(k.options().optBool("bioEnroll")).contains(false);
    }

    @Test
    void unknownTemplate_isInvalidOption_missingId_isMissingParameter() {
      Key k = newKey();
      PinToken t = k.beToken();
      PlatformBio bio = k.bioWithoutToken().withToken(t);
      enrollAll(bio);
      assertStatus(() -> bio.removeEnrollment(ID_2), CtapStatus.CTAP2_ERR_INVALID_OPTION);
      assertThat(k.send(t, SubCommand.REMOVE_ENROLLMENT, Optional.empty()).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }
  }

  @Nested
  class Preview {
    @Test
    void command0x40_runsTheSameSubcommands() {
      Key k = newKey();
      PlatformBio bio = k.bio(CtapCommand.BIO_ENROLLMENT_PREVIEW);
      Bytes id = enrollAll(bio);
      bio.setFriendlyName(id, "pre");
      assertThat(bio.enumerateEnrollments()).containsExactly(new Enrollment(id, Optional.of("pre")));
      assertThat(bio.sensorInfo().maxCaptureSamplesRequiredForEnroll()).isEqualTo(4);
      bio.removeEnrollment(id);
      assertThat(k.options().optBool("userVerificationMgmtPreview")).contains(false);
    }

    @Test
    void platformChoosesTheCommand_fromGetInfo() {
      assertThat(PlatformBio.commandFor(newKey().options().asMap().entrySet().stream()
              .collect(java.util.stream.Collectors.toMap(e -> (String) e.getKey(), e -> (Boolean) e.getValue()))))
          .contains(CtapCommand.BIO_ENROLLMENT);
      assertThat(PlatformBio.commandFor(java.util.Map.of("userVerificationMgmtPreview", false)))
          .contains(CtapCommand.BIO_ENROLLMENT_PREVIEW);
      assertThat(PlatformBio.commandFor(java.util.Map.of("uv", true))).isEmpty();
    }
  }

  @Nested
  class BuiltInUv {
    @Test
    void theEnrolledFinger_getsAUvTokenWithBe_uvBioEnroll() {
      Key k = new Key(BIO, Fingers.of(ID_1), false);
      enrollAll(k.bio());
      PinToken uv = k.pin.getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty());
      assertThat(new PlatformBio(k::transact, CtapCommand.BIO_ENROLLMENT, Optional.of(uv)).enumerateEnrollments()).hasSize(1);
    }

    @Test
    void noEnrolledTemplate_isNotAllowed() {
      Key k = newKey();
      assertStatus(() -> k.pin.getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty()), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void theFingerOfARemovedTemplate_isUvInvalid() {
      Key k = new Key(BIO, Fingers.of(new FingerOf(ID_1).templateId()), false);
      PlatformBio bio = k.bio();
      enrollAll(bio);
      enrollAll(bio);
      bio.removeEnrollment(ID_1);
      assertStatus(() -> k.pin.getUvToken(Set.of(Permission.GET_ASSERTION), Optional.of("example.com")), CtapStatus.CTAP2_ERR_UV_INVALID);
    }
  }

  @Nested
  class Persistence {
    @Test
    void templatesSurviveARestart() {
      Key k = newKey();
      Bytes id = enrollAll(k.bio());
      Key restarted = new Key(BIO, Fingers.enrolled(), true);
      assertThat(restarted.bio().enumerateEnrollments()).extracting(Enrollment::templateId).containsExactly(id);
    }

    @Test
    void aNewDevice_hasOnePreEnrolledTemplate_unlessTheBuilderSaysOtherwise() {
      Key k = new Key(BIO, Fingers.enrolled(), true);
      assertThat(k.bio().enumerateEnrollments()).extracting(Enrollment::templateId).containsExactly(ID_1);
    }

    @Test
    void authenticatorReset_wipesTheTemplates_andARestartDoesNotBringThemBack() {
      Key k = new Key(BIO, Fingers.enrolled(), true);
      enrollAll(k.bio());
      assertThat(k.client.send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.options().optBool("uv")).contains(false);
      Key restarted = new Key(BIO, Fingers.enrolled(), true);
      assertThat(restarted.options().optBool("bioEnroll")).contains(false);
      assertThat(restarted.bio().enumerateEnrollments()).isEmpty();
    }
  }
}
