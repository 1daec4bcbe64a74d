package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CtapOptions;
import dev.softkey.ctap.cose.CoseKeys;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.command.MakeCredentialResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.CreationOptions.CredentialParameters;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.AuthenticatorData.AttestedCredentialData;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** navigator.credentials.create() (WebAuthn L3 section 5.1.3) over authenticatorMakeCredential (CTAP 2.1 section 6.1). */
final class CreateCeremony {
  /** pubKeyCredParams default when the RP sends an empty list (section 5.1.3 step 10): ES256, RS256. */
  private static final List<Long> DEFAULT_ALGORITHMS = List.of(-7L, -257L);

  private final Ctap ctap;
  private final UserVerification userVerification;
  private final List<String> transports;
  private final EnterprisePolicy enterprise;

  /**
   * The client's enterprise attestation policy (WebAuthn L3 section 5.1.3, "enterpriseAttestationPossible";
   * CTAP 2.1 section 7.1): the RP IDs the user agent is configured to allow enterprise attestation
   * for, and the enterpriseAttestation value it sends for them (2, platform-managed: the platform
   * vouches for the RP; or 1, vendor-facilitated: the authenticator decides from its own list).
   */
  record EnterprisePolicy(java.util.Set<String> rpIds, long mode) {
    static final EnterprisePolicy NONE = new EnterprisePolicy(java.util.Set.of(), 2);

    EnterprisePolicy {
      rpIds = java.util.Set.copyOf(rpIds);
      if (mode != 1 && mode != 2) {
        throw new IllegalArgumentException("enterpriseAttestation is 1 (vendor-facilitated) or 2 (platform-managed)");
      }
    }
  }

  CreateCeremony(Ctap ctap, UserVerification userVerification, List<String> transports, EnterprisePolicy enterprise) {
    this.ctap = ctap;
    this.userVerification = userVerification;
    this.transports = transports;
    this.enterprise = enterprise;
  }

