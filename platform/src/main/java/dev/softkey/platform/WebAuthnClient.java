package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.CreationOptions.CredentialParameters;
import dev.softkey.platform.ParsedAuthenticatorData.AttestedCredentialData;
import dev.softkey.platform.WebAuthnException.Name;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a browser does for navigator.credentials.create() and get() with one roaming authenticator
 * (WebAuthn L3 sections 5.1.3 and 5.1.4), over CTAP 2.1 (sections 6.1, 6.2, 6.4, and the platform
 * duties of section 10): JSON options in, checks of origin and RP ID, clientDataJSON, the CTAP
 * call, WebAuthn JSON out.
 *
 * <p>Platform decisions, stated once:
 *
 * <ul>
 *   <li>getInfo (0x04) is read before each ceremony; its options decide rk, uv and the PIN flow.
 *   <li>User verification: a pinUvAuthToken with permission mc (create) or ga (get) bound to the
 *       RP ID is obtained through the {@link PinTokenProvider}. With built-in UV configured and
 *       pinUvAuthToken supported (options.uv and options.pinUvAuthToken true), the token comes
 *       from built-in UV (getPinUvAuthTokenUsingUvWithPermissions), as Chrome and libfido2's
 *       fido_dev_get_uv_token do, asked up to preferredPlatformUvAttempts times while the answer
 *       is CTAP2_ERR_UV_INVALID; when built-in UV is blocked or keeps failing, a PIN set and given
 *       is the fallback. Otherwise, with a PIN set and given, the token comes from the PIN;
 *       otherwise built-in UV without tokens is requested with the "uv" option; "required" with
 *       none of these is NotAllowedError before anything is sent. For create, UV is also done
 *       when the authenticator would demand it (protected by a PIN or built-in UV and not
 *       makeCredUvNotRqd, or rk; CTAP 2.1 section 6.1.2 step 6).
 *   <li>Several discoverable credentials on get(): without a {@link CredentialSelector} the first
 *       one the authenticator returns (its most recent) is taken and no getNextAssertion is sent;
 *       with a selector all are fetched and the selector chooses.
 *   <li>Attestation is passed through as the authenticator made it, whatever the conveyance
 *       preference (a browser may anonymise "none"; softkey's users want to see the real
 *       statement). Enterprise attestation is never requested.
 *   <li>excludeCredentials/allowCredentials entries longer than maxCredentialIdLength are dropped,
 *       as Chromium does; lists are not split into batches of maxCredentialCountInList.
 *   <li>Responses are checked as browsers check them: rpIdHash matches the RP ID, an asserted
 *       credential was in the allowList.
 * </ul>
 */
public final class WebAuthnClient {
  /** pubKeyCredParams default when the RP sends an empty list (section 5.1.3 step 10): ES256, RS256. */
  private static final List<Long> DEFAULT_ALGORITHMS = List.of(-7L, -257L);

  private final CtapTransport transport;
  private final Optional<PinTokenProvider> pinTokenProvider;
  private final List<String> transports;
  private final Optional<CredentialSelector> credentialSelector;

  private WebAuthnClient(Builder b) {
    this.transport = b.transport;
    this.pinTokenProvider = b.pinTokenProvider;
    this.transports = List.copyOf(b.transports);
    this.credentialSelector = b.credentialSelector;
  }

  public static Builder builder(CtapTransport transport) {
    return new Builder(transport);
  }

  /** Configures a {@link WebAuthnClient}. */
  public static final class Builder {
    private final CtapTransport transport;
    private Optional<PinTokenProvider> pinTokenProvider = Optional.empty();
    private List<String> transports = List.of("usb");
    private Optional<CredentialSelector> credentialSelector = Optional.empty();

    private Builder(CtapTransport transport) {
      this.transport = Objects.requireNonNull(transport);
    }

    /** The PIN client used when a PIN is given; without one a PIN cannot be used. */
    public Builder pinTokenProvider(PinTokenProvider p) {
      this.pinTokenProvider = Optional.of(p);
      return this;
    }

