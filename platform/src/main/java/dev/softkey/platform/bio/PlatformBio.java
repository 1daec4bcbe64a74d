package dev.softkey.platform.bio;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommand;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommandParams;
import dev.softkey.ctap.command.BioEnrollmentResponse;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.pin.PinToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The platform side of authenticatorBioEnrollment (CTAP 2.1 section 6.7), fingerprint modality,
 * over any channel that carries a full CTAP request and returns the full response. The token (from
 * {@code PlatformPin} with the {@code be} permission) signs {@code modality || subCommand ||
 * subCommandParams}; getModality, getFingerprintSensorInfo and cancelCurrentEnrollment go without
 * it. A status other than CTAP2_OK surfaces as a {@link CtapException} with that status.
 */
public final class PlatformBio {
  /** What getFingerprintSensorInfo reports. */
  public record SensorInfo(long fingerprintKind, long maxCaptureSamplesRequiredForEnroll, Optional<Long> maxTemplateFriendlyName) {}

  /**
   * One enrollment sample's outcome.
   *
   * @param templateId the new template's ID (enrollBegin only)
   * @param status lastEnrollSampleStatus; empty for a code CTAP does not define
   * @param statusCode the code as sent
   */
  public record Sample(Optional<Bytes> templateId, Optional<EnrollSampleStatus> status, long statusCode, long remainingSamples) {
    public boolean good() {
      return status.equals(Optional.of(EnrollSampleStatus.FP_GOOD));
    }
  }

  /** An enrolled template as enumerateEnrollments lists it. */
  public record Enrollment(Bytes templateId, Optional<String> friendlyName) {}

  private final Function<byte[], byte[]> transport;
  private final CtapCommand command;
  private final Optional<PinToken> token;

  /**
   * @param command {@link CtapCommand#BIO_ENROLLMENT} or, for an authenticator that has only the
   *     prototype, {@link CtapCommand#BIO_ENROLLMENT_PREVIEW} (see {@link #commandFor})
   * @param token a pinUvAuthToken with the be permission; empty for the subcommands without one
   */
  public PlatformBio(Function<byte[], byte[]> transport, CtapCommand command, Optional<PinToken> token) {
    if (command != CtapCommand.BIO_ENROLLMENT && command != CtapCommand.BIO_ENROLLMENT_PREVIEW) {
      throw new IllegalArgumentException("not a bio enrollment command: " + command);
    }
    this.transport = Objects.requireNonNull(transport);
    this.command = command;
    this.token = Objects.requireNonNull(token);
  }

  /**
   * The command to use from getInfo's options, as python-fido2 and Chrome choose it: 0x09 when
   * bioEnroll is present (true or false), else 0x40 when userVerificationMgmtPreview is; empty when
   * the authenticator has neither.
   */
  public static Optional<CtapCommand> commandFor(Map<String, Boolean> options) {
    if (options.containsKey("bioEnroll")) {
      return Optional.of(CtapCommand.BIO_ENROLLMENT);
    }
    if (options.containsKey("userVerificationMgmtPreview")) {
      return Optional.of(CtapCommand.BIO_ENROLLMENT_PREVIEW);
    }
    return Optional.empty();
  }

  /** The same client with a (new) token. */
  public PlatformBio withToken(PinToken t) {
    return new PlatformBio(transport, command, Optional.of(t));
  }

  public CtapCommand command() {
    return command;
  }

  /** getModality (section 6.7.2). */
  public long modality() {
    BioEnrollmentResponse r = send(BioEnrollmentRequest.ofGetModality().withCommand(command));
    return r.modality().orElseThrow(() -> malformed("modality"));
  }

  /** getFingerprintSensorInfo (section 6.7.3). */
  public SensorInfo sensorInfo() {
    BioEnrollmentResponse r = send(request(SubCommand.GET_FINGERPRINT_SENSOR_INFO, Optional.empty(), false));
    return new SensorInfo(
        r.fingerprintKind().orElseThrow(() -> malformed("fingerprintKind")),
        r.maxCaptureSamplesRequiredForEnroll().orElseThrow(() -> malformed("maxCaptureSamplesRequiredForEnroll")),
        r.maxTemplateFriendlyName());
  }

  /** enrollBegin (section 6.7.4): the first sample of a new template. */
  public Sample enrollBegin(Optional<Duration> timeout) {
    SubCommandParams p = new SubCommandParams(Optional.empty(), Optional.empty(), timeout.map(Duration::toMillis));
    BioEnrollmentResponse r = send(request(SubCommand.ENROLL_BEGIN, Optional.of(p), true));
    return sample(r, true);
  }

