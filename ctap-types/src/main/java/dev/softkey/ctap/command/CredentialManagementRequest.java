package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorCredentialManagement parameters (CTAP 2.1 section 6.8.1). The same members serve the
 * prototype command 0x41 of FIDO_2_1_PRE authenticators (the CredentialManagement prototype, whose
 * pinProtocol and pinAuth are pinUvAuthProtocol and pinUvAuthParam under their old names), so the
 * command byte is a component and {@link #encode()} writes either. The subcommand is kept as a
 * number so that an unknown one reaches the authenticator, which answers
 * CTAP2_ERR_INVALID_SUBCOMMAND.
 *
 * @param command {@link CtapCommand#CREDENTIAL_MANAGEMENT} or {@link
 *     CtapCommand#CREDENTIAL_MANAGEMENT_PREVIEW}
 * @param subCommand 0x01
 * @param subCommandParams 0x02
 * @param pinUvAuthProtocol 0x03
 * @param pinUvAuthParam 0x04, authenticate(pinUvAuthToken, {@link #pinUvAuthMessage()})
 */
public record CredentialManagementRequest(
    CtapCommand command,
    long subCommand,
    Optional<SubCommandParams> subCommandParams,
    Optional<Long> pinUvAuthProtocol,
    Optional<Bytes> pinUvAuthParam)
    implements CtapRequest {
  public static final long SUB_COMMAND = 0x01;
  public static final long SUB_COMMAND_PARAMS = 0x02;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x03;
  public static final long PIN_UV_AUTH_PARAM = 0x04;

  /** The subcommands of CTAP 2.1 section 6.8 (the prototype has 0x01 to 0x06). */
  public enum SubCommand {
    GET_CREDS_METADATA(0x01),
    ENUMERATE_RPS_BEGIN(0x02),
    ENUMERATE_RPS_GET_NEXT_RP(0x03),
    ENUMERATE_CREDENTIALS_BEGIN(0x04),
    ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL(0x05),
    DELETE_CREDENTIAL(0x06),
    UPDATE_USER_INFORMATION(0x07);

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
   * subCommandParams (CTAP 2.1 section 6.8.1): which members a subcommand needs is the handler's
   * step (CTAP2_ERR_MISSING_PARAMETER there), so all are optional here.
   *
   * @param rpIdHash 0x01 rpIDHash, for enumerateCredentialsBegin
   * @param credentialId 0x02 credentialID, for deleteCredential and updateUserInformation
   * @param user 0x03, for updateUserInformation
   */
  public record SubCommandParams(
      Optional<Bytes> rpIdHash, Optional<PublicKeyCredentialDescriptor> credentialId, Optional<PublicKeyCredentialUserEntity> user)
      implements CborEncodable {
    public static final long RP_ID_HASH = 0x01;
    public static final long CREDENTIAL_ID = 0x02;
    public static final long USER = 0x03;

    public SubCommandParams {
      Objects.requireNonNull(rpIdHash, "rpIdHash");
      Objects.requireNonNull(credentialId, "credentialId");
      Objects.requireNonNull(user, "user");
    }

    /** The parameters of enumerateCredentialsBegin. */
    public static SubCommandParams ofRpIdHash(Bytes rpIdHash) {
      return new SubCommandParams(Optional.of(rpIdHash), Optional.empty(), Optional.empty());
    }

    /** The parameters of deleteCredential. */
    public static SubCommandParams ofCredentialId(PublicKeyCredentialDescriptor credentialId) {
      return new SubCommandParams(Optional.empty(), Optional.of(credentialId), Optional.empty());
    }

    /** The parameters of updateUserInformation. */
    public static SubCommandParams ofUpdate(PublicKeyCredentialDescriptor credentialId, PublicKeyCredentialUserEntity user) {
      return new SubCommandParams(Optional.empty(), Optional.of(credentialId), Optional.of(user));
    }

    public static SubCommandParams fromCbor(CborMap m) {
      return new SubCommandParams(
          m.optBytes(RP_ID_HASH),
          m.optMap(CREDENTIAL_ID).map(PublicKeyCredentialDescriptor::fromCbor),
          m.optMap(USER).map(PublicKeyCredentialUserEntity::fromCbor));
    }

    @Override
    public Map<Object, Object> toCbor() {
      return CborMapBuilder.create()
          .putOpt(RP_ID_HASH, rpIdHash)
          .putOpt(CREDENTIAL_ID, credentialId.map(PublicKeyCredentialDescriptor::toCbor))
          .putOpt(USER, user.map(PublicKeyCredentialUserEntity::toCbor))
          .build();
    }
  }

  public CredentialManagementRequest {
    if (command != CtapCommand.CREDENTIAL_MANAGEMENT && command != CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW) {
      throw new IllegalArgumentException("not a credential management command: " + command);
    }
    Objects.requireNonNull(subCommandParams, "subCommandParams");
    Objects.requireNonNull(pinUvAuthParam, "pinUvAuthParam");
    Members.requireUnsigned("subCommand", subCommand);
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
  }

  /** A request of command 0x0A with only a subcommand; add members with the {@code with*} methods. */
  public static CredentialManagementRequest of(SubCommand sub) {
    return new CredentialManagementRequest(
        CtapCommand.CREDENTIAL_MANAGEMENT, sub.code(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The same members under another command byte: {@link CtapCommand#CREDENTIAL_MANAGEMENT_PREVIEW} for a FIDO_2_1_PRE authenticator. */
  public CredentialManagementRequest withCommand(CtapCommand c) {
    return new CredentialManagementRequest(c, subCommand, subCommandParams, pinUvAuthProtocol, pinUvAuthParam);
  }

  public CredentialManagementRequest withSubCommandParams(SubCommandParams p) {
    return new CredentialManagementRequest(command, subCommand, Optional.of(p), pinUvAuthProtocol, pinUvAuthParam);
  }

  public CredentialManagementRequest withPinUvAuth(long protocol, Bytes param) {
    return new CredentialManagementRequest(command, subCommand, subCommandParams, Optional.of(protocol), Optional.of(param));
  }

  public Optional<SubCommand> knownSubCommand() {
    return SubCommand.fromCode(subCommand);
  }

  /** Strict decoding of command 0x0A: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a missing subCommand CTAP2_ERR_MISSING_PARAMETER. */
  public static CredentialManagementRequest fromCbor(CborMap m) {
    return fromCbor(CtapCommand.CREDENTIAL_MANAGEMENT, m);
  }

  /** Strict decoding of the parameters that came with {@code command} (0x0A or 0x41). */
  public static CredentialManagementRequest fromCbor(CtapCommand command, CborMap m) {
    return new CredentialManagementRequest(
        command,
        m.longValue(SUB_COMMAND),
        m.optMap(SUB_COMMAND_PARAMS).map(SubCommandParams::fromCbor),
        m.optLong(PIN_UV_AUTH_PROTOCOL),
        m.optBytes(PIN_UV_AUTH_PARAM));
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
   * The message pinUvAuthParam authenticates (CTAP 2.1 section 6.8.2 onwards): subCommand as one
   * byte, then the CBOR encoding of subCommandParams when present. A platform signs this before it
   * sets pinUvAuthParam. Throws CTAP2_ERR_INVALID_SUBCOMMAND for a subCommand that is no byte.
   *
   * <p>An authenticator verifies with {@link #pinUvAuthMessageAsReceived(CborMap)} instead: this
   * record keeps only the members CTAP defines, so a platform that sent more (an "icon" in the user
   * entity, say) signed bytes the record no longer holds.
   */
  public Bytes pinUvAuthMessage() {
    return message(subCommand, subCommandParams.map(SubCommandParams::toCbor));
  }

  /**
   * The message pinUvAuthParam authenticates, from the parameters map as the authenticator decoded
   * it: subCommand as one byte, then subCommandParams exactly as received (the strict decoder only
   * accepts canonical CBOR, so re-encoding the decoded map gives back the received bytes).
   */
  public static Bytes pinUvAuthMessageAsReceived(CborMap received) {
    return message(received.longValue(SUB_COMMAND), received.optMap(SUB_COMMAND_PARAMS));
  }

  private static Bytes message(long subCommand, Optional<?> params) {
    return SubCommands.pinUvAuthMessage(new byte[0], subCommand, params);
  }
}