    /** What getTransports() reports for new credentials; default ["usb"]. */
    public Builder transports(List<String> t) {
      this.transports = List.copyOf(t);
      return this;
    }

    /** The account picker for get() with several discoverable credentials; default: the first. */
    public Builder credentialSelector(CredentialSelector s) {
      this.credentialSelector = Optional.of(s);
      return this;
    }

    public WebAuthnClient build() {
      return new WebAuthnClient(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // authenticatorGetInfo

  /** authenticatorGetInfo (CTAP 2.1 section 6.4). */
  public AuthenticatorInfo getInfo() {
    return AuthenticatorInfo.parse(call(CtapCommand.GET_INFO, Optional.empty()).orElseThrow(
        () -> new WebAuthnException(Name.UnknownError, "authenticatorGetInfo returned no data")));
  }

  // ---------------------------------------------------------------------------------------------
  // create()

  /** create() from PublicKeyCredentialCreationOptionsJSON (bare or in {"publicKey": ...}). */
  public RegistrationResponse create(String optionsJson, String origin, Optional<String> pin) {
    return create(CreationOptions.fromJson(optionsJson), origin, pin);
  }

  /** create() (WebAuthn L3 section 5.1.3) against the one authenticator behind the transport. */
  public RegistrationResponse create(CreationOptions options, String origin, Optional<String> pin) {
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
    Bytes clientDataHash = sha256(clientDataJson);

    AuthenticatorInfo info = getInfo();

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
    UvPlan uv = planUv(options.userVerification(), info, pin, authenticatorDemandsUv, Permission.MAKE_CREDENTIAL, rpId);

    Map<Object, Object> ctapOptions = new LinkedHashMap<>();
    if (rk) {
      ctapOptions.put("rk", Boolean.TRUE);
    }
    if (uv.builtInUv()) {
      ctapOptions.put("uv", Boolean.TRUE);
    }

    // authenticatorMakeCredential parameters (CTAP 2.1 section 6.1).
    Map<Object, Object> rp = new LinkedHashMap<>();
    rp.put("id", rpId);
    rp.put("name", options.rpName());
    Map<Object, Object> user = new LinkedHashMap<>();
    user.put("id", options.userId());
    user.put("name", options.userName());
    user.put("displayName", options.userDisplayName());
    List<Object> params = new ArrayList<>();
    for (long alg : algs) {
      Map<Object, Object> p = new LinkedHashMap<>();
      p.put("alg", alg);
      p.put("type", CredentialDescriptor.PUBLIC_KEY);
      params.add(p);
    }
    Map<Object, Object> req = new LinkedHashMap<>();
    req.put(0x01L, clientDataHash); // clientDataHash
    req.put(0x02L, rp); // rp
    req.put(0x03L, user); // user
    req.put(0x04L, params); // pubKeyCredParams
    List<Object> excludeList = descriptorList(options.excludeCredentials(), info);
    req.put(0x05L, excludeList.isEmpty() ? null : excludeList); // excludeList
    req.put(0x06L, extensions.isEmpty() ? null : extensions); // extensions
    req.put(0x07L, ctapOptions.isEmpty() ? null : ctapOptions); // options
    uv.token().ifPresent(t -> {
      req.put(0x08L, t.authenticate(clientDataHash)); // pinUvAuthParam
      req.put(0x09L, (long) t.protocol()); // pinUvAuthProtocol
    });

    CborMap resp = call(CtapCommand.MAKE_CREDENTIAL, Optional.of(req)).orElseThrow(
        () -> new WebAuthnException(Name.UnknownError, "authenticatorMakeCredential returned no data"));
    String fmt;
    Bytes authData;
    CborMap attStmt;
    try {
      fmt = resp.text(0x01L);
      authData = resp.bytes(0x02L);
      attStmt = resp.map(0x03L);
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "malformed makeCredential response: " + e.getMessage());
    }

    ParsedAuthenticatorData parsed = ParsedAuthenticatorData.parse(authData);
    checkRpIdHash(parsed, rpId);
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

  // ---------------------------------------------------------------------------------------------
  // get()

  /** get() from PublicKeyCredentialRequestOptionsJSON (bare or in {"publicKey": ...}). */
  public AuthenticationResponse get(String optionsJson, String origin, Optional<String> pin) {
    return get(RequestOptions.fromJson(optionsJson), origin, pin);
  }

  /** get() (WebAuthn L3 section 5.1.4) against the one authenticator behind the transport. */
  public AuthenticationResponse get(RequestOptions options, String origin, Optional<String> pin) {
    // 7./8. Caller origin and RP ID.
    CallerOrigin caller = CallerOrigin.parse(origin);
    String rpId = caller.rpId(options.rpId());

    // 10.-12. clientDataJSON and its hash.
    Bytes clientDataJson = ClientDataJson.serialize(ClientDataJson.TYPE_GET, options.challenge(), caller.serialize(), false);
    Bytes clientDataHash = sha256(clientDataJson);

    AuthenticatorInfo info = getInfo();

    List<Object> allowList = descriptorList(options.allowCredentials(), info);
    if (!options.allowCredentials().isEmpty() && allowList.isEmpty()) {
      throw new WebAuthnException(Name.NotAllowedError, "no entry of allowCredentials can be on this authenticator");
    }
    UvPlan uv = planUv(options.userVerification(), info, pin, false, Permission.GET_ASSERTION, rpId);

    Map<Object, Object> ctapOptions = new LinkedHashMap<>();
    if (uv.builtInUv()) {
      ctapOptions.put("uv", Boolean.TRUE);
    }
    // authenticatorGetAssertion parameters (CTAP 2.1 section 6.2).
    Map<Object, Object> req = new LinkedHashMap<>();
    req.put(0x01L, rpId); // rpId
    req.put(0x02L, clientDataHash); // clientDataHash
    req.put(0x03L, allowList.isEmpty() ? null : allowList); // allowList
    req.put(0x05L, ctapOptions.isEmpty() ? null : ctapOptions); // options
    uv.token().ifPresent(t -> {
      req.put(0x06L, t.authenticate(clientDataHash)); // pinUvAuthParam
      req.put(0x07L, (long) t.protocol()); // pinUvAuthProtocol
    });

    CborMap first = call(CtapCommand.GET_ASSERTION, Optional.of(req)).orElseThrow(
        () -> new WebAuthnException(Name.UnknownError, "authenticatorGetAssertion returned no data"));
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(Assertion.of(first, options.allowCredentials()));
    long count = optLong(first, 0x05L).orElse(1L);
    Assertion chosen = assertions.get(0);
    if (count > 1 && options.allowCredentials().isEmpty() && credentialSelector.isPresent()) {
      // CTAP 2.1 section 6.3: fetch the others with authenticatorGetNextAssertion.
      for (long i = 1; i < count; i++) {
        CborMap next = call(CtapCommand.GET_NEXT_ASSERTION, Optional.empty()).orElseThrow(
            () -> new WebAuthnException(Name.UnknownError, "authenticatorGetNextAssertion returned no data"));
        assertions.add(Assertion.of(next, options.allowCredentials()));
      }
      List<CredentialSelector.Candidate> candidates = new ArrayList<>();
      for (Assertion a : assertions) {
        candidates.add(a.candidate());
      }
      int index = credentialSelector.get().select(candidates);
      if (index < 0 || index >= assertions.size()) {
        throw new WebAuthnException(Name.NotAllowedError, "no credential was selected");
      }
      chosen = assertions.get(index);
    }

    Assertion result = chosen;
    ParsedAuthenticatorData parsed = ParsedAuthenticatorData.parse(result.authData());
    checkRpIdHash(parsed, rpId);
    if (!options.allowCredentials().isEmpty()
        && options.allowCredentials().stream().noneMatch(d -> d.id().equals(result.credentialId()))) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator asserted a credential that was not in allowCredentials");
    }
    return new AuthenticationResponse(
        result.credentialId(), clientDataJson, result.authData(), result.signature(), result.userHandle());
  }

  /** One getAssertion / getNextAssertion response (CTAP 2.1 section 6.2, response members). */
  private record Assertion(
      Bytes credentialId, Bytes authData, Bytes signature, Optional<Bytes> userHandle, Optional<CborMap> user) {

    static Assertion of(CborMap m, List<CredentialDescriptor> allow) {
      try {
        Optional<Bytes> id = m.optMap(0x01L).map(c -> c.bytes("id"));
        if (id.isEmpty() && allow.size() == 1) {
          // 0x01 credential may be omitted when the allowList had exactly one entry.
          id = Optional.of(allow.get(0).id());
        }
        Optional<CborMap> user = m.optMap(0x04L);
        return new Assertion(
            id.orElseThrow(() -> new WebAuthnException(Name.UnknownError, "getAssertion response names no credential")),
            m.bytes(0x02L),
            m.bytes(0x03L),
            user.flatMap(u -> u.optBytes("id")),
            user);
      } catch (CtapException e) {
        throw new WebAuthnException(Name.UnknownError, "malformed getAssertion response: " + e.getMessage());
      }
    }

    CredentialSelector.Candidate candidate() {
      return new CredentialSelector.Candidate(
          credentialId,
          userHandle,
          user.flatMap(u -> u.optText("name")),
          user.flatMap(u -> u.optText("displayName")));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // shared steps

  /**
   * How user verification will be done.
   *
   * @param token a pinUvAuthToken to compute pinUvAuthParam with
   * @param builtInUv send the "uv" option
   */
  private record UvPlan(Optional<PinTokenProvider.PinToken> token, boolean builtInUv) {
    static final UvPlan NONE = new UvPlan(Optional.empty(), false);
  }

  private UvPlan planUv(
      String userVerification,
      AuthenticatorInfo info,
      Optional<String> pin,
      boolean authenticatorDemandsUv,
      Permission permission,
      String rpId) {
    boolean required = userVerification.equals("required");
    boolean wantUv =
        switch (userVerification) {
          case "required" -> true;
          case "discouraged" -> false;
          default -> info.isPinSet() || info.hasBuiltInUv(); // "preferred" and unknown values
        };
    if (!wantUv && !authenticatorDemandsUv) {
      return UvPlan.NONE;
    }
    if (info.hasBuiltInUv() && info.supportsPinUvAuthToken() && pinTokenProvider.isPresent()) {
      Optional<UvPlan> fromBuiltInUv = builtInUvToken(info, pin, permission, rpId);
      if (fromBuiltInUv.isPresent()) {
        return fromBuiltInUv.get();
      }
    }
    if (pin.isPresent() && info.isPinSet()) {
      return pinToken(pin.get(), permission, rpId);
    }
    if (info.hasBuiltInUv()) {
      return new UvPlan(Optional.empty(), true);
    }
    if (required) {
      String why;
      if (info.isPinSet()) {
        why = "user verification is required: a PIN is set on the authenticator but none was given";
      } else if (pin.isPresent()) {
        why = "user verification is required but the authenticator has no PIN set (set one first)";
      } else {
        why = "user verification is required but the authenticator has no PIN set and no built-in user verification";
      }
      throw new WebAuthnException(Name.NotAllowedError, why);
    }
    // Not required: go without and let the authenticator decide (it may answer PUAT_REQUIRED).
    return UvPlan.NONE;
  }

  /**
   * A token from built-in UV (CTAP 2.1 section 6.5.5.7.3), tried up to preferredPlatformUvAttempts
   * times (1 when omitted) while the authenticator answers CTAP2_ERR_UV_INVALID. When built-in UV
   * is blocked (CTAP2_ERR_UV_BLOCKED) or every attempt failed, the PIN is the fallback if one is
   * set and given (section 6.5.2.3: a correct PIN also restores uvRetries); without it the failure
   * is NotAllowedError. Empty when the provider cannot ask for a UV token.
   */
  private Optional<UvPlan> builtInUvToken(AuthenticatorInfo info, Optional<String> pin, Permission permission, String rpId) {
    PinTokenProvider provider = pinTokenProvider.orElseThrow();
    long attempts = info.preferredPlatformUvAttempts().orElse(1L);
    CtapStatus failure = CtapStatus.CTAP2_ERR_UV_INVALID;
    for (long i = 0; i < attempts; i++) {
      try {
        Optional<PinTokenProvider.PinToken> token = provider.uvToken(Set.of(permission), rpId);
        return token.map(t -> new UvPlan(Optional.of(t), false));
      } catch (CtapException e) {
        failure = e.status();
        if (failure == CtapStatus.CTAP2_ERR_UV_BLOCKED) {
          break;
        }
        if (failure != CtapStatus.CTAP2_ERR_UV_INVALID) {
          throw CtapErrors.toException(failure);
        }
      }
    }
    if (pin.isPresent() && info.isPinSet()) {
      return Optional.of(pinToken(pin.get(), permission, rpId));
    }
    throw new WebAuthnException(
        Name.NotAllowedError,
        failure.name() + ": built-in user verification "
            + (failure == CtapStatus.CTAP2_ERR_UV_BLOCKED ? "is blocked" : "failed")
            + (info.isPinSet() ? "; give the PIN to use it instead" : ""),
        Optional.of(failure));
  }

  /** A token from the PIN (getPinUvAuthTokenUsingPinWithPermissions, or getPinToken). */
  private UvPlan pinToken(String pin, Permission permission, String rpId) {
    PinTokenProvider provider = pinTokenProvider.orElseThrow(
        () -> new WebAuthnException(Name.NotSupportedError, "a PIN was given but no PIN client is configured"));
    try {
      return new UvPlan(Optional.of(provider.token(pin, Set.of(permission), rpId)), false);
    } catch (CtapException e) {
      throw CtapErrors.toException(e.status());
    }
  }

  /** PublicKeyCredentialDescriptor list for CTAP: public-key entries no longer than maxCredentialIdLength. */
  private static List<Object> descriptorList(List<CredentialDescriptor> in, AuthenticatorInfo info) {
    List<Object> out = new ArrayList<>();
    for (CredentialDescriptor d : in) {
      if (!CredentialDescriptor.PUBLIC_KEY.equals(d.type())) {
        continue;
      }
      if (info.maxCredentialIdLength().isPresent() && d.id().length() > info.maxCredentialIdLength().get()) {
        continue;
      }
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put("id", d.id());
      m.put("type", CredentialDescriptor.PUBLIC_KEY);
      out.add(m);
    }
    return out;
  }

  private static void checkRpIdHash(ParsedAuthenticatorData parsed, String rpId) {
    if (!parsed.rpIdHash().equals(sha256(Bytes.wrap(rpId.getBytes(StandardCharsets.UTF_8))))) {
      throw new WebAuthnException(Name.UnknownError, "authenticator data rpIdHash does not match the RP ID " + rpId);
    }
  }

  private static Optional<Long> optLong(CborMap m, long key) {
    try {
      return m.optLong(key);
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "malformed response: " + e.getMessage());
    }
  }

  /**
   * Sends one command; a non-zero status becomes the mapped WebAuthnException, the body is decoded
   * strictly (empty when the authenticator sent the status byte alone).
   */
  private Optional<CborMap> call(CtapCommand command, Optional<Map<Object, Object>> params) {
    byte[] body = params.map(CborEncoder::encode).orElse(new byte[0]);
    byte[] request = new byte[1 + body.length];
    request[0] = (byte) command.code();
    System.arraycopy(body, 0, request, 1, body.length);
    byte[] response;
    try {
      response = transport.transact(request);
    } catch (CtapException e) {
      throw CtapErrors.toException(e.status());
    }
    if (response == null || response.length == 0) {
      throw new WebAuthnException(Name.UnknownError, "empty response to " + command);
    }
    int status = response[0] & 0xFF;
    if (status != CtapStatus.CTAP2_OK.code()) {
      throw CtapErrors.toException(status);
    }
    if (response.length == 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(CborDecoder.decodeMap(java.util.Arrays.copyOfRange(response, 1, response.length)));
    } catch (CtapException e) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator's " + command + " response is not valid CTAP2 CBOR: " + e.getMessage());
    }
  }

  public static Bytes sha256(Bytes data) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(data.unsafeArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
