package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorClientPIN parameters (CTAP 2.1 section 6.5.5). The subcommand is kept as a number so
 * that an unknown one reaches the authenticator, which answers CTAP2_ERR_INVALID_SUBCOMMAND.
 *
 * @param pinUvAuthProtocol 0x01
 * @param subCommand 0x02
 * @param keyAgreement 0x03, the platform's COSE_Key
 * @param pinUvAuthParam 0x04
 * @param newPinEnc 0x05
 * @param pinHashEnc 0x06
 * @param permissions 0x09, a bit set of {@link dev.softkey.ctap.pin.Permission}
 * @param rpId 0x0A, the permissions RP ID
 */
public record ClientPinRequest(
    Optional<Long> pinUvAuthProtocol,
    long subCommand,
    Optional<CborMap> keyAgreement,
    Optional<Bytes> pinUvAuthParam,
    Optional<Bytes> newPinEnc,
    Optional<Bytes> pinHashEnc,
    Optional<Long> permissions,
    Optional<String> rpId)
    implements CtapRequest {
  public static final long PIN_UV_AUTH_PROTOCOL = 0x01;
  public static final long SUB_COMMAND = 0x02;
  public static final long KEY_AGREEMENT = 0x03;
  public static final long PIN_UV_AUTH_PARAM = 0x04;
  public static final long NEW_PIN_ENC = 0x05;
  public static final long PIN_HASH_ENC = 0x06;
  public static final long PERMISSIONS = 0x09;
  public static final long RP_ID = 0x0A;

  /** The subcommands of CTAP 2.1 section 6.5.5 (0x08 is reserved). */
  public enum SubCommand {
    GET_PIN_RETRIES(0x01),
    GET_KEY_AGREEMENT(0x02),
    SET_PIN(0x03),
    CHANGE_PIN(0x04),
    GET_PIN_TOKEN(0x05),
    GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS(0x06),
    GET_UV_RETRIES(0x07),
    GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS(0x09);

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

  /** Section 6.5.5 types pinUvAuthProtocol, subCommand and permissions "Unsigned Integer": a negative one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
  public ClientPinRequest {
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
    Members.requireUnsigned("subCommand", subCommand);
    Members.requireUnsigned("permissions", permissions);
  }

  /** A request with only a protocol and a subcommand; add members with the {@code with*} methods. */
  public static ClientPinRequest of(Optional<Long> protocol, SubCommand sub) {
    return new ClientPinRequest(
        protocol, sub.code(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public ClientPinRequest withKeyAgreement(CborMap k) {
    return new ClientPinRequest(pinUvAuthProtocol, subCommand, Optional.of(k), pinUvAuthParam, newPinEnc, pinHashEnc, permissions, rpId);
  }

  public ClientPinRequest withPinUvAuthParam(Bytes p) {
    return new ClientPinRequest(pinUvAuthProtocol, subCommand, keyAgreement, Optional.of(p), newPinEnc, pinHashEnc, permissions, rpId);
  }

  public ClientPinRequest withNewPinEnc(Bytes p) {
    return new ClientPinRequest(pinUvAuthProtocol, subCommand, keyAgreement, pinUvAuthParam, Optional.of(p), pinHashEnc, permissions, rpId);
  }

  public ClientPinRequest withPinHashEnc(Bytes p) {
    return new ClientPinRequest(pinUvAuthProtocol, subCommand, keyAgreement, pinUvAuthParam, newPinEnc, Optional.of(p), permissions, rpId);
  }

  public ClientPinRequest withPermissions(long bits, Optional<String> rp) {
    return new ClientPinRequest(pinUvAuthProtocol, subCommand, keyAgreement, pinUvAuthParam, newPinEnc, pinHashEnc, Optional.of(bits), rp);
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.CLIENT_PIN;
  }

  /** Strict decoding: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a missing subCommand CTAP2_ERR_MISSING_PARAMETER. */
  public static ClientPinRequest fromCbor(CborMap m) {
    return new ClientPinRequest(
        m.optLong(PIN_UV_AUTH_PROTOCOL),
        m.longValue(SUB_COMMAND),
        m.optMap(KEY_AGREEMENT),
        m.optBytes(PIN_UV_AUTH_PARAM),
        m.optBytes(NEW_PIN_ENC),
        m.optBytes(PIN_HASH_ENC),
        m.optLong(PERMISSIONS),
        m.optText(RP_ID));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .put(SUB_COMMAND, subCommand)
        .putOpt(KEY_AGREEMENT, keyAgreement)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .putOpt(NEW_PIN_ENC, newPinEnc)
        .putOpt(PIN_HASH_ENC, pinHashEnc)
        .putOpt(PERMISSIONS, permissions)
        .putOpt(RP_ID, rpId)
        .build();
  }
}
