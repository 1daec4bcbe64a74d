package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorBioEnrollment parameters (CTAP 2.1 section 6.7.1). The same members serve the
 * prototype command 0x40 of FIDO_2_1_PRE authenticators, so the command byte is a component and
 * {@link #encode()} writes either. Modality and subcommand are kept as numbers so that unknown ones
 * reach the authenticator, which answers them (CTAP2_ERR_INVALID_SUBCOMMAND for a subcommand); both are
 * absent in a getModality request.
 *
 * @param command {@link CtapCommand#BIO_ENROLLMENT} or {@link CtapCommand#BIO_ENROLLMENT_PREVIEW}
 * @param modality 0x01, {@link #MODALITY_FINGERPRINT}
 * @param subCommand 0x02
 * @param subCommandParams 0x03
 * @param pinUvAuthProtocol 0x04
 * @param pinUvAuthParam 0x05, authenticate(pinUvAuthToken, {@link #pinUvAuthMessage()})
 * @param getModality 0x06
 */
public record BioEnrollmentRequest(
    CtapCommand command,
    Optional<Long> modality,
    Optional<Long> subCommand,
    Optional<SubCommandParams> subCommandParams,
    Optional<Long> pinUvAuthProtocol,
    Optional<Bytes> pinUvAuthParam,
    Optional<Boolean> getModality)
    implements CtapRequest {
  public static final long MODALITY = 0x01;
  public static final long SUB_COMMAND = 0x02;
  public static final long SUB_COMMAND_PARAMS = 0x03;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x04;
  public static final long PIN_UV_AUTH_PARAM = 0x05;
  public static final long GET_MODALITY = 0x06;

  /** The one modality CTAP 2.1 defines (section 6.7.1). */
  public static final long MODALITY_FINGERPRINT = 0x01;

  /** The fingerprint subcommands of CTAP 2.1 section 6.7. */
  public enum SubCommand {
    ENROLL_BEGIN(0x01),
    ENROLL_CAPTURE_NEXT_SAMPLE(0x02),
    CANCEL_CURRENT_ENROLLMENT(0x03),
    ENUMERATE_ENROLLMENTS(0x04),
    SET_FRIENDLY_NAME(0x05),
    REMOVE_ENROLLMENT(0x06),
    GET_FINGERPRINT_SENSOR_INFO(0x07);

    private final int code;

    SubCommand(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static Optional<SubCommand> fromCode(long code) {
      return SubCommands.byCode(values(), SubCommand::code, code);
    }
  }

  /**
   * subCommandParams (CTAP 2.1 section 6.7.1); which members a subcommand needs is the handler's
   * step.
   *
   * @param templateId 0x01
   * @param templateFriendlyName 0x02
   * @param timeoutMilliseconds 0x03
   */
  public record SubCommandParams(Optional<Bytes> templateId, Optional<String> templateFriendlyName, Optional<Long> timeoutMilliseconds)
      implements CborEncodable {
    public static final long TEMPLATE_ID = 0x01;
    public static final long TEMPLATE_FRIENDLY_NAME = 0x02;
    public static final long TIMEOUT_MILLISECONDS = 0x03;

    public SubCommandParams {
      Objects.requireNonNull(templateId, "templateId");
      Objects.requireNonNull(templateFriendlyName, "templateFriendlyName");
      Members.requireUnsigned("timeoutMilliseconds", timeoutMilliseconds);
    }

    public static SubCommandParams fromCbor(CborMap m) {
      return new SubCommandParams(m.optBytes(TEMPLATE_ID), m.optText(TEMPLATE_FRIENDLY_NAME), m.optLong(TIMEOUT_MILLISECONDS));
    }

    @Override
    public Map<Object, Object> toCbor() {
      return CborMapBuilder.create()
          .putOpt(TEMPLATE_ID, templateId)
          .putOpt(TEMPLATE_FRIENDLY_NAME, templateFriendlyName)
          .putOpt(TIMEOUT_MILLISECONDS, timeoutMilliseconds)
          .build();
    }
  }

  public BioEnrollmentRequest {
    if (command != CtapCommand.BIO_ENROLLMENT && command != CtapCommand.BIO_ENROLLMENT_PREVIEW) {
      throw new IllegalArgumentException("not a bio enrollment command: " + command);
    }
    Objects.requireNonNull(subCommandParams, "subCommandParams");
    Objects.requireNonNull(pinUvAuthParam, "pinUvAuthParam");
    Objects.requireNonNull(getModality, "getModality");
    Members.requireUnsigned("modality", modality);
    Members.requireUnsigned("subCommand", subCommand);
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
  }

  /** A fingerprint request of command 0x09; add members with the {@code with*} methods. */
  public static BioEnrollmentRequest of(SubCommand sub) {
    return new BioEnrollmentRequest(
        CtapCommand.BIO_ENROLLMENT,
        Optional.of(MODALITY_FINGERPRINT),
        Optional.of((long) sub.code()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The getModality request (section 6.7.2): getModality true and nothing else. */
  public static BioEnrollmentRequest ofGetModality() {
    return new BioEnrollmentRequest(
        CtapCommand.BIO_ENROLLMENT, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true));
  }

  /** The same members under another command byte: {@link CtapCommand#BIO_ENROLLMENT_PREVIEW} for a FIDO_2_1_PRE authenticator. */
  public BioEnrollmentRequest withCommand(CtapCommand c) {
    return new BioEnrollmentRequest(c, modality, subCommand, subCommandParams, pinUvAuthProtocol, pinUvAuthParam, getModality);
  }

  public BioEnrollmentRequest withSubCommandParams(SubCommandParams p) {
    return new BioEnrollmentRequest(command, modality, subCommand, Optional.of(p), pinUvAuthProtocol, pinUvAuthParam, getModality);
  }

  public BioEnrollmentRequest withPinUvAuth(long protocol, Bytes param) {
    return new BioEnrollmentRequest(command, modality, subCommand, subCommandParams, Optional.of(protocol), Optional.of(param), getModality);
  }

  public Optional<SubCommand> knownSubCommand() {
    return subCommand.flatMap(SubCommand::fromCode);
  }

  /** Strict decoding of command 0x09: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
  public static BioEnrollmentRequest fromCbor(CborMap m) {
    return fromCbor(CtapCommand.BIO_ENROLLMENT, m);
  }

  /** Strict decoding of the parameters that came with {@code command} (0x09 or 0x40). */
  public static BioEnrollmentRequest fromCbor(CtapCommand command, CborMap m) {
    return new BioEnrollmentRequest(
        command,
        m.optLong(MODALITY),
        m.optLong(SUB_COMMAND),
        m.optMap(SUB_COMMAND_PARAMS).map(SubCommandParams::fromCbor),
        m.optLong(PIN_UV_AUTH_PROTOCOL),
        m.optBytes(PIN_UV_AUTH_PARAM),
        m.optBool(GET_MODALITY));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(MODALITY, modality)
        .putOpt(SUB_COMMAND, subCommand)
        .putOpt(SUB_COMMAND_PARAMS, subCommandParams.map(SubCommandParams::toCbor))
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .putOpt(GET_MODALITY, getModality)
        .build();
  }

  /**
   * The message pinUvAuthParam authenticates (CTAP 2.1 sections 6.7.4 onwards): modality and
   * subCommand as one byte each, then the CBOR encoding of subCommandParams when present. A
   * missing modality or subCommand is CTAP2_ERR_MISSING_PARAMETER, a modality that is no byte
   * CTAP1_ERR_INVALID_PARAMETER, a subCommand that is no byte CTAP2_ERR_INVALID_SUBCOMMAND.
   *
   * <p>An authenticator verifies with {@link #pinUvAuthMessageAsReceived(CborMap)}: this record keeps
   * only the members CTAP defines.
   */
  public Bytes pinUvAuthMessage() {
    return message(
        modality.orElseThrow(() -> missing("modality")),
        subCommand.orElseThrow(() -> missing("subCommand")),
        subCommandParams.map(SubCommandParams::toCbor));
  }

  /** The message pinUvAuthParam authenticates, from the parameters map as the authenticator decoded it (subCommandParams exactly as received). */
  public static Bytes pinUvAuthMessageAsReceived(CborMap received) {
    return message(received.longValue(MODALITY), received.longValue(SUB_COMMAND), received.optMap(SUB_COMMAND_PARAMS));
  }

  private static CtapException missing(String member) {
    return new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, member + " is missing");
  }

  private static Bytes message(long modality, long subCommand, Optional<?> params) {
    if (modality < 0 || modality > 0xFF) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "modality " + modality);
    }
    return SubCommands.pinUvAuthMessage(new byte[] {(byte) modality}, subCommand, params);
  }
}