  /** create() (WebAuthn L3 section 5.1.3) against the one authenticator behind the transport. */
  RegistrationResponse create(CreationOptions options, String origin, Optional<String> pin) {
    // 7./8. Caller origin must be a secure context; rp.id defaults to the effective domain.
    CallerOrigin caller = CallerOrigin.parse(origin);
    String rpId = caller.rpId(options.rpId());

    // 10. credTypesAndPubKeyAlgs: only "public-key", RP order kept; empty list means ES256, RS256.
    List<Long> algs = new ArrayList<>();
    for (CredentialParameters p : options.pubKeyCredParams()) {
      if (CredentialDescriptor.PUBLIC_KEY.equals(p.type())) {
        algs.add(p.alg());
      }
    }
    if (options.pubKeyCredParams().isEmpty()) {
      algs.addAll(DEFAULT_ALGORITHMS);
    } else if (algs.isEmpty()) {
      throw new WebAuthnException(Name.NotSupportedError, "pubKeyCredParams holds no \"public-key\" entry");
    }

    // 13.-15. clientDataJSON and its hash.
    Bytes clientDataJson = ClientDataJson.serialize(ClientDataJson.TYPE_CREATE, options.challenge(), caller.serialize(), false);
    Bytes clientDataHash = WebAuthnClient.sha256(clientDataJson);

    AuthenticatorInfo info = ctap.getInfo();

    // 20. (authenticator selection) residentKey, with requireResidentKey for the L1 form (section 5.4.4).
    String residentKey =
        options.residentKey().filter(v -> v.equals("required") || v.equals("preferred") || v.equals("discouraged"))
            .orElse(options.requireResidentKey() ? "required" : "discouraged");
    boolean rk =
        switch (residentKey) {
          case "required" -> {
            if (!info.supportsResidentKeys()) {
              throw new WebAuthnException(
                  Name.ConstraintError, "residentKey is required but the authenticator cannot store discoverable credentials (options.rk)");
            }
            yield true;
          }
          case "preferred" -> info.supportsResidentKeys();
          default -> false;
        };

    // Extensions: credProtect and hmac-secret are sent to the authenticator; credProps is ours.
    Map<Object, Object> extensions = new LinkedHashMap<>();
    CreationOptions.Extensions ext = options.extensions();
    ext.credentialProtectionPolicy().ifPresent(policy -> {
      long level =
          switch (policy) {
            case "userVerificationOptional" -> 1L;
            case "userVerificationOptionalWithCredentialIDList" -> 2L;
            case "userVerificationRequired" -> 3L;
            default -> 0L;
          };
      if (level == 0L) {
        return; // unknown enum value: ignored as WebIDL would
      }
      if (info.extensions().contains("credProtect")) {
        extensions.put("credProtect", level);
      } else if (ext.enforceCredentialProtectionPolicy() && level > 1) {
        // CTAP 2.1 section 12.1: enforcing a policy the authenticator cannot apply fails.
        throw new WebAuthnException(Name.NotAllowedError, "the authenticator does not support credProtect");
      }
    });
    if (ext.hmacCreateSecret() && info.extensions().contains("hmac-secret")) {
      extensions.put("hmac-secret", Boolean.TRUE);
    }

    // User verification (CTAP 2.1 section 6.1.1 platform steps): PIN token, built-in uv, or none.
    boolean protectedByUv = info.isPinSet() || info.hasBuiltInUv();
    boolean authenticatorDemandsUv = protectedByUv && !(info.makeCredUvNotRequired() && !rk);
    UserVerification.UvPlan uv = userVerification.planUv(options.userVerification(), info, pin, authenticatorDemandsUv, Permission.MAKE_CREDENTIAL, rpId);

    CtapOptions ctapOptions =
        new CtapOptions(
            rk ? Optional.of(true) : Optional.empty(), Optional.empty(), uv.builtInUv() ? Optional.of(true) : Optional.empty());

    // Attestation conveyance "enterprise" (WebAuthn L3 section 5.1.3): enterpriseAttestationPossible
    // only when the client's policy allows this RP ID; then, if the authenticator has enterprise
    // attestation enabled (getInfo ep true; CTAP 2.1 section 6.1.1), enterpriseAttestation is sent.
    // Otherwise the request is what "direct" sends.
    boolean enterpriseAttestationPossible =
        "enterprise".equals(options.attestation()) && enterprise.rpIds().contains(rpId);
    Optional<Long> enterpriseAttestation =
        enterpriseAttestationPossible && info.option("ep").orElse(false) ? Optional.of(enterprise.mode()) : Optional.empty();

    // authenticatorMakeCredential parameters (CTAP 2.1 section 6.1.1).
    List<PublicKeyCredentialParameters> params = new ArrayList<>();
    for (long alg : algs) {
      params.add(PublicKeyCredentialParameters.publicKey(alg));
    }
    MakeCredentialRequest req =
        new MakeCredentialRequest(
            clientDataHash,
            new PublicKeyCredentialRpEntity(rpId, Optional.ofNullable(options.rpName())),
            new PublicKeyCredentialUserEntity(
                options.userId(), Optional.ofNullable(options.userName()), Optional.ofNullable(options.userDisplayName())),
            params,
            UserVerification.descriptorList(options.excludeCredentials(), info),
            extensions.isEmpty() ? Optional.empty() : Optional.of(new CborMap(extensions)),
            ctapOptions,
            uv.token().map(t -> t.authenticate(clientDataHash)),
            uv.token().map(t -> (long) t.protocol()),
            enterpriseAttestation);

    MakeCredentialResponse resp = ctap.call(req, MakeCredentialResponse::fromCbor);
    String fmt = resp.fmt();
    Bytes authData = resp.authData();
    CborMap attStmt = resp.attStmt();

    AuthenticatorData parsed = Ctap.authenticatorData(authData);
    UserVerification.checkRpIdHash(parsed, rpId);
    AttestedCredentialData acd = parsed.attestedCredentialData().orElseThrow(
        () -> new WebAuthnException(Name.UnknownError, "makeCredential authData has no attested credential data"));
    long alg = CoseKeys.algorithm(acd.credentialPublicKey()).orElseThrow(
        () -> new WebAuthnException(Name.UnknownError, "credential public key has no alg"));

    // attestationObject (WebAuthn L3 section 6.5.4): CBOR map with text keys, canonical order.
    Map<Object, Object> attObj = new LinkedHashMap<>();
    attObj.put("fmt", fmt);
    attObj.put("attStmt", attStmt);
    attObj.put("authData", authData);

    Optional<Boolean> hmacOut = Optional.empty();
    if (ext.hmacCreateSecret()) {
      hmacOut = Optional.of(
          parsed.extensions().flatMap(m -> m.opt("hmac-secret")).map(Boolean.TRUE::equals).orElse(false));
    }
    return new RegistrationResponse(
        acd.credentialId(),
        clientDataJson,
        CborEncoder.encodeBytes(attObj),
        authData,
        CoseKeys.subjectPublicKeyInfo(acd.credentialPublicKey()),
        alg,
        transports,
        ext.credProps() ? Optional.of(rk) : Optional.empty(),
        hmacOut);
  }
}
