package dev.softkey.platform.credman;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommand;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.CredentialManagementResponse;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.command.ParameterlessRequest;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The platform side of authenticatorCredentialManagement (CTAP 2.1 section 6.8), as fido2-token
 * {@code -L}/{@code -D} and a browser's "manage security key" page use it: one pinUvAuthToken with the
 * cm permission, then the subcommands, the enumerations driven by their GetNext subcommands sent
 * bare and back to back.
 *
 * <p>The command byte comes from getInfo: 0x0A when the option credMgmt is true, else the prototype
 * 0x41 when credentialMgmtPreview is (python-fido2's and newer libfido2's rule; libfido2 1.12 sends
 * 0x41 to every key). The token comes from {@link PlatformPin}: getPinUvAuthTokenUsingPinWithPermissions
 * with cm when the key reports pinUvAuthToken, else the superseded getPinToken, which a preview key
 * accepts for 0x41 (libfido2's and python-fido2's choice); without a PIN, built-in UV with permissions.
 */
public final class CredentialManager {
  private final CtapTransport transport;
  private final CtapCommand command;
  private final PinToken token;

  /** getCredsMetadata: discoverable credentials stored, and how many more fit. */
  public record Metadata(long existing, long remaining) {}

  /** One RP of enumerateRPs: its entity (id, optional name) and rpIDHash. */
  public record Rp(PublicKeyCredentialRpEntity rp, Bytes rpIdHash) {}

  /**
   * One discoverable credential of enumerateCredentials.
   *
   * @param rpId the RP it was enumerated under
   * @param user its user entity (id, name, displayName)
   * @param credentialId its credential ID
   * @param publicKey its COSE_Key
   * @param credProtect its credProtect level (1 to 3), when the authenticator reports it
   * @param largeBlobKey its largeBlobKey (member 0x0B, secret), when it has one
   */
  public record Credential(
      String rpId, PublicKeyCredentialUserEntity user, Bytes credentialId, CborMap publicKey, Optional<Long> credProtect,
      Optional<Bytes> largeBlobKey) {
    public Credential {
      Objects.requireNonNull(rpId, "rpId");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(credentialId, "credentialId");
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(credProtect, "credProtect");
      Objects.requireNonNull(largeBlobKey, "largeBlobKey");
    }

    /** Without a largeBlobKey. */
    public Credential(String rpId, PublicKeyCredentialUserEntity user, Bytes credentialId, CborMap publicKey, Optional<Long> credProtect) {
      this(rpId, user, credentialId, publicKey, credProtect, Optional.empty());
    }
  }

  /** A manager that signs with {@code token} and sends {@code command} (0x0A or 0x41). */
  public CredentialManager(CtapTransport transport, CtapCommand command, PinToken token) {
    if (command != CtapCommand.CREDENTIAL_MANAGEMENT && command != CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW) {
      throw new IllegalArgumentException("not a credential management command: " + command);
    }
    this.transport = Objects.requireNonNull(transport);
    this.command = command;
    this.token = Objects.requireNonNull(token);
  }

