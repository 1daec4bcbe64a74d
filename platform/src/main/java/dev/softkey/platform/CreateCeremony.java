package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CtapOptions;
import dev.softkey.ctap.cose.CoseKeys;
import dev.softkey.ctap.crypto.RandomSource;
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
import java.util.Set;

/** navigator.credentials.create() (WebAuthn L3 section 5.1.3) over authenticatorMakeCredential (CTAP 2.1 section 6.1). */
final class CreateCeremony {
  static final String CRED_PROTECT = "credProtect";
  static final String HMAC_SECRET = "hmac-secret";
  static final String HMAC_SECRET_MC = "hmac-secret-mc";
  static final String LARGE_BLOB_KEY = "largeBlobKey";
  static final String CRED_BLOB = "credBlob";
  static final String MIN_PIN_LENGTH = "minPinLength";
  /** Where the AAGUID starts in authenticatorData: rpIdHash (32), flags (1), signCount (4). */
  private static final int AAGUID_OFFSET = 37;

  /** pubKeyCredParams default when the RP sends an empty list (section 5.1.3 step 10): ES256, RS256. */
  private static final List<Long> DEFAULT_ALGORITHMS = List.of(-7L, -257L);

  private final Ctap ctap;
  private final UserVerification userVerification;
  private final List<String> transports;
  private final EnterprisePolicy enterprise;
  private final boolean keepAttestationStatement;
  private final RandomSource random;

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

  CreateCeremony(
      Ctap ctap,
      UserVerification userVerification,
      List<String> transports,
      EnterprisePolicy enterprise,
      boolean keepAttestationStatement,
      RandomSource random) {
    this.ctap = ctap;
    this.userVerification = userVerification;
    this.transports = transports;
    this.enterprise = enterprise;
    this.keepAttestationStatement = keepAttestationStatement;
    this.random = random;
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

    // 12. Client extension processing, before anything is sent (each extension's section).
    CreationOptions.Extensions ext = options.extensions();
    Map<Object, Object> extensions = new LinkedHashMap<>();
    credProtect(ext, info, extensions);
    boolean hmacSecret = info.extensions().contains(HMAC_SECRET) && !info.pinUvAuthProtocols().isEmpty();
    if (ext.prf().isPresent() && !ext.prf().get().evalByCredential().isEmpty()) {
      // WebAuthn L3 section 10.1.4, registration step 1: evalByCredential has no meaning at create.
      throw new WebAuthnException(Name.NotSupportedError, "prf evalByCredential is not allowed in create()");
    }
    if ((ext.hmacCreateSecret() || ext.prf().isPresent()) && hmacSecret) {
      // 10.1.4 registration step 2 and CTAP 2.1 section 12.5: hmac-secret true.
      extensions.put(HMAC_SECRET, Boolean.TRUE);
    }
    boolean largeBlobCapable = largeBlobCapable(info);
    if (ext.largeBlob().isPresent()) {
      ExtensionInputs.LargeBlob lb = ext.largeBlob().get();
      // WebAuthn L3 section 10.1.5, registration step 1: read and write belong to get().
      if (lb.read().isPresent() || lb.write().isPresent()) {
        throw new WebAuthnException(Name.NotSupportedError, "largeBlob read and write are not allowed in create()");
      }
      // Step 2: with support "required" the client skips an authenticator that cannot store large
      // blobs (before any touch); with the only authenticator skipped the ceremony fails as every
      // ceremony without an authenticator does, NotAllowedError (Chromium:
      // kAuthenticatorMissingLargeBlob, NOT_ALLOWED_ERROR).
      if ("required".equals(lb.support().orElse("preferred")) && !largeBlobCapable) {
        throw new WebAuthnException(
            Name.NotAllowedError,
            "largeBlob support is required but the authenticator cannot store large blobs (no largeBlobKey extension or largeBlobs option)");
      }
      if (largeBlobCapable) {
        extensions.put(LARGE_BLOB_KEY, Boolean.TRUE);
      }
    }
    if (ext.credBlob().isPresent() && info.extensions().contains(CRED_BLOB)) {
      // CTAP 2.1 section 12.2: the authenticator stores at most maxCredBlobLength bytes and says
      // whether it did; the client sends what the RP gave.
      extensions.put(CRED_BLOB, ext.credBlob().get());
    }
    if (ext.minPinLength() && info.extensions().contains(MIN_PIN_LENGTH)) {
      // CTAP 2.1 section 12.4: the authenticator answers only for RP IDs it was configured with.
      extensions.put(MIN_PIN_LENGTH, Boolean.TRUE);
    }

    // User verification (CTAP 2.1 section 6.1.1 platform steps): PIN token, built-in uv, or none.
    boolean protectedByUv = info.isPinSet() || info.hasBuiltInUv();
    boolean authenticatorDemandsUv = protectedByUv && !(info.makeCredUvNotRequired() && !rk);
    UserVerification.UvPlan uv =
        userVerification.planUv(options.userVerification(), info, pin, authenticatorDemandsUv, Set.of(Permission.MAKE_CREDENTIAL), rpId);

    // WebAuthn L3 section 10.1.4, registration step 3 and CTAP 2.2 section 12.7 (hmac-secret-mc):
    // with prf eval and an authenticator that lists hmac-secret-mc, the PRF salts go with
    // makeCredential and the results come back at once, under a key agreement of the token's
    // protocol.
    Optional<HmacSecret> mc = Optional.empty();
    if (extensions.containsKey(HMAC_SECRET) && ext.prf().flatMap(ExtensionInputs.Prf::eval).isPresent()
        && info.extensions().contains(HMAC_SECRET_MC)) {
      Optional<Integer> protocol = HmacSecret.protocolFor(info, uv.token());
      if (protocol.isPresent()) {
        HmacSecret hs = HmacSecret.agree(ctap, protocol.get(), random);
        ExtensionInputs.PrfValues ev = ext.prf().get().eval().get();
        extensions.put(HMAC_SECRET_MC, hs.input(HmacSecret.prfSalt(ev.first()), ev.second().map(HmacSecret::prfSalt)));
        mc = Optional.of(hs);
      }
    }

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
    ClientExtensionResults results = extensionResults(ext, rk, parsed, resp, mc);

    // 22. (success) Attestation conveyance (section 5.1.3, "attestationConveyancePreferenceOption").
    Conveyed conveyed = convey(options.attestation(), fmt, attStmt, authData, acd);
    Map<Object, Object> attObj = new LinkedHashMap<>();
    attObj.put("fmt", conveyed.fmt());
    attObj.put("attStmt", conveyed.attStmt());
    attObj.put("authData", conveyed.authData());

    return new RegistrationResponse(
        acd.credentialId(),
        clientDataJson,
        CborEncoder.encodeBytes(attObj),
        conveyed.authData(),
        CoseKeys.subjectPublicKeyInfo(acd.credentialPublicKey()),
        alg,
        transports,
        results);
  }

