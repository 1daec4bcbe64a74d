package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorConfig parameters (CTAP 2.1 section 6.11.1); the command answers with no members.
 * The subcommand is kept as a number so that an unknown one reaches the authenticator, which answers
 * CTAP2_ERR_INVALID_SUBCOMMAND. setMinPINLength's parameters are typed; any other subcommand's
 * (vendorPrototype's vendorCommandId and vendor members, or a map a platform sends where none
 * belongs) are kept as the map they are.
 *
 * @param subCommand 0x01
 * @param subCommandParams 0x02
 * @param pinUvAuthProtocol 0x03
 * @param pinUvAuthParam 0x04, authenticate(pinUvAuthToken, {@link #pinUvAuthMessage()})
 */
public record ConfigRequest(
    long subCommand, Optional<SubCommandParams> subCommandParams, Optional<Long> pinUvAuthProtocol, Optional<Bytes> pinUvAuthParam)
    implements CtapRequest {
  public static final long SUB_COMMAND = 0x01;
  public static final long SUB_COMMAND_PARAMS = 0x02;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x03;
  public static final long PIN_UV_AUTH_PARAM = 0x04;

  /** The subcommands of CTAP 2.1 section 6.11. */
  public enum SubCommand {
    ENABLE_ENTERPRISE_ATTESTATION(0x01),
    TOGGLE_ALWAYS_UV(0x02),
    SET_MIN_PIN_LENGTH(0x03),
    VENDOR_PROTOTYPE(0xFF);

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

  /** subCommandParams: {@link SetMinPinLengthParams} for setMinPINLength, {@link OtherParams} for any other subcommand. */
  public sealed interface SubCommandParams extends CborEncodable permits SetMinPinLengthParams, OtherParams {
    @Override
    Map<Object, Object> toCbor();
  }

  /**
   * setMinPINLength's subCommandParams (section 6.11.4).
   *
   * @param newMinPinLength 0x01 newMinPINLength
   * @param minPinLengthRpIds 0x02 minPinLengthRPIDs; empty when absent (and left out when empty)
   * @param forceChangePin 0x03
   */
  public record SetMinPinLengthParams(Optional<Long> newMinPinLength, List<String> minPinLengthRpIds, Optional<Boolean> forceChangePin)
      implements SubCommandParams {
    public static final long NEW_MIN_PIN_LENGTH = 0x01;
    public static final long MIN_PIN_LENGTH_RP_IDS = 0x02;
    public static final long FORCE_CHANGE_PIN = 0x03;

    public SetMinPinLengthParams {
      Members.requireUnsigned("newMinPINLength", newMinPinLength);
      minPinLengthRpIds = List.copyOf(minPinLengthRpIds);
      Objects.requireNonNull(forceChangePin, "forceChangePin");
    }

    /** Strict decoding: minPinLengthRPIDs is an array of text. */
    public static SetMinPinLengthParams fromCbor(CborMap m) {
      return new SetMinPinLengthParams(
          m.optLong(NEW_MIN_PIN_LENGTH),
          WireLists.texts(m.optList(MIN_PIN_LENGTH_RP_IDS).orElse(List.of())),
          m.optBool(FORCE_CHANGE_PIN));
    }

    @Override
    public Map<Object, Object> toCbor() {
      return CborMapBuilder.create()
          .putOpt(NEW_MIN_PIN_LENGTH, newMinPinLength)
          .putNonEmpty(MIN_PIN_LENGTH_RP_IDS, minPinLengthRpIds)
          .putOpt(FORCE_CHANGE_PIN, forceChangePin)
          .build();
    }
  }

  /**
   * The subCommandParams of a subcommand whose members softkey does not type: vendorPrototype
   * (vendorCommandId 0x01 and what the vendor defines), or a map sent to a subcommand that takes
   * none.
   *
   * @param map the map as decoded
   */
  public record OtherParams(CborMap map) implements SubCommandParams {
    public OtherParams {
      Objects.requireNonNull(map, "map");
    }

    @Override
    public Map<Object, Object> toCbor() {
      return map.asMap();
    }
  }

  public ConfigRequest {
    Members.requireUnsigned("subCommand", subCommand);
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
    Objects.requireNonNull(pinUvAuthParam, "pinUvAuthParam");
    boolean setMinPinLength = subCommand == SubCommand.SET_MIN_PIN_LENGTH.code();
    subCommandParams.ifPresent(
        p -> {
          if ((p instanceof SetMinPinLengthParams) != setMinPinLength) {
            throw new IllegalArgumentException(
                "SetMinPinLengthParams go with setMinPINLength and only with it, not with subCommand " + subCommand);
          }
        });
  }

  /** A request with only a subcommand; add members with the {@code with*} methods. */
  public static ConfigRequest of(SubCommand sub) {
    return new ConfigRequest(sub.code(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A setMinPINLength request (section 6.11.4). */
  public static ConfigRequest setMinPinLength(SetMinPinLengthParams params) {
    return new ConfigRequest(SubCommand.SET_MIN_PIN_LENGTH.code(), Optional.of(params), Optional.empty(), Optional.empty());
  }

  public ConfigRequest withPinUvAuth(long protocol, Bytes param) {
    return new ConfigRequest(subCommand, subCommandParams, Optional.of(protocol), Optional.of(param));
  }

  public Optional<SubCommand> knownSubCommand() {
    return SubCommand.fromCode(subCommand);
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.CONFIG;
  }

  /** Strict decoding: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a missing subCommand CTAP2_ERR_MISSING_PARAMETER. */
  public static ConfigRequest fromCbor(CborMap m) {
    long sub = m.longValue(SUB_COMMAND);
    Optional<SubCommandParams> params =
        m.optMap(SUB_COMMAND_PARAMS)
            .map(p -> sub == SubCommand.SET_MIN_PIN_LENGTH.code() ? SetMinPinLengthParams.fromCbor(p) : new OtherParams(p));
    return new ConfigRequest(sub, params, m.optLong(PIN_UV_AUTH_PROTOCOL), m.optBytes(PIN_UV_AUTH_PARAM));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .put(SUB_COMMAND, subCommand)
        .putOpt(SUB_COMMAND_PARAMS, subCommandParams.map(SubCommandParams::toCbor))
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .build();
  }

  /**
   * The message pinUvAuthParam authenticates (CTAP 2.1 section 6.11.1 onwards): 32 bytes 0xff, the
   * command byte 0x0d, subCommand as one byte, then the CBOR encoding of subCommandParams when
   * present. A subCommand that is no byte is CTAP2_ERR_INVALID_SUBCOMMAND.
   *
   * <p>An authenticator verifies with {@link #pinUvAuthMessageAsReceived(CborMap)}: a typed
   * setMinPINLength map keeps only the members CTAP defines.
   */
  public Bytes pinUvAuthMessage() {
    return message(subCommand, subCommandParams.map(SubCommandParams::toCbor));
  }

  /** The message pinUvAuthParam authenticates, from the parameters map as the authenticator decoded it (subCommandParams exactly as received). */
  public static Bytes pinUvAuthMessageAsReceived(CborMap received) {
    return message(received.longValue(SUB_COMMAND), received.optMap(SUB_COMMAND_PARAMS));
  }

  private static Bytes message(long subCommand, Optional<?> params) {
    byte[] prefix = new byte[33];
    Arrays.fill(prefix, 0, 32, (byte) 0xff);
    prefix[32] = (byte) CtapCommand.CONFIG.code();
    return SubCommands.pinUvAuthMessage(prefix, subCommand, params);
  }
}
