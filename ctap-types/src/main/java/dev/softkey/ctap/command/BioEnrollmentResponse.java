package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorBioEnrollment response members (CTAP 2.1 section 6.7.1); each subcommand fills some,
 * cancelCurrentEnrollment, setFriendlyName and removeEnrollment none. The prototype command 0x40
 * answers with the same members.
 *
 * @param modality 0x01
 * @param fingerprintKind 0x02, 1 for a touch sensor, 2 for a swipe sensor
 * @param maxCaptureSamplesRequiredForEnroll 0x03
 * @param templateId 0x04
 * @param lastEnrollSampleStatus 0x05, a CTAP2_ENROLL_FEEDBACK_* code (0x00 to 0x0E)
 * @param remainingSamples 0x06
 * @param templateInfos 0x07; empty when absent (and left out when empty)
 * @param maxTemplateFriendlyName 0x08
 */
public record BioEnrollmentResponse(
    Optional<Long> modality,
    Optional<Long> fingerprintKind,
    Optional<Long> maxCaptureSamplesRequiredForEnroll,
    Optional<Bytes> templateId,
    Optional<Long> lastEnrollSampleStatus,
    Optional<Long> remainingSamples,
    List<TemplateInfo> templateInfos,
    Optional<Long> maxTemplateFriendlyName)
    implements CborEncodable {
  public static final long MODALITY = 0x01;
  public static final long FINGERPRINT_KIND = 0x02;
  public static final long MAX_CAPTURE_SAMPLES_REQUIRED_FOR_ENROLL = 0x03;
  public static final long TEMPLATE_ID = 0x04;
  public static final long LAST_ENROLL_SAMPLE_STATUS = 0x05;
  public static final long REMAINING_SAMPLES = 0x06;
  public static final long TEMPLATE_INFOS = 0x07;
  public static final long MAX_TEMPLATE_FRIENDLY_NAME = 0x08;

  /** fingerprintKind of a touch sensor. */
  public static final long FINGERPRINT_KIND_TOUCH = 1;
  /** fingerprintKind of a swipe sensor. */
  public static final long FINGERPRINT_KIND_SWIPE = 2;

  /**
   * One templateInfo of enumerateEnrollments (section 6.7.6).
   *
   * @param templateId 0x01, required
   * @param templateFriendlyName 0x02
   */
  public record TemplateInfo(Bytes templateId, Optional<String> templateFriendlyName) implements CborEncodable {
    public static final long TEMPLATE_ID = 0x01;
    public static final long TEMPLATE_FRIENDLY_NAME = 0x02;

    public TemplateInfo {
      Objects.requireNonNull(templateId, "templateId");
      Objects.requireNonNull(templateFriendlyName, "templateFriendlyName");
    }

    public static TemplateInfo fromCbor(CborMap m) {
      return new TemplateInfo(m.bytes(TEMPLATE_ID), m.optText(TEMPLATE_FRIENDLY_NAME));
    }

    @Override
    public Map<Object, Object> toCbor() {
      return CborMapBuilder.create().put(TEMPLATE_ID, templateId).putOpt(TEMPLATE_FRIENDLY_NAME, templateFriendlyName).build();
    }
  }

  public BioEnrollmentResponse {
    Objects.requireNonNull(templateId, "templateId");
    templateInfos = List.copyOf(templateInfos);
    Members.requireUnsigned("modality", modality);
    Members.requireUnsigned("fingerprintKind", fingerprintKind);
    Members.requireUnsigned("maxCaptureSamplesRequiredForEnroll", maxCaptureSamplesRequiredForEnroll);
    Members.requireUnsigned("lastEnrollSampleStatus", lastEnrollSampleStatus);
    Members.requireUnsigned("remainingSamples", remainingSamples);
    Members.requireUnsigned("maxTemplateFriendlyName", maxTemplateFriendlyName);
  }

  /** The answer of cancelCurrentEnrollment, setFriendlyName and removeEnrollment: no members. */
  public static BioEnrollmentResponse empty() {
    return new BioEnrollmentResponse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }

  /** The answer of getModality (section 6.7.2). */
  public static BioEnrollmentResponse ofModality(long modality) {
    return new BioEnrollmentResponse(
        Optional.of(modality), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }

  /** The answer of getFingerprintSensorInfo (section 6.7.3). */
  public static BioEnrollmentResponse ofSensorInfo(long fingerprintKind, long maxCaptureSamplesRequiredForEnroll, Optional<Long> maxTemplateFriendlyName) {
    return new BioEnrollmentResponse(
        Optional.of(BioEnrollmentRequest.MODALITY_FINGERPRINT),
        Optional.of(fingerprintKind),
        Optional.of(maxCaptureSamplesRequiredForEnroll),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        maxTemplateFriendlyName);
  }

  /** The answer of enrollBegin (with the new templateId) and enrollCaptureNextSample (without), sections 6.7.4 and 6.7.5. */
  public static BioEnrollmentResponse ofSample(Optional<Bytes> templateId, long lastEnrollSampleStatus, long remainingSamples) {
    return new BioEnrollmentResponse(
        Optional.empty(), Optional.empty(), Optional.empty(), templateId, Optional.of(lastEnrollSampleStatus), Optional.of(remainingSamples),
        List.of(), Optional.empty());
  }

  /** The answer of enumerateEnrollments (section 6.7.6). */
  public static BioEnrollmentResponse ofTemplateInfos(List<TemplateInfo> templateInfos) {
    return new BioEnrollmentResponse(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), templateInfos, Optional.empty());
  }

  /** Strict decoding: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a templateInfo without templateId CTAP2_ERR_MISSING_PARAMETER. */
  public static BioEnrollmentResponse fromCbor(CborMap m) {
    List<TemplateInfo> infos = WireLists.maps(m.optList(TEMPLATE_INFOS).orElse(List.of()), TemplateInfo::fromCbor);
    return new BioEnrollmentResponse(
        m.optLong(MODALITY),
        m.optLong(FINGERPRINT_KIND),
        m.optLong(MAX_CAPTURE_SAMPLES_REQUIRED_FOR_ENROLL),
        m.optBytes(TEMPLATE_ID),
        m.optLong(LAST_ENROLL_SAMPLE_STATUS),
        m.optLong(REMAINING_SAMPLES),
        infos,
        m.optLong(MAX_TEMPLATE_FRIENDLY_NAME));
  }

  /** The members as a map; an empty response is an empty map, which the dispatcher sends as no body. */
  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(MODALITY, modality)
        .putOpt(FINGERPRINT_KIND, fingerprintKind)
        .putOpt(MAX_CAPTURE_SAMPLES_REQUIRED_FOR_ENROLL, maxCaptureSamplesRequiredForEnroll)
        .putOpt(TEMPLATE_ID, templateId)
        .putOpt(LAST_ENROLL_SAMPLE_STATUS, lastEnrollSampleStatus)
        .putOpt(REMAINING_SAMPLES, remainingSamples)
        .putNonEmpty(TEMPLATE_INFOS, WireLists.cbor(templateInfos))
        .putOpt(MAX_TEMPLATE_FRIENDLY_NAME, maxTemplateFriendlyName)
        .build();
  }
}