  /** credProtect (CTAP 2.1 section 12.1, client processing). */
  private static void credProtect(CreationOptions.Extensions ext, AuthenticatorInfo info, Map<Object, Object> extensions) {
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
      if (info.extensions().contains(CRED_PROTECT)) {
        extensions.put(CRED_PROTECT, level);
      } else if (ext.enforceCredentialProtectionPolicy() && level > 1) {
        // CTAP 2.1 section 12.1: enforcing a policy the authenticator cannot apply fails; the
        // authenticator is not used, so the ceremony ends with NotAllowedError (python-fido2 0.9.1
        // CredProtectExtension raises before sending anything).
        throw new WebAuthnException(Name.NotAllowedError, "the authenticator does not support credProtect, which the RP enforces");
      }
    });
  }

  /**
   * An authenticator that can store large blobs (WebAuthn L3 section 10.1.5 over CTAP 2.1 section
   * 12.3): the largeBlobKey extension and the largeBlobs option (Chromium's
   * LargeBlobSupportType::kKey).
   */
  static boolean largeBlobCapable(AuthenticatorInfo info) {
    return info.extensions().contains(LARGE_BLOB_KEY) && info.option("largeBlobs").orElse(false);
  }

  /** The client extension outputs of a registration (each extension's "client extension output"). */
  private static ClientExtensionResults extensionResults(
      CreationOptions.Extensions ext, boolean rk, AuthenticatorData parsed, MakeCredentialResponse resp, Optional<HmacSecret> mc) {
    ClientExtensionResults out = ClientExtensionResults.NONE;
    Optional<CborMap> authExt = parsed.extensions();
    boolean hmacCreated = authExt.flatMap(m -> m.opt(HMAC_SECRET)).map(Boolean.TRUE::equals).orElse(false);
    if (ext.credProps()) {
      // WebAuthn L3 section 10.1.3: rk is whether a client-side discoverable credential was made.
      out = out.withCredPropsRk(rk);
    }
    if (ext.hmacCreateSecret()) {
      out = out.withHmacCreateSecret(hmacCreated);
    }
    if (ext.prf().isPresent()) {
      // 10.1.4 registration steps 4-5: enabled from hmac-secret in authData; results from
      // hmac-secret-mc when it ran.
      Optional<ClientExtensionResults.PrfResults> prfResults = Optional.empty();
      Optional<Object> mcOut = authExt.flatMap(m -> m.opt(HMAC_SECRET_MC));
      if (mc.isPresent() && mcOut.isPresent() && mcOut.get() instanceof Bytes enc) {
        HmacSecret.Outputs o = mc.get().decrypt(enc);
        prfResults = Optional.of(new ClientExtensionResults.PrfResults(o.output1(), o.output2()));
      }
      out = out.withPrf(new ClientExtensionResults.PrfOutput(Optional.of(hmacCreated), prfResults));
    }
    if (ext.largeBlob().isPresent()) {
      // 10.1.5 registration step 3: supported when the authenticator gave the credential a
      // largeBlobKey (makeCredential response member 0x05).
      out = out.withLargeBlob(new ClientExtensionResults.LargeBlobOutput(Optional.of(resp.largeBlobKey().isPresent()), Optional.empty(), Optional.empty()));
    }
    if (ext.credBlob().isPresent()) {
      // CTAP 2.1 section 12.2: credBlob true when the authenticator stored it.
      out = out.withCredBlob(authExt.flatMap(m -> m.opt(CRED_BLOB)).map(Boolean.TRUE::equals).orElse(false));
    }
    return out;
  }

  /**
   * The attestation statement and authData as conveyed to the RP.
   *
   * @param fmt attestationObject.fmt
   * @param attStmt attestationObject.attStmt
   * @param authData authData (the AAGUID zeroed when the statement was replaced)
   */
  record Conveyed(String fmt, CborMap attStmt, Bytes authData) {}

  /**
   * Attestation conveyance (WebAuthn L3 section 5.1.3, step 22 on success, and section 5.4.7):
   *
   * <ul>
   *   <li>"none" (and values the client does not know, which WebIDL reads as the default "none"):
   *       self attestation (fmt "packed" without x5c and a zero AAGUID) stays as it is; anything
   *       else has its AAGUID replaced with 16 zero bytes, fmt "none" and attStmt {} (browsers do
   *       this: Chromium's kEraseAttestationAndAaguid);
   *   <li>"indirect": the client may replace the statement with a more privacy-friendly one; softkey
   *       does what it does for "none", as Firefox does (Chromium passes it through);
   *   <li>"direct" and "enterprise": the statement as the authenticator made it.
   * </ul>
   *
   * <p>With {@link WebAuthnClient.Builder#keepAttestationStatement} the statement is always
   * passed through. The credential ID, public key, flags, counter and extensions are untouched.
   */
  private Conveyed convey(String attestation, String fmt, CborMap attStmt, Bytes authData, AttestedCredentialData acd) {
    boolean passThrough = keepAttestationStatement || attestation.equals("direct") || attestation.equals("enterprise");
    if (passThrough) {
      return new Conveyed(fmt, attStmt, authData);
    }
    boolean zeroAaguid = acd.aaguid().getMostSignificantBits() == 0 && acd.aaguid().getLeastSignificantBits() == 0;
    if (zeroAaguid && fmt.equals("packed") && !attStmt.has("x5c")) {
      return new Conveyed(fmt, attStmt, authData); // self attestation: nothing identifying
    }
    if (fmt.equals("none") && zeroAaguid) {
      return new Conveyed(fmt, attStmt, authData);
    }
    byte[] b = authData.toArray();
    java.util.Arrays.fill(b, AAGUID_OFFSET, AAGUID_OFFSET + 16, (byte) 0);
    return new Conveyed("none", new CborMap(Map.of()), Bytes.wrap(b));
  }
}
