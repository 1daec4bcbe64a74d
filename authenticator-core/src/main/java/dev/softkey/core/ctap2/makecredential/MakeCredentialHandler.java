package dev.softkey.core.ctap2.makecredential;

import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationInput;
import dev.softkey.core.attestation.AttestationStatement;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.ctap2.PinUvChecks;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** authenticatorMakeCredential (CTAP 2.1 section 6.1.2), step by step. */
public final class MakeCredentialHandler {
  private final AuthenticatorEnv env;

  public MakeCredentialHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  public Map<Object, Object> handle(MakeCredentialRequest req, OperationContext ctx) {
    Profile profile = env.profile();
    UserRequest ask =
        new UserRequest(UserRequest.Kind.MAKE_CREDENTIAL, Optional.of(req.rpId()), req.userName());

    // 1-2. Zero-length pinUvAuthParam (touch to select); protocol present and supported.
    PinUvChecks.steps1and2(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), ask, ctx);

    // 3. The first supported algorithm of pubKeyCredParams.
    CoseAlgorithm alg = null;
    for (long id : req.pubKeyCredParams()) {
      Optional<CoseAlgorithm> a = CoseAlgorithm.fromId(id);
      if (a.isPresent() && profile.getInfo().algorithms().contains(a.get())) {
        alg = a.get();
        break;
      }
    }
    if (alg == null) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
    }

    // 4. Response flags start false.
    boolean uvFlag = false;
    boolean upFlag = false;

    // 5. Options. With a pinUvAuthParam, "uv" is treated as false.
    boolean uv = req.pinUvAuthParam().isEmpty() && req.uv().orElse(false);
    if (uv && !env.pin().builtInUvEnabled()) {
      // 5.3: no built-in UV (or not enabled).
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "no built-in user verification");
    }
    if (req.rk().isPresent() && !profile.getInfo().options().rk()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, "rk is not supported");
    }
    boolean rk = req.rk().orElse(false);
    if (req.up().isPresent() && !req.up().get()) {
      // 5.6: up=false is not allowed for makeCredential.
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "up=false is not allowed");
    }

    // 7-8. makeCredUvNotRqd: a protected key makes non-discoverable credentials without UV only
    // when the profile says so; discoverable ones always need a token or built-in UV.
    boolean protectedByUv = env.protectedByUv();
    if (protectedByUv && !uv && req.pinUvAuthParam().isEmpty()) {
      if (rk || !profile.getInfo().options().makeCredUvNotRqd()) {
        throw new CtapException(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      }
    }

    // 9. Enterprise attestation is not supported.
    if (req.enterpriseAttestation().isPresent()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "enterprise attestation is not supported");
    }

    // 10. User verification.
    boolean upFromBuiltInUv = false;
    if (req.pinUvAuthParam().isPresent()) {
      // 10.1: verify the token over clientDataHash, its permission and its RP ID.
      PinUvChecks.verifyTokenFor(
          env, req.pinUvAuthProtocol().get(), req.clientDataHash(), req.pinUvAuthParam().get(), Permission.MAKE_CREDENTIAL, req.rpId());
      uvFlag = true;
    } else if (uv) {
      // 10.2: built-in user verification (throws the spec's error on failure).
      env.pin().performBuiltInUv(req.rpId(), ctx);
      uvFlag = true;
      upFromBuiltInUv = true;
    }

    // 11. excludeList: a credential of ours for this RP ends the request after a touch.
    for (Bytes id : req.excludeList()) {
      Optional<CredentialIdCodec.Sealed> found = env.keys().codec().open(id, rpIdHash(req.rpId()));
      if (found.isEmpty()) {
        continue;
      }
      if (found.get().discoverable() && env.credentials().find(id).isEmpty()) {
        continue; // a deleted discoverable credential no longer exists
      }
      if (found.get().credProtect() == 3 && !uvFlag) {
        continue; // 11.2: userVerificationRequired credentials are invisible without UV
      }
      boolean userPresent =
          req.pinUvAuthParam().isPresent() ? env.pin().tokenUserPresent() : upFromBuiltInUv;
      if (!userPresent) {
        UserPresence.Result r =
            env.presence().requestPresence(UserRequest.of(UserRequest.Kind.EXCLUDED_CREDENTIAL_FOUND, req.rpId()), ctx);
        if (r == UserPresence.Result.CANCELLED) {
          throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
        }
      }
      throw new CtapException(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }

    // 12. User presence (up is always true here).
    boolean presenceDone = upFromBuiltInUv || (req.pinUvAuthParam().isPresent() && env.pin().tokenUserPresent());
    if (!presenceDone) {
      PinUvChecks.requireUp(env, ask, ctx);
    }
    upFlag = true;
    if (req.pinUvAuthParam().isPresent()) {
      env.pin().clearTokenUserPresent();
      env.pin().clearTokenUserVerified();
      env.pin().clearTokenPermissionsExceptLbw();
    }

    // 13. Extensions: none are supported yet; unsupported extensions are ignored.

    // 14. A new key pair.
    CredentialKey key = CredentialKey.generate(alg, env.random());
    Bytes rpIdHash = rpIdHash(req.rpId());
    CredentialIdCodec.Sealed sealed =
        new CredentialIdCodec.Sealed(alg, key, 1, rk, profile.credentials().backupEligible());
    Bytes credentialId = env.keys().codec().seal(sealed, rpIdHash);
    if (credentialId.length() > profile.limits().maxCredentialIdLength()) {
      throw new IllegalStateException("credential ID exceeds the profile's maxCredentialIdLength");
    }

    // 15. Discoverable: store it, replacing the same RP ID + user handle.
    long signCount = 0;
    if (rk) {
      boolean replacing =
          env.credentials().findByRpId(req.rpId()).stream().anyMatch(c -> c.userId().equals(req.userId()));
      if (!replacing && env.credentials().count() >= profile.limits().maxResidentCredentials()) {
        throw new CtapException(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      }
      signCount = SignCounters.initial(env);
      env.credentials()
          .put(
              new StoredCredential(
                  credentialId,
                  req.rpId(),
                  req.rpName(),
                  req.userId(),
                  req.userName(),
                  req.userDisplayName(),
                  alg,
                  key.privateEncoding(),
                  signCount,
                  1,
                  profile.credentials().backupEligible(),
                  profile.credentials().backupState(),
                  creationTime(),
                  Map.of()));
    } else {
      // 16. Non-discoverable: the ID is the sealed key, nothing is stored.
      signCount = SignCounters.initial(env);
    }

    int flags = (upFlag ? AuthenticatorData.UP : 0) | (uvFlag ? AuthenticatorData.UV : 0);
    if (profile.credentials().backupEligible()) {
      flags |= AuthenticatorData.BE;
    }
    if (profile.credentials().backupState()) {
      flags |= AuthenticatorData.BS;
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
                    profile.attestation().format() == AttestationFormat.FIDO_U2F ? new UUID(0L, 0L) : profile.identity().aaguid(),
                    credentialId,
                    key.cosePublicKey())),
            Optional.empty());
    Bytes authDataBytes = authData.encode();

    // 17. Attestation statement.
    AttestationStatement att =
        env.attestation()
            .attest(
                profile.attestation().format(),
                new AttestationInput(authDataBytes, req.clientDataHash(), rpIdHash, credentialId, key));

    // 18. The response: fmt (0x01), authData (0x02), attStmt (0x03).
    Map<Object, Object> resp = new LinkedHashMap<>();
    resp.put(0x01L, att.format());
    resp.put(0x02L, authDataBytes);
    resp.put(0x03L, att.statement());
    return resp;
  }

  private long creationTime() {
    long now = env.clock().millis();
    List<StoredCredential> all = env.credentials().all();
    long newest = all.isEmpty() ? Long.MIN_VALUE : all.get(0).createdAt();
    return Math.max(now, newest == Long.MIN_VALUE ? now : newest + 1);
  }

  static Bytes rpIdHash(String rpId) {
    return DeviceKeys.sha256(rpId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