  /** enrollCaptureNextSample (section 6.7.5). */
  public Sample enrollCaptureNextSample(Bytes templateId, Optional<Duration> timeout) {
    SubCommandParams p = new SubCommandParams(Optional.of(templateId), Optional.empty(), timeout.map(Duration::toMillis));
    return sample(send(request(SubCommand.ENROLL_CAPTURE_NEXT_SAMPLE, Optional.of(p), true)), false);
  }

  /** cancelCurrentEnrollment (section 6.7.7). */
  public void cancelCurrentEnrollment() {
    send(request(SubCommand.CANCEL_CURRENT_ENROLLMENT, Optional.empty(), false));
  }

  /**
   * enumerateEnrollments (section 6.7.6); an authenticator without enrollments answers
   * CTAP2_ERR_INVALID_OPTION, which is an empty list here.
   */
  public List<Enrollment> enumerateEnrollments() {
    try {
      BioEnrollmentResponse r = send(request(SubCommand.ENUMERATE_ENROLLMENTS, Optional.empty(), true));
      return r.templateInfos().stream().map(t -> new Enrollment(t.templateId(), t.templateFriendlyName())).toList();
    } catch (CtapException e) {
      if (e.status() == CtapStatus.CTAP2_ERR_INVALID_OPTION) {
        return List.of();
      }
      throw e;
    }
  }

  /** setFriendlyName (section 6.7.8). */
  public void setFriendlyName(Bytes templateId, String name) {
    SubCommandParams p = new SubCommandParams(Optional.of(templateId), Optional.of(name), Optional.empty());
    send(request(SubCommand.SET_FRIENDLY_NAME, Optional.of(p), true));
  }

  /** removeEnrollment (section 6.7.9). */
  public void removeEnrollment(Bytes templateId) {
    SubCommandParams p = new SubCommandParams(Optional.of(templateId), Optional.empty(), Optional.empty());
    send(request(SubCommand.REMOVE_ENROLLMENT, Optional.of(p), true));
  }

  /**
   * A whole enrollment, as a platform's dialog runs it: enrollBegin, then enrollCaptureNextSample
   * until remainingSamples is 0, telling {@code feedback} about every sample. After {@code
   * maxBadSamples} samples in a row that are not good, the enrollment is cancelled and
   * CTAP2_ERR_OPERATION_DENIED thrown; an error status cancels it too. The friendly name, when
   * given, is set at the end.
   *
   * @return the new template's ID
   */
  public Bytes enroll(Optional<String> friendlyName, Optional<Duration> timeout, int maxBadSamples, Consumer<Sample> feedback) {
    Sample s;
    try {
      s = enrollBegin(timeout);
      feedback.accept(s);
      Bytes templateId = s.templateId().orElseThrow(() -> malformed("templateId"));
      int bad = s.good() ? 0 : 1;
      while (s.remainingSamples() > 0) {
        if (bad >= maxBadSamples) {
          cancelCurrentEnrollment();
          throw new CtapException(CtapStatus.CTAP2_ERR_OPERATION_DENIED, bad + " samples in a row were not good");
        }
        s = enrollCaptureNextSample(templateId, timeout);
        feedback.accept(s);
        bad = s.good() ? 0 : bad + 1;
      }
      friendlyName.ifPresent(n -> setFriendlyName(templateId, n));
      return templateId;
    } catch (CtapException e) {
      if (e.status() != CtapStatus.CTAP2_ERR_OPERATION_DENIED) {
        try {
          cancelCurrentEnrollment();
        } catch (CtapException ignored) {
          // The original error is the one to report.
        }
      }
      throw e;
    }
  }

  private BioEnrollmentRequest request(SubCommand sub, Optional<SubCommandParams> params, boolean authenticated) {
    BioEnrollmentRequest r = BioEnrollmentRequest.of(sub).withCommand(command);
    if (params.isPresent()) {
      r = r.withSubCommandParams(params.get());
    }
    if (authenticated) {
      PinToken t = token.orElseThrow(() -> new IllegalStateException("this subcommand needs a pinUvAuthToken with be"));
      r = r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().unsafeArray()));
    }
    return r;
  }

  private static Sample sample(BioEnrollmentResponse r, boolean begin) {
    long code = r.lastEnrollSampleStatus().orElseThrow(() -> malformed("lastEnrollSampleStatus"));
    long remaining = r.remainingSamples().orElseThrow(() -> malformed("remainingSamples"));
    Optional<Bytes> id = r.templateId();
    if (begin && id.isEmpty()) {
      throw malformed("templateId");
    }
    return new Sample(id, EnrollSampleStatus.fromCode(code), code, remaining);
  }

  private BioEnrollmentResponse send(BioEnrollmentRequest request) {
    CborMap body = CtapReply.body(transport.apply(request.encode()));
    return BioEnrollmentResponse.fromCbor(body);
  }

  private static CtapException malformed(String member) {
    return new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "the authenticator's response lacks " + member);
  }
}
