package dev.softkey.core.ctap2.makecredential;

import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.ctap.CtapCommand;
import java.util.Set;

import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationInput;
import dev.softkey.core.attestation.AttestationStatement;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.control.ControlState;
import dev.softkey.core.control.ResponseOverrides;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.extension.Extensions;
import dev.softkey.core.ctap2.SignCounters;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.AuthenticatorData.AttestedCredentialData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.command.MakeCredentialResponse;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** authenticatorMakeCredential (CTAP 2.1 section 6.1.2), step by step. */
public final class MakeCredentialHandler implements CommandHandler {
  /** maxCredentialIdLength below which Ed25519 keys are sealed as their seed alone (the YubiKeys' 128 fit both forms). */
  static final int SHORT_ID = 128;

  /** enterpriseAttestation 1: vendor-facilitated (CTAP 2.1 section 7.1.1). */
  public static final long ENTERPRISE_VENDOR_FACILITATED = 1;
  /** enterpriseAttestation 2: platform-managed (CTAP 2.1 section 7.1.2). */
  public static final long ENTERPRISE_PLATFORM_MANAGED = 2;

  private final AuthenticatorEnv env;

  public MakeCredentialHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.MAKE_CREDENTIAL;
  }

  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.MAKE_CREDENTIAL);
  }

  /**
   * rk (discoverable credentials) and makeCredUvNotRqd (CTAP 2.1 section 6.4; absent means false):
   * while alwaysUv is true it is reported false, as the spec requires.
   */
  @Override
  public Map<String, Boolean> infoOptions() {
    Map<String, Boolean> o = new java.util.TreeMap<>();
    o.put("rk", env.profile().getInfo().options().rk());
    if (env.profile().getInfo().options().makeCredUvNotRqd()) {
      o.put("makeCredUvNotRqd", !env.config().alwaysUv());
    }
    return o;
  }

  @Override
  public Optional<MakeCredentialResponse> handle(CommandParameters parameters, OperationContext ctx) {
    return Optional.of(handle(MakeCredentialRequest.fromCbor(parameters.map()), ctx));
  }

  public MakeCredentialResponse handle(MakeCredentialRequest req, OperationContext ctx) {
    Profile profile = env.profile();
    UserRequest ask =
        new UserRequest(UserRequest.Kind.MAKE_CREDENTIAL, Optional.of(req.rpId()), req.user().name());
    // (An excludeList longer than maxCredentialCountInList: CTAP2_ERR_LIMIT_EXCEEDED.)
    UserChecks.checkListLength(env, req.excludeList());

    // 1.-2. A zero-length pinUvAuthParam asks for a touch (the platform selecting a key); with a
    // pinUvAuthParam, pinUvAuthProtocol must be present and supported.
    UserChecks.steps1and2(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), ask, ctx);

    // 3. The first supported algorithm of pubKeyCredParams, else CTAP2_ERR_UNSUPPORTED_ALGORITHM.
    CoseAlgorithm alg = null;
    for (PublicKeyCredentialParameters p : req.pubKeyCredParams()) {
      if (!p.type().equals(PublicKeyCredentialDescriptor.PUBLIC_KEY)) {
        continue;
      }
      Optional<CoseAlgorithm> a = CoseAlgorithm.fromId(p.alg());
      if (a.isPresent() && profile.getInfo().algorithms().contains(a.get())) {
        alg = a.get();
        break;
      }
    }
    if (alg == null) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
    }

    // 4. The response's "uv" and "up" bits start false (they are set below from what was done).

    // 5. Options. "uv" (treated as false with a pinUvAuthParam) needs an enabled built-in UV
    // method, else CTAP2_ERR_INVALID_OPTION; "rk" on a model without discoverable credentials
    // is CTAP2_ERR_UNSUPPORTED_OPTION (as soon as "rk" is present, as YubiKeys answer); "up" false is
    // CTAP2_ERR_INVALID_OPTION.
    boolean uvRequested = UserChecks.uvOption(env, req.pinUvAuthParam(), req.uv());
    if (req.rk().isPresent() && !profile.getInfo().options().rk()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, "rk is not supported");
    }
    boolean rk = req.rk().orElse(false);
    if (req.up().isPresent() && !req.up().get()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "up=false is not allowed");
    }

    // 6. If the alwaysUv option ID is present and true:
    boolean protectedByUv = env.protectedByUv();
    boolean makeCredUvNotRqd = profile.getInfo().options().makeCredUvNotRqd();
    if (env.config().alwaysUv()) {
      // 6.1 makeCredUvNotRqd is treated as false.
      makeCredUvNotRqd = false;
      // 6.2 Not protected by some form of user verification: CTAP2_ERR_PUAT_REQUIRED. 6.3 "uv"
      //     true: built-in UV (step 11.2). 6.4 Neither a pinUvAuthParam nor "uv": PUAT_REQUIRED.
      UserChecks.alwaysUv(env, req.pinUvAuthParam(), uvRequested);
    }

    // 7.-8. A key protected by some form of user verification needs a pinUvAuthParam or the "uv"
    // option (CTAP2_ERR_PUAT_REQUIRED), except that with makeCredUvNotRqd a non-discoverable
    // credential may be made without (step 10 allows it).
    if (protectedByUv && !uvRequested && req.pinUvAuthParam().isEmpty()) {
      if (rk || !makeCredUvNotRqd) {
        throw new CtapException(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      }
    }

    // 9. If the enterpriseAttestation parameter is present:
    boolean enterprise = false;
    if (req.enterpriseAttestation().isPresent()) {
      // 9.1 Not enterprise attestation capable, or capable but disabled: CTAP1_ERR_INVALID_PARAMETER.
      if (!env.config().enterpriseAttestationEnabled()) {
        throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "enterprise attestation is not enabled");
      }
      Profile.EnterpriseAttestation modes = env.config().enterpriseAttestation().orElseThrow();
      long mode = req.enterpriseAttestation().get();
      if (mode == ENTERPRISE_VENDOR_FACILITATED) {
        // 9.2 Mode 1 (vendor-facilitated): an enterprise attestation only for an RP ID the vendor
        //     pre-configured; for any other RP a normal (non-enterprise) attestation.
        enterprise = modes.vendorFacilitatedRpIds().contains(req.rpId());
      } else if (mode == ENTERPRISE_PLATFORM_MANAGED) {
        // 9.3 Mode 2 (platform-managed): the platform vouches for the RP; an enterprise
        //     attestation for any RP ID on a model with this mode, else a normal attestation.
        enterprise = modes.platformManaged();
      } else {
        // 9.4 Any other value: CTAP1_ERR_INVALID_PARAMETER.
        throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "enterpriseAttestation must be 1 or 2");
      }
    }

    // 10.-11. User verification: the pinUvAuthToken (11.1, permission mc, bound to rp.id) or
    // built-in UV (11.2); neither when step 10's non-discoverable allowance applies.
    UserChecks.Verification verified =
        UserChecks.verifyUser(
            env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), uvRequested, req.clientDataHash(), Permission.MAKE_CREDENTIAL,
            req.rpId(), ctx);
    boolean uvFlag = verified.uv();

    // 12. excludeList: a credential of ours bound to this rp.id ends the request with
    // CTAP2_ERR_CREDENTIAL_EXCLUDED, after a touch unless the user is already known to be present.
    Bytes rpIdHash = req.rpIdHash();
    for (PublicKeyCredentialDescriptor d : req.excludeList()) {
      Bytes id = d.id();
      Optional<CredentialIdCodec.Sealed> found = env.keys().codec().open(id, rpIdHash);
      Optional<StoredCredential> stored;
      if (found.isEmpty()) {
        // Not sealed here: a credential the control API added (a stored one of this RP, or an
        // injected non-discoverable one) is excluded as well.
        stored = env.credentials().find(id).filter(c -> c.rpId().equals(req.rpId()));
        found = stored.isPresent() ? stored.flatMap(ControlState::sealedOf) : env.control().injected(id, rpIdHash);
        if (found.isEmpty()) {
          continue;
        }
      } else {
        stored = found.get().discoverable() ? env.credentials().find(id) : Optional.empty();
        if (found.get().discoverable() && stored.isEmpty()) {
          continue; // a deleted discoverable credential no longer exists
        }
        if (!found.get().discoverable() && env.control().revoked(id)) {
          continue; // removed through the control API
        }
      }
      Map<String, Bytes> states = stored.map(StoredCredential::extensionData).orElse(found.get().extensionState());
      if (!env.extensions().applicable(states, uvFlag, true)) {
        // 12.1: an extension keeps this credential out of sight (credProtect
        // userVerificationRequired without the "uv" bit).
        continue;
      }
      if (!UserChecks.userAlreadyPresent(env, verified)) {
        UserPresence.Result r =
            env.presence().requestPresence(UserRequest.of(UserRequest.Kind.EXCLUDED_CREDENTIAL_FOUND, req.rpId()), ctx);
        if (r == UserPresence.Result.CANCELLED) {
          throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
        }
      }
      throw new CtapException(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }

    // 13.-14. User presence ("up" is true here): built-in UV or the token's user-present flag
    // count as evidence, else request a touch; then the token's flags and permissions (but lbw)
    // are cleared.
    UserChecks.requirePresence(env, verified, ask, ctx);
    boolean upFlag = true;

    // 16. A new key pair for the algorithm of step 3, made before step 15: extensions may derive
    // per-credential secrets from it (hmac-secret's CredRandoms of a non-discoverable credential).
    CredentialKey key = CredentialKey.generate(alg, env.random());
    // On a model whose IDs are short (below 128 bytes), an Ed25519 key is sealed as its 32-byte
    // seed rather than seed and public key, chosen before the extensions derive their secrets from
    // the encoding (Extensions.credentialSecret).
    if (profile.limits().maxCredentialIdLength() < SHORT_ID) {
      key = key.seedOnly();
    }

    // 15. Extensions: every registered one runs (with its input when the platform sent one);
    // inputs of others are ignored. Their state stays with the credential, their outputs go into
    // authenticatorData.
    Extensions.Made made = env.extensions().makeCredential(req, uvFlag, rk, key);

    // 16. The key pair (made before step 15) sealed into the credential ID. A non-discoverable
    // credential keeps the extensions' state inside its sealed ID; when that would pass
    // maxCredentialIdLength, the extensions that can do without it settle for less (credBlob: not
    // stored, output false). A discoverable one keeps its state in the stored record only.
    Bytes credentialId = seal(alg, key, rk, made.states(), rpIdHash);
    if (credentialId.length() > profile.limits().maxCredentialIdLength() && made.withoutRoom().isPresent()) {
      made = made.withoutRoom().get();
      credentialId = seal(alg, key, rk, made.states(), rpIdHash);
    }
    if (credentialId.length() > profile.limits().maxCredentialIdLength()) {
      throw new IllegalStateException("credential ID exceeds the profile's maxCredentialIdLength");
    }

    // 17. rk: a discoverable credential, replacing one of the same rp.id and user.id;
    // CTAP2_ERR_KEY_STORE_FULL when there is no room.
    long signCount = 0;
    if (rk) {
      boolean replacing =
          env.credentials().findByRpId(req.rpId()).stream().anyMatch(c -> c.userId().equals(req.user().id()));
      if (!replacing && env.credentials().count() >= profile.limits().maxResidentCredentials()) {
        throw new CtapException(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      }
      signCount = SignCounters.initial(env);
      StoredCredential stored =
          new StoredCredential(
              credentialId,
              req.rpId(),
              req.rp().name(),
              req.user().id(),
              req.user().name(),
              req.user().displayName(),
              alg,
              key.privateEncoding(),
              signCount,
              profile.credentials().backupEligible(),
              profile.credentials().backupState(),
              creationTime(),
              made.states(),
              storedIcon(req.user().icon()));
      env.credentials().put(stored);
      env.control().addedStored(stored);
    } else {
      // 18. Not rk: a non-discoverable credential; its ID is the sealed key, nothing is stored
      // (the control API remembers the latest ones in memory).
      signCount = SignCounters.initial(env);
      env.control()
          .madeNonResident(
              credentialId, req.rpId(), signCount, profile.credentials().backupEligible(), profile.credentials().backupState());
    }

    int flags = (upFlag ? AuthenticatorData.UP : 0) | (uvFlag ? AuthenticatorData.UV : 0);
    if (profile.credentials().backupEligible()) {
      flags |= AuthenticatorData.BE;
    }
    if (profile.credentials().backupState()) {
      flags |= AuthenticatorData.BS;
    }
    ResponseOverrides overrides = env.control().overrides();
    if (overrides.badUv()) {
      flags &= ~AuthenticatorData.UV;
    }
    if (overrides.badUp()) {
      flags &= ~AuthenticatorData.UP;
    }
    AuthenticatorData authData =
        new AuthenticatorData(
            rpIdHash,
            flags,
            signCount,
            // A fido-u2f statement stands for a U2F authenticator, whose AAGUID is all zeros
            // (CTAP 2.1 section 11.2, makeCredential mapped onto U2F_REGISTER); webauthn4j and
            // SimpleWebAuthn reject a fido-u2f statement with any other AAGUID.
            Optional.of(
                new AttestedCredentialData(
                    profile.attestation().format() == AttestationFormat.FIDO_U2F && !enterprise
                        ? new UUID(0L, 0L)
                        : profile.identity().aaguid(),
                    credentialId,
                    new CborMap(key.cosePublicKey()))),
            made.outputs().isEmpty() ? Optional.empty() : Optional.of(new CborMap(made.outputs())));
    Bytes authDataBytes = authData.encode();

    // 19. The attestation statement over authenticatorData || clientDataHash: an enterprise
    // attestation when step 9 decided on one (epAtt true), else the model's usual statement.
    AttestationInput input = new AttestationInput(authDataBytes, req.clientDataHash(), rpIdHash, credentialId, key);
    Optional<AttestationStatement> enterpriseStatement =
        enterprise ? env.attestation().attestEnterprise(input) : Optional.empty();
    AttestationStatement att =
        enterpriseStatement.orElseGet(() -> env.attestation().attest(profile.attestation().format(), input));
    if (overrides.bogusSignature() && att.statement().containsKey("sig")) {
      // Chromium's bogus signature (virtual_ctap2_device.cc): the attestation "sig" is the one byte 0x00.
      Map<Object, Object> bogus = new java.util.LinkedHashMap<>(att.statement());
      bogus.put("sig", Bytes.wrap(new byte[] {0x00}));
      att = new AttestationStatement(att.format(), bogus);
    }

    // Response members the extensions fill outside authenticatorData (largeBlobKey, 0x05).
    Optional<Bytes> largeBlobKey = env.extensions().makeCredentialResponse(req, uvFlag, rk, made.states()).largeBlobKey();
    return new MakeCredentialResponse(
        att.format(),
        authDataBytes,
        new CborMap(att.statement()),
        enterpriseStatement.isPresent() ? Optional.of(true) : Optional.empty(),
        largeBlobKey,
        Optional.empty());
  }

  private Bytes seal(CoseAlgorithm alg, CredentialKey key, boolean rk, Map<String, Bytes> states, Bytes rpIdHash) {
    boolean be = env.profile().credentials().backupEligible();
    return env.keys().codec().seal(new CredentialIdCodec.Sealed(alg, key, rk, be, rk ? Map.of() : states), rpIdHash);
  }

  private long creationTime() {
    long now = env.clock().millis();
    List<StoredCredential> all = env.credentials().all();
    long newest = all.isEmpty() ? Long.MIN_VALUE : all.get(0).createdAt();
    return Math.max(now, newest == Long.MIN_VALUE ? now : newest + 1);
  }

  /** The Solo 1 firmware keeps at most ICON_LIMIT - 1 = 127 bytes of the icon (solokeys/solo1 fido2/ctap.h). */
  static final int KEPT_ICON_BYTES = 127;

  /**
   * The user entity's "icon" a new discoverable credential keeps: none, unless the profile has the
   * quirk keepUserIcon (Solo 1: parse_user copies up to ICON_LIMIT bytes and truncates the rest),
   * then the icon cut to {@link #KEPT_ICON_BYTES} bytes of UTF-8 at a character boundary. The one
   * place the quirk is read.
   */
  private Optional<String> storedIcon(Optional<String> icon) {
    if (!env.profile().quirks().keepUserIcon() || icon.isEmpty()) {
      return Optional.empty();
    }
    String s = icon.get();
    while (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > KEPT_ICON_BYTES) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
    }
    return Optional.of(s);
  }
}
