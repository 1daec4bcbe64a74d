package dev.softkey.core.ctap2.credman;

import dev.softkey.core.OperationContext;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.extension.AuthenticatorExtension;
import dev.softkey.core.extension.CredProtectExtension;
import dev.softkey.core.extension.ThirdPartyPaymentExtension;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommand;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.CredentialManagementResponse;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * authenticatorCredentialManagement (CTAP 2.1 section 6.8), as command 0x0A on FIDO_2_1 models
 * ({@link #standard}) and as the prototype command 0x41 on FIDO_2_1_PRE models ({@link #preview}),
 * with the same members and logic. The two enumerations are {@code StatefulCommands} sequences that
 * only their own GetNext subcommand continues, within {@link #ENUMERATION_TIMEOUT} of the last step.
 *
 * <p>The prototype predates pinUvAuthToken permissions: a FIDO_2_1_PRE platform (libfido2 1.12 and
 * python-fido2 0.9.1 on a key without the pinUvAuthToken option) signs with the pinToken of
 * getPinToken (ClientPIN 0x05), which carries the default permissions mc and ga and no RP ID. Command
 * 0x41 therefore accepts that token as well as one with the cm permission, as preview keys do; 0x0A
 * requires cm. The prototype's subcommands are 0x01 to 0x06: on a model that is FIDO_2_1_PRE only,
 * 0x41 answers updateUserInformation (0x07, new in CTAP 2.1) with CTAP2_ERR_INVALID_SUBCOMMAND.
 */
public final class CredentialManagementHandler implements CommandHandler {
  /** The enumeration timer (CTAP 2.1 sections 6.8.3 and 6.8.4: 30 seconds, as getNextAssertion's). */
  public static final Duration ENUMERATION_TIMEOUT = Duration.ofSeconds(30);

  private final AuthenticatorEnv env;
  private final CtapCommand command;
  private final boolean supported;
  /** The preview's rules (a getPinToken token is enough), on 0x41 and, with the quirk, on 0x0A. */
  private final boolean prototypeRules;
  /** Whether this command reports its getInfo option (not 0x41 when 0x0A answers on a preview model). */
  private final boolean reportsOption;

  /** What enumerateRPsGetNextRP continues with: the RPs not yet returned. */
  private record RpEnumeration(List<String> remaining) {}

  /** What enumerateCredentialsGetNextCredential continues with: the credential IDs not yet returned. */
  private record CredentialEnumeration(List<Bytes> remaining) {}

  private CredentialManagementHandler(AuthenticatorEnv env, CtapCommand command, boolean supported) {
    this.env = env;
    this.command = command;
    this.supported = supported;
    boolean preview = command == CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW;
    boolean both = bothCommands(env);
    this.prototypeRules = preview || both;
    this.reportsOption = !(preview && both);
  }

  /**
   * Command 0x0A, answered when the profile lists FIDO_2_1 and has credential management, or when
   * a FIDO_2_1_PRE model has the quirk credMgmtOnBothCommands.
   */
  public static CredentialManagementHandler standard(AuthenticatorEnv env) {
    boolean on =
        env.profile().management().credentialManagement()
            && (env.profile().getInfo().supports(CtapVersion.FIDO_2_1) || bothCommands(env));
    return new CredentialManagementHandler(env, CtapCommand.CREDENTIAL_MANAGEMENT, on);
  }

  /**
   * The quirk credMgmtOnBothCommands on a FIDO_2_1_PRE model (Solo 1 firmware 4.x): 0x0A and 0x41
   * both answer, under the preview's rules, and getInfo reports credMgmt alone. The one place the
   * quirk is read.
   */
  private static boolean bothCommands(AuthenticatorEnv env) {
    Profile.GetInfo info = env.profile().getInfo();
    return env.profile().quirks().credMgmtOnBothCommands()
        && info.supports(CtapVersion.FIDO_2_1_PRE)
        && !info.supports(CtapVersion.FIDO_2_1);
  }

  /** The prototype command 0x41, answered when the profile lists FIDO_2_1_PRE and has credential management. */
  public static CredentialManagementHandler preview(AuthenticatorEnv env) {
    boolean on =
        env.profile().management().credentialManagement() && env.profile().getInfo().supports(CtapVersion.FIDO_2_1_PRE);
    return new CredentialManagementHandler(env, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, on);
  }

  @Override
  public CtapCommand command() {
    return command;
  }

  @Override
  public boolean supported() {
    return supported;
  }

  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.CREDENTIAL_MANAGEMENT);
  }

  /**
   * credMgmt for 0x0A, credentialMgmtPreview for 0x41 (CTAP 2.1 section 6.4, options); with both
   * commands on a preview model (quirk credMgmtOnBothCommands) only credMgmt, as that firmware.
   */
  @Override
  public Map<String, Boolean> infoOptions() {
    if (!reportsOption) {
      return Map.of();
    }
    return Map.of(isPreview() ? "credentialMgmtPreview" : "credMgmt", true);
  }

  private boolean isPreview() {
    return command == CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW;
  }

  @Override
  public Optional<CredentialManagementResponse> handle(CommandParameters parameters, OperationContext ctx) {
    CborMap received = parameters.map();
    CredentialManagementRequest req = CredentialManagementRequest.fromCbor(command, received);
    Optional<SubCommand> sub = req.knownSubCommand();
    boolean getNext =
        sub.isPresent() && (sub.get() == SubCommand.ENUMERATE_RPS_GET_NEXT_RP || sub.get() == SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL);
    if (!getNext) {
      // A subcommand other than a GetNext ends a pending enumeration (stateful commands, section 6.8).
      env.session().stateful().end();
    }
    if (sub.isEmpty() || (sub.get() == SubCommand.UPDATE_USER_INFORMATION && !updateSupported())) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND, "subCommand " + req.subCommand());
    }
    if (!getNext) {
      // Steps shared by every subcommand but the GetNext ones: pinUvAuthParam missing =>
      // CTAP2_ERR_PUAT_REQUIRED; pinUvAuthProtocol missing => CTAP2_ERR_MISSING_PARAMETER, not
      // supported => CTAP1_ERR_INVALID_PARAMETER; verify(pinUvAuthToken, subCommand ||
      // subCommandParams, pinUvAuthParam) fails => CTAP2_ERR_PIN_AUTH_INVALID; no cm permission =>
      // CTAP2_ERR_PIN_AUTH_INVALID. The permissions RP ID rule is each subcommand's.
      authorize(req, received);
    }
    return switch (sub.get()) {
      case GET_CREDS_METADATA -> Optional.of(getCredsMetadata());
      case ENUMERATE_RPS_BEGIN -> Optional.of(enumerateRpsBegin());
      case ENUMERATE_RPS_GET_NEXT_RP -> Optional.of(enumerateRpsGetNextRp());
      case ENUMERATE_CREDENTIALS_BEGIN -> Optional.of(enumerateCredentialsBegin(req));
      case ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL -> Optional.of(enumerateCredentialsGetNextCredential());
      case DELETE_CREDENTIAL -> {
        deleteCredential(req);
        yield Optional.empty();
      }
      case UPDATE_USER_INFORMATION -> {
        updateUserInformation(req);
        yield Optional.empty();
      }
    };
  }

  /**
   * updateUserInformation is CTAP 2.1's: only a model that lists FIDO_2_1 has it (on 0x0A, and on
   * 0x41 when it lists the preview too).
   */
  private boolean updateSupported() {
    return env.profile().getInfo().supports(CtapVersion.FIDO_2_1);
  }

  private void authorize(CredentialManagementRequest req, CborMap received) {
    UserChecks.verifyToken(
        env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), CredentialManagementRequest.pinUvAuthMessageAsReceived(received));
    // 0x41 also takes a getPinToken token, as preview keys do (and 0x0A on a quirk model).
    if (!(prototypeRules && legacyPinToken())) {
      UserChecks.requirePermission(env, Permission.CREDENTIAL_MANAGEMENT);
    }
  }

  /**
   * A pinToken of getPinToken (section 6.5.5.7.1): the default permissions mc and ga without a
   * permissions RP ID. getPinUvAuthTokenUsing*WithPermissions cannot give mc or ga without an RP ID.
   */
  private boolean legacyPinToken() {
    return env.pin().tokenHasPermission(Permission.MAKE_CREDENTIAL)
        && env.pin().tokenHasPermission(Permission.GET_ASSERTION)
        && env.pin().tokenRpId().isEmpty();
  }

  /** Section 6.8.2 step: a pinUvAuthToken with a permissions RP ID => CTAP2_ERR_PIN_AUTH_INVALID. */
  private void requireNoRpId() {
    if (env.pin().tokenRpId().isPresent()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token is bound to an RP ID");
    }
  }

  /** A token bound to an RP ID may manage only that RP's credentials: else CTAP2_ERR_PIN_AUTH_INVALID. */
  private void requireNoOrSameRpId(String rpId) {
    if (env.pin().tokenRpId().isPresent() && !env.pin().tokenRpId().get().equals(rpId)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token is bound to another RP ID");
    }
  }

  /** Section 6.8.2 getCredsMetadata. */
  private CredentialManagementResponse getCredsMetadata() {
    // 5. The token must have no permissions RP ID.
    requireNoRpId();
    // 6. existingResidentCredentialsCount and maxPossibleRemainingResidentCredentialsCount.
    int existing = env.credentials().count();
    return CredentialManagementResponse.ofMetadata(existing, remaining(existing));
  }

  private long remaining(int existing) {
    return Math.max(0, env.profile().limits().maxResidentCredentials() - existing);
  }

  /** Section 6.8.3 enumerateRPsBegin. */
  private CredentialManagementResponse enumerateRpsBegin() {
    // 5. The token must have no permissions RP ID.
    requireNoRpId();
    // 6. No discoverable credentials => CTAP2_ERR_NO_CREDENTIALS.
    Set<String> rps = new LinkedHashSet<>();
    for (StoredCredential c : env.credentials().all()) {
      rps.add(c.rpId());
    }
    if (rps.isEmpty()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }
    List<String> ids = new ArrayList<>(rps);
    // 7. totalRPs > 1: remember the rest and start the timer; return the first with totalRPs.
    if (ids.size() > 1) {
      env.session()
          .stateful()
          .begin(Set.of(command), new RpEnumeration(new ArrayList<>(ids.subList(1, ids.size()))), ENUMERATION_TIMEOUT);
    }
    return rpResponse(ids.get(0), Optional.of((long) ids.size()));
  }

  /** Section 6.8.3 enumerateRPsGetNextRP. */
  private CredentialManagementResponse enumerateRpsGetNextRp() {
    // 1. No enumerateRPsBegin (or GetNextRP) just before, or the timer ran out => CTAP2_ERR_NOT_ALLOWED.
    RpEnumeration state = continuation(RpEnumeration.class);
    String rpId = state.remaining().remove(0);
    if (state.remaining().isEmpty()) {
      env.session().stateful().end();
    }
    // 2. The next RP, without totalRPs; the timer restarts.
    return rpResponse(rpId, Optional.empty());
  }

  private CredentialManagementResponse rpResponse(String rpId, Optional<Long> totalRps) {
    Optional<String> name = Optional.empty();
    for (StoredCredential c : env.credentials().findByRpId(rpId)) {
      if (c.rpName().isPresent()) {
        name = c.rpName();
        break;
      }
    }
    return CredentialManagementResponse.ofRp(
        new PublicKeyCredentialRpEntity(rpId, name), PublicKeyCredentialRpEntity.idHash(rpId), totalRps);
  }

  /** Section 6.8.4 enumerateCredentialsBegin. */
  private CredentialManagementResponse enumerateCredentialsBegin(CredentialManagementRequest req) {
    // subCommandParams or its rpIDHash missing => CTAP2_ERR_MISSING_PARAMETER.
    Bytes rpIdHash =
        req.subCommandParams()
            .flatMap(SubCommandParams::rpIdHash)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "rpIDHash is missing"));
    // A token with a permissions RP ID whose hash is not rpIDHash => CTAP2_ERR_PIN_AUTH_INVALID.
    if (env.pin().tokenRpId().isPresent() && !PublicKeyCredentialRpEntity.idHash(env.pin().tokenRpId().get()).equals(rpIdHash)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, "token is bound to another RP ID");
    }
    // No discoverable credential for the RP => CTAP2_ERR_NO_CREDENTIALS.
    List<StoredCredential> creds = new ArrayList<>();
    for (StoredCredential c : env.credentials().all()) {
      if (PublicKeyCredentialRpEntity.idHash(c.rpId()).equals(rpIdHash)) {
        creds.add(c);
      }
    }
    if (creds.isEmpty()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }
    // totalCredentials > 1: remember the rest and start the timer; the first with totalCredentials.
    if (creds.size() > 1) {
      List<Bytes> rest = new ArrayList<>();
      for (StoredCredential c : creds.subList(1, creds.size())) {
        rest.add(c.credentialId());
      }
      env.session().stateful().begin(Set.of(command), new CredentialEnumeration(rest), ENUMERATION_TIMEOUT);
    }
    return credentialResponse(creds.get(0), Optional.of((long) creds.size()));
  }

  /** Section 6.8.4 enumerateCredentialsGetNextCredential. */
  private CredentialManagementResponse enumerateCredentialsGetNextCredential() {
    // No enumerateCredentialsBegin (or GetNextCredential) just before, or the timer ran out =>
    // CTAP2_ERR_NOT_ALLOWED.
    CredentialEnumeration state = continuation(CredentialEnumeration.class);
    while (!state.remaining().isEmpty()) {
      Bytes id = state.remaining().remove(0);
      if (state.remaining().isEmpty()) {
        env.session().stateful().end();
      }
      Optional<StoredCredential> c = env.credentials().find(id);
      if (c.isPresent()) {
        // The next credential, without totalCredentials; the timer restarts.
        return credentialResponse(c.get(), Optional.empty());
      }
    }
    env.session().stateful().end();
    throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED, "no credential left");
  }

  private <T> T continuation(Class<T> type) {
    Optional<T> state = env.session().stateful().continueWith(command, type);
    if (state.isEmpty()) {
      env.session().stateful().end();
      throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED, "no enumeration to continue");
    }
    return state.get();
  }

  /**
   * user, credentialID, publicKey, totalCredentials; credProtect (0x0A) and thirdPartyPayment
   * (0x0C, CTAP 2.2) from their extensions' state, on a model that has them; largeBlobKey (0x0B)
   * for a credential that has one.
   */
  private CredentialManagementResponse credentialResponse(StoredCredential c, Optional<Long> totalCredentials) {
    CborMap publicKey = new CborMap(CredentialKey.fromPrivateEncoding(c.algorithm(), c.privateKey()).cosePublicKey());
    return CredentialManagementResponse.ofCredential(
        new PublicKeyCredentialUserEntity(c.userId(), c.userName(), c.userDisplayName(), c.userIcon()),
        PublicKeyCredentialDescriptor.publicKey(c.credentialId()),
        publicKey,
        totalCredentials,
        env.extensions()
            .find(CredProtectExtension.ID)
            .map(e -> (long) CredProtectExtension.level(AuthenticatorExtension.stateOf(c.extensionData(), e))),
        env.extensions().credentialManagementResponse(c.extensionData()).largeBlobKey(),
        env.extensions()
            .find(ThirdPartyPaymentExtension.ID)
            .map(e -> ThirdPartyPaymentExtension.marked(AuthenticatorExtension.stateOf(c.extensionData(), e))));
  }

  /** Section 6.8.5 deleteCredential. */
  private void deleteCredential(CredentialManagementRequest req) {
    // subCommandParams or its credentialID missing => CTAP2_ERR_MISSING_PARAMETER.
    Bytes id =
        req.subCommandParams()
            .flatMap(SubCommandParams::credentialId)
            .map(PublicKeyCredentialDescriptor::id)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "credentialID is missing"));
    // No such discoverable credential => CTAP2_ERR_NO_CREDENTIALS.
    StoredCredential c = env.credentials().find(id).orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS));
    // A token bound to another RP ID => CTAP2_ERR_PIN_AUTH_INVALID.
    requireNoOrSameRpId(c.rpId());
    // Delete it (durably: the store commits before it returns).
    env.credentials().delete(id);
    env.control().deletedStored(c);
  }

  /** Section 6.8.6 updateUserInformation. */
  private void updateUserInformation(CredentialManagementRequest req) {
    // subCommandParams, its credentialID or its user missing => CTAP2_ERR_MISSING_PARAMETER.
    SubCommandParams p =
        req.subCommandParams().orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "subCommandParams"));
    Bytes id =
        p.credentialId()
            .map(PublicKeyCredentialDescriptor::id)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "credentialID is missing"));
    PublicKeyCredentialUserEntity user =
        p.user().orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "user is missing"));
    // No such discoverable credential => CTAP2_ERR_NO_CREDENTIALS.
    StoredCredential c = env.credentials().find(id).orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS));
    // A token bound to another RP ID => CTAP2_ERR_PIN_AUTH_INVALID.
    requireNoOrSameRpId(c.rpId());
    // user.id not the credential's user handle => CTAP1_ERR_INVALID_PARAMETER.
    if (!user.id().equals(c.userId())) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "user.id is not the credential's user handle");
    }
    // Replace name and displayName; an absent or empty one is removed.
    StoredCredential updated = c.withUser(nonEmpty(user.name()), nonEmpty(user.displayName()));
    env.credentials().update(updated);
    env.control().updatedStored(updated);
  }

  private static Optional<String> nonEmpty(Optional<String> s) {
    return s.filter(v -> !v.isEmpty());
  }
}