  /**
   * Reads getInfo, picks the command byte and obtains the token: with {@code pin} when given, else
   * by built-in UV. {@code rpId} binds the token (a token so bound may only manage that RP's
   * credentials). Throws {@link CtapException}: CTAP1_ERR_INVALID_COMMAND when the key has no
   * credential management, CTAP2_ERR_PIN_NOT_SET without a PIN and without built-in UV, and the
   * authenticator's status for a wrong PIN.
   */
  public static CredentialManager open(CtapTransport transport, PlatformPin pin, Optional<String> pinText, Optional<String> rpId) {
    AuthenticatorInfo info = getInfo(transport);
    CtapCommand cmd = commandFor(info).orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND, "the authenticator has no credential management"));
    PinToken token;
    if (pinText.isPresent()) {
      token = info.supportsPinUvAuthToken()
          ? pin.getPinUvAuthToken(pinText.get(), Set.of(Permission.CREDENTIAL_MANAGEMENT), rpId)
          : pin.getPinToken(pinText.get());
    } else if (info.hasBuiltInUv() && info.supportsPinUvAuthToken()) {
      token = pin.getUvToken(Set.of(Permission.CREDENTIAL_MANAGEMENT), rpId);
    } else {
      throw new CtapException(
          info.isPinSet() ? CtapStatus.CTAP2_ERR_PUAT_REQUIRED : CtapStatus.CTAP2_ERR_PIN_NOT_SET,
          "credential management needs the PIN");
    }
    return new CredentialManager(transport, cmd, token);
  }

  /** authenticatorGetInfo, read strictly. */
  public static AuthenticatorInfo getInfo(CtapTransport transport) {
    return AuthenticatorInfo.parse(CtapReply.body(transport.transact(ParameterlessRequest.GET_INFO.encode())));
  }

  /** 0x0A for option credMgmt, 0x41 for credentialMgmtPreview, empty for neither. */
  public static Optional<CtapCommand> commandFor(AuthenticatorInfo info) {
    if (info.option("credMgmt").orElse(false)) {
      return Optional.of(CtapCommand.CREDENTIAL_MANAGEMENT);
    }
    if (info.option("credentialMgmtPreview").orElse(false)) {
      return Optional.of(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW);
    }
    return Optional.empty();
  }

  public CtapCommand command() {
    return command;
  }

  /** getCredsMetadata (section 6.8.2). */
  public Metadata metadata() {
    CredentialManagementResponse r = send(signed(SubCommand.GET_CREDS_METADATA, Optional.empty()));
    return new Metadata(
        r.existingResidentCredentialsCount().orElseThrow(() -> malformed("existingResidentCredentialsCount")),
        r.maxPossibleRemainingResidentCredentialsCount().orElseThrow(() -> malformed("maxPossibleRemainingResidentCredentialsCount")));
  }

  /** enumerateRPsBegin, then enumerateRPsGetNextRP totalRPs - 1 times (section 6.8.3); empty when none. */
  public List<Rp> rps() {
    CredentialManagementResponse first;
    try {
      first = send(signed(SubCommand.ENUMERATE_RPS_BEGIN, Optional.empty()));
    } catch (CtapException e) {
      if (e.status() == CtapStatus.CTAP2_ERR_NO_CREDENTIALS) {
        return List.of();
      }
      throw e;
    }
    long total = first.totalRps().orElseThrow(() -> malformed("totalRPs"));
    List<Rp> out = new ArrayList<>();
    if (total == 0) {
      return out;
    }
    out.add(rp(first));
    for (long i = 1; i < total; i++) {
      out.add(rp(send(CredentialManagementRequest.of(SubCommand.ENUMERATE_RPS_GET_NEXT_RP).withCommand(command))));
    }
    return out;
  }

  /**
   * enumerateCredentialsBegin for {@code rpId}, then enumerateCredentialsGetNextCredential
   * totalCredentials - 1 times (section 6.8.4); empty when the RP has none.
   */
  public List<Credential> credentials(String rpId) {
    Bytes hash = PublicKeyCredentialRpEntity.idHash(rpId);
    CredentialManagementResponse first;
    try {
      first = send(signed(SubCommand.ENUMERATE_CREDENTIALS_BEGIN, Optional.of(SubCommandParams.ofRpIdHash(hash))));
    } catch (CtapException e) {
      if (e.status() == CtapStatus.CTAP2_ERR_NO_CREDENTIALS) {
        return List.of();
      }
      throw e;
    }
    long total = first.totalCredentials().orElseThrow(() -> malformed("totalCredentials"));
    List<Credential> out = new ArrayList<>();
    out.add(credential(rpId, first));
    for (long i = 1; i < total; i++) {
      out.add(credential(rpId, send(CredentialManagementRequest.of(SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).withCommand(command))));
    }
    return out;
  }

  /** Every RP's credentials, RP by RP. */
  public List<Credential> allCredentials() {
    List<Credential> out = new ArrayList<>();
    for (Rp rp : rps()) {
      out.addAll(credentials(rp.rp().id()));
    }
    return out;
  }

  /** deleteCredential (section 6.8.5); CTAP2_ERR_NO_CREDENTIALS when the key has no such credential. */
  public void delete(Bytes credentialId) {
    send(signed(SubCommand.DELETE_CREDENTIAL, Optional.of(SubCommandParams.ofCredentialId(PublicKeyCredentialDescriptor.publicKey(credentialId)))));
  }

  /**
   * updateUserInformation (section 6.8.6): {@code user.id} must be the credential's user handle;
   * an absent name or displayName is removed from the credential.
   */
  public void updateUser(Bytes credentialId, PublicKeyCredentialUserEntity user) {
    send(signed(
        SubCommand.UPDATE_USER_INFORMATION,
        Optional.of(SubCommandParams.ofUpdate(PublicKeyCredentialDescriptor.publicKey(credentialId), user))));
  }

  private CredentialManagementRequest signed(SubCommand sub, Optional<SubCommandParams> params) {
    CredentialManagementRequest r = CredentialManagementRequest.of(sub).withCommand(command);
    if (params.isPresent()) {
      r = r.withSubCommandParams(params.get());
    }
    return r.withPinUvAuth(token.protocol(), token.authenticate(r.pinUvAuthMessage().unsafeArray()));
  }

  private CredentialManagementResponse send(CredentialManagementRequest r) {
    return CredentialManagementResponse.fromCbor(CtapReply.body(transport.transact(r.encode())));
  }

  private static Rp rp(CredentialManagementResponse r) {
    return new Rp(r.rp().orElseThrow(() -> malformed("rp")), r.rpIdHash().orElseThrow(() -> malformed("rpIDHash")));
  }

  private static Credential credential(String rpId, CredentialManagementResponse r) {
    return new Credential(
        rpId,
        r.user().orElseThrow(() -> malformed("user")),
        r.credentialId().orElseThrow(() -> malformed("credentialID")).id(),
        r.publicKey().orElseThrow(() -> malformed("publicKey")),
        r.credProtect(),
        r.largeBlobKey());
  }

  private static CtapException malformed(String member) {
    return new CtapException(CtapStatus.CTAP2_ERR_INVALID_CBOR, "the response lacks " + member);
  }
}
