package dev.softkey.core.ctap2.bio;

import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.bio.Template;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.UnsupportedCommand;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommand;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommandParams;
import dev.softkey.ctap.command.BioEnrollmentResponse;
import dev.softkey.ctap.command.BioEnrollmentResponse.TemplateInfo;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * authenticatorBioEnrollment (CTAP 2.1 section 6.7) for the fingerprint modality: command 0x09 on
 * FIDO_2_1 profiles with built-in UV and the prototype command 0x40 (the same members) on
 * FIDO_2_1_PRE ones, which is what libfido2 1.12 sends. Each is a handler of its own so that each
 * reports its own getInfo option: bioEnroll for 0x09, userVerificationMgmtPreview for 0x40, both
 * true once a finger is enrolled and false before (supported, not configured).
 *
 * <p>getModality and getFingerprintSensorInfo and cancelCurrentEnrollment need no token; the other
 * subcommands need a pinUvAuthToken with the {@code be} permission, over {@code modality ||
 * subCommand || subCommandParams}. An enrollment is a stateful sequence: enrollBegin takes the first
 * sample and enrollCaptureNextSample continues it (for the same templateId) until remainingSamples
 * is 0, when the template is stored; any other command, a power cycle or {@link #ENROLLMENT_TIMEOUT}
 * without a sample ends it, and the template is not stored.
 */
public final class BioEnrollmentHandler implements CommandHandler {
  /** How long an enrollment waits for the next enrollCaptureNextSample. */
  public static final Duration ENROLLMENT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * How long a sample waits for the finger when the platform gives no timeoutMilliseconds (the
   * spec leaves it to the authenticator).
   */
  public static final Duration DEFAULT_SAMPLE_TIMEOUT = Duration.ofSeconds(30);

  private final CtapCommand command;
  private final AuthenticatorEnv env;
  private final FingerprintSensor sensor;

  /** The enrollment in progress: its templateId and the good samples it still needs. */
  private record Enrollment(Bytes templateId, int remainingSamples) {}

  private BioEnrollmentHandler(CtapCommand command, AuthenticatorEnv env, FingerprintSensor sensor) {
    this.command = command;
    this.env = env;
    this.sensor = sensor;
  }

  /**
   * The handler of {@code command} (0x09 or 0x40) for this profile: bio enrollment when the profile
   * has built-in UV that it enrolls over CTAP (management.bioEnrollment) and the CTAP version of
   * the command (FIDO_2_1 for 0x09, FIDO_2_1_PRE for 0x40), otherwise {@link UnsupportedCommand}.
   */
  public static CommandHandler forCommand(CtapCommand command, AuthenticatorEnv env) {
    CtapVersion version =
        switch (command) {
          case BIO_ENROLLMENT -> CtapVersion.FIDO_2_1;
          case BIO_ENROLLMENT_PREVIEW -> CtapVersion.FIDO_2_1_PRE;
          default -> throw new IllegalArgumentException("not a bio enrollment command: " + command);
        };
    Profile.GetInfo info = env.profile().getInfo();
    if (info.options().builtInUv()
        && env.profile().management().bioEnrollment()
        && info.supports(version)
        && env.fingerprint().isPresent()) {
      return new BioEnrollmentHandler(command, env, env.fingerprint().get());
    }
    return new UnsupportedCommand(command);
  }

  @Override
  public CtapCommand command() {
    return command;
  }

  /** be (CTAP 2.1 section 6.5.5.7), which ClientPIN grants only to profiles with built-in UV. */
  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.BIO_ENROLLMENT);
  }

  /**
   * bioEnroll (0x09) or userVerificationMgmtPreview (0x40): true once a template is enrolled,
   * false before (the latter always true on a model with quirk
   * userVerificationMgmtPreviewAlwaysTrue). uvBioEnroll (0x09, models whose sensor has
   * uvBioEnroll): a token with be may come from built-in UV (getPinUvAuthTokenUsingUvWithPermissions).
   */
  @Override
  public Map<String, Boolean> infoOptions() {
    boolean enrolled = sensor.hasTemplates();
    if (command == CtapCommand.BIO_ENROLLMENT) {
      boolean uvBioEnroll = env.profile().management().fingerprint().map(Profile.Fingerprint::uvBioEnroll).orElse(false);
      return uvBioEnroll ? Map.of("bioEnroll", enrolled, "uvBioEnroll", true) : Map.of("bioEnroll", enrolled);
    }
    return Map.of("userVerificationMgmtPreview", enrolled || env.profile().quirks().userVerificationMgmtPreviewAlwaysTrue());
  }

  @Override
  public Optional<BioEnrollmentResponse> handle(CommandParameters parameters, OperationContext ctx) {
    CborMap received = parameters.map();
    BioEnrollmentRequest req = BioEnrollmentRequest.fromCbor(command, received);
    BioEnrollmentResponse r = handle(req, received, ctx);
    // cancelCurrentEnrollment, setFriendlyName and removeEnrollment answer with the status alone.
    return r.toCbor().isEmpty() ? Optional.empty() : Optional.of(r);
  }

  private BioEnrollmentResponse handle(BioEnrollmentRequest req, CborMap received, OperationContext ctx) {
    // 6.7.2 getModality: the one modality this authenticator has.
    if (req.getModality().orElse(false)) {
      return BioEnrollmentResponse.ofModality(BioEnrollmentRequest.MODALITY_FINGERPRINT);
    }
    // modality and subCommand are mandatory: CTAP2_ERR_MISSING_PARAMETER; a modality other than
    // fingerprint is CTAP2_ERR_UNSUPPORTED_OPTION, a subCommand the modality lacks
    // CTAP2_ERR_INVALID_SUBCOMMAND.
    long modality = req.modality().orElseThrow(() -> missing("modality"));
    long subCommandCode = req.subCommand().orElseThrow(() -> missing("subCommand"));
    CtapException.check(modality == BioEnrollmentRequest.MODALITY_FINGERPRINT, CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    SubCommand sub =
        SubCommand.fromCode(subCommandCode).orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND));
    return switch (sub) {
      case GET_FINGERPRINT_SENSOR_INFO -> getFingerprintSensorInfo();
      case CANCEL_CURRENT_ENROLLMENT -> cancelCurrentEnrollment();
      case ENROLL_BEGIN -> enrollBegin(req, received, ctx);
      case ENROLL_CAPTURE_NEXT_SAMPLE -> enrollCaptureNextSample(req, received, ctx);
      case ENUMERATE_ENROLLMENTS -> enumerateEnrollments(req, received);
      case SET_FRIENDLY_NAME -> setFriendlyName(req, received);
      case REMOVE_ENROLLMENT -> removeEnrollment(req, received);
    };
  }

  /** 6.7.3 getFingerprintSensorInfo: fingerprintKind, maxCaptureSamplesRequiredForEnroll, maxTemplateFriendlyName; no token. */
  private BioEnrollmentResponse getFingerprintSensorInfo() {
    Profile.Fingerprint f = sensor.config();
    return BioEnrollmentResponse.ofSensorInfo(f.kind().wire(), f.samplesForEnrollment(), Optional.of((long) f.maxTemplateFriendlyName()));
  }

  /** 6.7.7 cancelCurrentEnrollment: ends the enrollment in progress, if any; no token. */
  private BioEnrollmentResponse cancelCurrentEnrollment() {
    // The dispatcher already ended it: cancelCurrentEnrollment does not continue an enrollment.
    env.session().stateful().end();
    return BioEnrollmentResponse.empty();
  }

  /** 6.7.4 enrollBegin. */
  private BioEnrollmentResponse enrollBegin(BioEnrollmentRequest req, CborMap received, OperationContext ctx) {
    // 1.-4. The pinUvAuthToken check with the be permission.
    verifyToken(req, received);
    Optional<SubCommandParams> params = req.subCommandParams();
    Duration timeout = sampleTimeout(params);
    // 5. No room for another template: CTAP2_ERR_FP_DATABASE_FULL.
    // 6. A new templateId for this enrollment (an enrollment in progress was ended by the dispatcher).
    Bytes templateId = sensor.nextTemplateId();
    // 7. The first sample, within timeoutMilliseconds: none is CTAP2_ERR_USER_ACTION_TIMEOUT.
    EnrollSampleStatus status = takeSample(timeout, ctx);
    int remaining = sensor.config().samplesForEnrollment() - (status == EnrollSampleStatus.FP_GOOD ? 1 : 0);
    // 8. Enough good samples: the template is stored before the answer; otherwise the enrollment
    // goes on with enrollCaptureNextSample.
    if (remaining == 0) {
      sensor.add(new Template(templateId, Optional.empty()));
    } else {
      env.session().stateful().begin(Set.of(command), new Enrollment(templateId, remaining), ENROLLMENT_TIMEOUT);
    }
    // 9. templateId, lastEnrollSampleStatus, remainingSamples.
    return BioEnrollmentResponse.ofSample(Optional.of(templateId), status.code(), remaining);
  }

  /** 6.7.5 enrollCaptureNextSample. */
  private BioEnrollmentResponse enrollCaptureNextSample(BioEnrollmentRequest req, CborMap received, OperationContext ctx) {
    // 1.-4. The pinUvAuthToken check with the be permission.
    verifyToken(req, received);
    // 5. templateId is mandatory: CTAP2_ERR_MISSING_PARAMETER.
    Optional<SubCommandParams> params = req.subCommandParams();
    Bytes templateId = params.flatMap(SubCommandParams::templateId).orElseThrow(() -> missing("templateId"));
    Duration timeout = sampleTimeout(params);
    // 6. An enrollment in progress (not ended by another command, a power cycle or its timer),
    // else CTAP2_ERR_NOT_ALLOWED; for another templateId CTAP1_ERR_INVALID_PARAMETER.
    Enrollment e =
        env.session()
            .stateful()
            .continueWith(command, Enrollment.class)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED, "no enrollment in progress"));
    CtapException.check(e.templateId().equals(templateId), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // 7. The next sample, within timeoutMilliseconds: none is CTAP2_ERR_USER_ACTION_TIMEOUT (the
    // enrollment stays, so the platform may ask again).
    EnrollSampleStatus status = takeSample(timeout, ctx);
    int remaining = e.remainingSamples() - (status == EnrollSampleStatus.FP_GOOD ? 1 : 0);
    // 8. The last good sample stores the template, before the answer, and ends the enrollment.
    if (remaining == 0) {
      env.session().stateful().end();
      sensor.add(new Template(templateId, Optional.empty()));
    } else {
      env.session().stateful().begin(Set.of(command), new Enrollment(templateId, remaining), ENROLLMENT_TIMEOUT);
    }
    // 9. lastEnrollSampleStatus, remainingSamples.
    return BioEnrollmentResponse.ofSample(Optional.empty(), status.code(), remaining);
  }

  /** 6.7.6 enumerateEnrollments. */
  private BioEnrollmentResponse enumerateEnrollments(BioEnrollmentRequest req, CborMap received) {
    // 1.-4. The pinUvAuthToken check with the be permission.
    verifyToken(req, received);
    // 5. No enrollment: CTAP2_ERR_INVALID_OPTION.
    List<Template> templates = sensor.templates();
    CtapException.check(!templates.isEmpty(), CtapStatus.CTAP2_ERR_INVALID_OPTION);
    // 6. templateInfos. A template without a friendly name reports the empty string, as
    // python-fido2's enumerate_enrollments reads the name of every templateInfo.
    List<TemplateInfo> infos = new ArrayList<>();
    for (Template t : templates) {
      infos.add(new TemplateInfo(t.templateId(), Optional.of(t.friendlyName().orElse(""))));
    }
    return BioEnrollmentResponse.ofTemplateInfos(infos);
  }

  /** 6.7.8 setFriendlyName. */
  private BioEnrollmentResponse setFriendlyName(BioEnrollmentRequest req, CborMap received) {
    // 1.-4. The pinUvAuthToken check with the be permission.
    verifyToken(req, received);
    // 5. templateId and templateFriendlyName are mandatory: CTAP2_ERR_MISSING_PARAMETER.
    Optional<SubCommandParams> params = req.subCommandParams();
    Bytes templateId = params.flatMap(SubCommandParams::templateId).orElseThrow(() -> missing("templateId"));
    String name = params.flatMap(SubCommandParams::templateFriendlyName).orElseThrow(() -> missing("templateFriendlyName"));
    // 6. A name longer than maxTemplateFriendlyName bytes: CTAP1_ERR_INVALID_LENGTH.
    CtapException.check(
        name.getBytes(StandardCharsets.UTF_8).length <= sensor.config().maxTemplateFriendlyName(),
        CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    // 7. No template with that ID: CTAP2_ERR_INVALID_OPTION. 8. Store the name, then CTAP2_OK.
    CtapException.check(sensor.rename(templateId, name), CtapStatus.CTAP2_ERR_INVALID_OPTION);
    return BioEnrollmentResponse.empty();
  }

  /** 6.7.9 removeEnrollment. */
  private BioEnrollmentResponse removeEnrollment(BioEnrollmentRequest req, CborMap received) {
    // 1.-4. The pinUvAuthToken check with the be permission.
    verifyToken(req, received);
    // 5. templateId is mandatory: CTAP2_ERR_MISSING_PARAMETER.
    Bytes templateId = req.subCommandParams().flatMap(SubCommandParams::templateId).orElseThrow(() -> missing("templateId"));
    // 6. No template with that ID: CTAP2_ERR_INVALID_OPTION. 7. Delete it, then CTAP2_OK.
    CtapException.check(sensor.remove(templateId), CtapStatus.CTAP2_ERR_INVALID_OPTION);
    return BioEnrollmentResponse.empty();
  }

  /**
   * The token steps of every authenticated subcommand: 1. pinUvAuthParam missing:
   * CTAP2_ERR_PUAT_REQUIRED; pinUvAuthProtocol missing: CTAP2_ERR_MISSING_PARAMETER. 2. An
   * unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER. 3. verify(pinUvAuthToken, modality
   * || subCommand || subCommandParams as received, pinUvAuthParam), else
   * CTAP2_ERR_PIN_AUTH_INVALID. 4. The token lacks the be permission: CTAP2_ERR_PIN_AUTH_INVALID.
   * The preview command 0x40 also takes a getPinToken token (the FIDO Bio Enrollment Prototype:
   * pinAuth is computed with the pinToken, which has no permissions) on a model without
   * pinUvAuthToken (FIDO_2_1_PRE only, such as the Feitian BioPass), where no token with be exists.
   */
  private void verifyToken(BioEnrollmentRequest req, CborMap received) {
    UserChecks.verifyToken(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), BioEnrollmentRequest.pinUvAuthMessageAsReceived(received));
    boolean legacyToken =
        env.pin().tokenHasPermission(Permission.MAKE_CREDENTIAL)
            && env.pin().tokenHasPermission(Permission.GET_ASSERTION)
            && env.pin().tokenRpId().isEmpty();
    if (!(command == CtapCommand.BIO_ENROLLMENT_PREVIEW && !env.profile().getInfo().supports(CtapVersion.FIDO_2_1) && legacyToken)) {
      UserChecks.requirePermission(env, Permission.BIO_ENROLLMENT);
    }
  }

  /** timeoutMilliseconds when given (0 is no time at all), else {@link #DEFAULT_SAMPLE_TIMEOUT}. */
  private static Duration sampleTimeout(Optional<SubCommandParams> params) {
    return params.flatMap(SubCommandParams::timeoutMilliseconds).map(Duration::ofMillis).orElse(DEFAULT_SAMPLE_TIMEOUT);
  }

  /**
   * One sample from the finger, which gets a context that reads as cancelled once {@code timeout}
   * has passed: no finger in time is CTAP2_ERR_USER_ACTION_TIMEOUT, a cancel by the platform
   * CTAP2_ERR_KEEPALIVE_CANCEL.
   */
  private EnrollSampleStatus takeSample(Duration timeout, OperationContext ctx) {
    long deadline = System.nanoTime() + timeout.toNanos();
    OperationContext timed =
        new OperationContext() {
          @Override
          public void keepalive(KeepaliveStatus status) {
            ctx.keepalive(status);
          }

          @Override
          public boolean isCancelled() {
            return ctx.isCancelled() || System.nanoTime() - deadline >= 0;
          }

          @Override
          public String transport() {
            return ctx.transport();
          }
        };
    SimulatedFinger.Sample sample = sensor.sample(UserRequest.of(UserRequest.Kind.BIO_ENROLLMENT), timed);
    if (sample instanceof SimulatedFinger.Captured c) {
      return c.status();
    }
    if (sample instanceof SimulatedFinger.Cancelled && ctx.isCancelled()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    }
    // No finger, or the wait ended by the timeout.
    throw new CtapException(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
  }

  private static CtapException missing(String member) {
    return new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, member + " is missing");
  }
}
