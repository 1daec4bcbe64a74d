package dev.softkey.platform;

import dev.softkey.ctap.command.CtapOptions;
import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.GetAssertionResponse;
import dev.softkey.ctap.command.ParameterlessRequest;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.WebAuthnException.Name;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.platform.largeblob.LargeBlobs;
import dev.softkey.ctap.crypto.RandomSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * navigator.credentials.get() (WebAuthn L3 section 5.1.4) over authenticatorGetAssertion and
 * authenticatorGetNextAssertion (CTAP 2.1 sections 6.2 and 6.3).
 */
final class GetCeremony {
  private final Ctap ctap;
  private final UserVerification userVerification;
  private final Optional<CredentialSelector> credentialSelector;
  private final CtapTransport transport;
  private final RandomSource random;

  GetCeremony(
      Ctap ctap, UserVerification userVerification, Optional<CredentialSelector> credentialSelector, CtapTransport transport,
      RandomSource random) {
    this.ctap = ctap;
    this.userVerification = userVerification;
    this.credentialSelector = credentialSelector;
    this.transport = transport;
    this.random = random;
  }

  /** get() (WebAuthn L3 section 5.1.4) against the one authenticator behind the transport. */
  AuthenticationResponse get(RequestOptions options, String origin, Optional<String> pin) {
    // 7./8. Caller origin and RP ID.
    CallerOrigin caller = CallerOrigin.parse(origin);
    String rpId = caller.rpId(options.rpId());

    // 10.-12. clientDataJSON and its hash.
    Bytes clientDataJson = ClientDataJson.serialize(ClientDataJson.TYPE_GET, options.challenge(), caller.serialize(), false);
    Bytes clientDataHash = WebAuthnClient.sha256(clientDataJson);

    AuthenticatorInfo info = ctap.getInfo();

    List<PublicKeyCredentialDescriptor> allowList = UserVerification.descriptorList(options.allowCredentials(), info);
    if (!options.allowCredentials().isEmpty() && allowList.isEmpty()) {
      throw new WebAuthnException(Name.NotAllowedError, "no entry of allowCredentials can be on this authenticator");
    }

    // 11. Client extension processing, before anything is sent (each extension's section).
    RequestOptions.Extensions ext = options.extensions();
    checkPrf(ext, options.allowCredentials());
    boolean largeBlobCapable = CreateCeremony.largeBlobCapable(info);
    boolean largeBlobWrite = checkLargeBlob(ext, options.allowCredentials()) && largeBlobCapable;
    Map<Object, Object> extensions = new LinkedHashMap<>();
    if (ext.getCredBlob() && info.extensions().contains(CreateCeremony.CRED_BLOB)) {
      extensions.put(CreateCeremony.CRED_BLOB, Boolean.TRUE); // CTAP 2.1 section 12.2
    }
    if (ext.largeBlob().isPresent() && largeBlobCapable) {
      extensions.put(CreateCeremony.LARGE_BLOB_KEY, Boolean.TRUE); // CTAP 2.1 section 12.3
    }

    // User verification. A largeBlob write needs a token with lbw as well (CTAP 2.1 section
    // 6.10.2): it is asked for together with ga, so that one PIN entry serves both.
    Set<Permission> permissions =
        largeBlobWrite ? EnumSet.of(Permission.GET_ASSERTION, Permission.LARGE_BLOB_WRITE) : EnumSet.of(Permission.GET_ASSERTION);
    UserVerification.UvPlan uv = userVerification.planUv(options.userVerification(), info, pin, false, permissions, rpId);
    Optional<Bytes> pinUvAuthParam = uv.token().map(t -> t.authenticate(clientDataHash));
    Optional<Long> pinUvAuthProtocol = uv.token().map(t -> (long) t.protocol());

    // hmac-secret (CTAP 2.1 section 12.5) for prf (WebAuthn L3 section 10.1.4) or hmacGetSecret.
    Optional<HmacSecret> hmac = Optional.empty();
    Optional<Integer> hmacProtocol =
        info.extensions().contains(CreateCeremony.HMAC_SECRET) ? HmacSecret.protocolFor(info, uv.token()) : Optional.empty();
    if (hmacProtocol.isPresent() && (ext.prf().isPresent() || ext.hmacGetSecret().isPresent())) {
      if (ext.prf().isPresent() && !ext.prf().get().evalByCredential().isEmpty() && allowList.size() > 1) {
        // 10.1.4 authentication step 4 picks the inputs by "the credential ID that will be
        // returned": with several candidates, a silent getAssertion (up false, the same
        // pinUvAuthParam) finds the one the authenticator holds, and the request goes to it alone
        // with its inputs, as Chromium's GetAssertionTask does for credential-specific PRF inputs.
        allowList = probe(rpId, clientDataHash, allowList, pinUvAuthParam, pinUvAuthProtocol);
      }
      Optional<Salts> salts = salts(ext, allowList);
      if (salts.isPresent()) {
        HmacSecret hs = HmacSecret.agree(ctap, hmacProtocol.get(), random);
        extensions.put(CreateCeremony.HMAC_SECRET, hs.input(salts.get().salt1(), salts.get().salt2()));
        hmac = Optional.of(hs);
      }
    }

    // authenticatorGetAssertion parameters (CTAP 2.1 section 6.2.1).
    GetAssertionRequest req =
        new GetAssertionRequest(
            rpId,
            clientDataHash,
            allowList,
            extensions.isEmpty() ? Optional.empty() : Optional.of(new CborMap(extensions)),
            new CtapOptions(Optional.empty(), Optional.empty(), uv.builtInUv() ? Optional.of(true) : Optional.empty()),
            pinUvAuthParam,
            pinUvAuthProtocol);

    GetAssertionResponse first = ctap.call(req, GetAssertionResponse::fromCbor);
    List<CredentialDescriptor> sent = sentList(allowList, options.allowCredentials());
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(Assertion.of(first, sent));
    long count = first.numberOfCredentials().orElse(1L);
    Assertion chosen = assertions.get(0);
    if (count > 1 && options.allowCredentials().isEmpty() && credentialSelector.isPresent()) {
      // CTAP 2.1 section 6.3: fetch the others with authenticatorGetNextAssertion.
      for (long i = 1; i < count; i++) {
        GetAssertionResponse next = ctap.call(ParameterlessRequest.GET_NEXT_ASSERTION, GetAssertionResponse::fromCbor);
        assertions.add(Assertion.of(next, sent));
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
    AuthenticatorData parsed = Ctap.authenticatorData(result.authData());
    UserVerification.checkRpIdHash(parsed, rpId);
    if (!options.allowCredentials().isEmpty()
        && options.allowCredentials().stream().noneMatch(d -> d.id().equals(result.credentialId()))) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator asserted a credential that was not in allowCredentials");
    }
    ClientExtensionResults results = extensionResults(ext, parsed, result, hmac, info, uv, largeBlobCapable);
    return new AuthenticationResponse(
        result.credentialId(), clientDataJson, result.authData(), result.signature(), result.userHandle(), results);
  }

  /**
   * prf's authentication steps 1-2 (WebAuthn L3 section 10.1.4): evalByCredential needs
   * allowCredentials (NotSupportedError), and each of its keys must be the base64url form of an
   * allowCredentials ID (SyntaxError). prf and hmacGetSecret together are NotSupportedError: they
   * are two names of one authenticator extension (Windows' webauthn.dll refuses them together).
   */
  private static void checkPrf(RequestOptions.Extensions ext, List<CredentialDescriptor> allowCredentials) {
    if (ext.prf().isPresent() && ext.hmacGetSecret().isPresent()) {
      throw new WebAuthnException(Name.NotSupportedError, "prf and hmacGetSecret both ask for hmac-secret: give one of them");
    }
    if (ext.prf().isEmpty() || ext.prf().get().evalByCredential().isEmpty()) {
      return;
    }
    if (allowCredentials.isEmpty()) {
      throw new WebAuthnException(Name.NotSupportedError, "prf evalByCredential needs allowCredentials");
    }
    for (String key : ext.prf().get().evalByCredential().keySet()) {
      Bytes id;
      try {
        id = key.isEmpty() ? null : Bytes.fromBase64Url(key);
      } catch (IllegalArgumentException e) {
        id = null;
      }
      Bytes decoded = id;
      if (decoded == null || allowCredentials.stream().noneMatch(d -> d.id().equals(decoded))) {
        throw new WebAuthnException(
            Name.SyntaxError, "prf evalByCredential key '" + key + "' is not the base64url ID of an allowCredentials entry");
      }
    }
  }

  /**
   * largeBlob's authentication steps 1, 2 and 4.1 (WebAuthn L3 section 10.1.5): support belongs to
   * create(), read and write exclude each other, and write needs exactly one allowCredentials entry
   * (NotSupportedError each; Chromium: CANNOT_READ_AND_WRITE_LARGE_BLOB,
   * INVALID_ALLOW_CREDENTIALS_FOR_LARGE_BLOB). Returns whether a write is asked for.
   */
  private static boolean checkLargeBlob(RequestOptions.Extensions ext, List<CredentialDescriptor> allowCredentials) {
    if (ext.largeBlob().isEmpty()) {
      return false;
    }
    ExtensionInputs.LargeBlob lb = ext.largeBlob().get();
    if (lb.support().isPresent()) {
      throw new WebAuthnException(Name.NotSupportedError, "largeBlob support belongs to create(), not get()");
    }
    if (lb.read().orElse(false) && lb.write().isPresent()) {
      throw new WebAuthnException(Name.NotSupportedError, "largeBlob read and write cannot be asked for together");
    }
    if (lb.write().isPresent() && allowCredentials.size() != 1) {
      throw new WebAuthnException(Name.NotSupportedError, "largeBlob write needs exactly one allowCredentials entry");
    }
    return lb.write().isPresent();
  }

  /**
   * A silent getAssertion over {@code allowList} (up false, no extensions): the list reduced to the
   * credential the authenticator answered with, or unchanged when it holds none of them (the real
   * request then fails the way it would have).
   */
  private List<PublicKeyCredentialDescriptor> probe(
      String rpId, Bytes clientDataHash, List<PublicKeyCredentialDescriptor> allowList, Optional<Bytes> pinUvAuthParam,
      Optional<Long> pinUvAuthProtocol) {
    GetAssertionRequest silent =
        new GetAssertionRequest(
            rpId, clientDataHash, allowList, Optional.empty(), new CtapOptions(Optional.empty(), Optional.of(false), Optional.empty()),
            pinUvAuthParam, pinUvAuthProtocol);
    GetAssertionResponse r;
    try {
      r = ctap.call(silent, GetAssertionResponse::fromCbor);
    } catch (WebAuthnException e) {
      if (e.ctapStatus().isPresent()) {
        return allowList;
      }
      throw e;
    }
    Optional<Bytes> id = r.credential().map(PublicKeyCredentialDescriptor::id);
    if (id.isEmpty() || allowList.stream().noneMatch(d -> d.id().equals(id.get()))) {
      return allowList;
    }
    return List.of(PublicKeyCredentialDescriptor.publicKey(id.get()));
  }

  /** hmac-secret's salts: hmacGetSecret's as they are, or the PRF salts of the applicable prf inputs. */
  private record Salts(Bytes salt1, Optional<Bytes> salt2) {}

  /**
   * prf's authentication steps 4-5 (WebAuthn L3 section 10.1.4): the evalByCredential entry of the
   * credential that will be returned (known when the request names one credential), else eval;
   * salt = SHA-256("WebAuthn PRF" || 0x00 || input). hmacGetSecret's salts go as they are (CTAP 2.1
   * section 12.5). Empty when there is nothing to evaluate.
   */
  private static Optional<Salts> salts(RequestOptions.Extensions ext, List<PublicKeyCredentialDescriptor> allowList) {
    if (ext.hmacGetSecret().isPresent()) {
      return Optional.of(new Salts(ext.hmacGetSecret().get().salt1(), ext.hmacGetSecret().get().salt2()));
    }
    ExtensionInputs.Prf prf = ext.prf().orElseThrow();
    Optional<ExtensionInputs.PrfValues> ev = Optional.empty();
    if (allowList.size() == 1) {
      Bytes id = allowList.get(0).id();
      ev = prf.evalByCredential().entrySet().stream()
          .filter(e -> Bytes.fromBase64Url(e.getKey()).equals(id))
          .map(Map.Entry::getValue)
          .findFirst();
    }
    if (ev.isEmpty()) {
      ev = prf.eval();
    }
    return ev.map(v -> new Salts(HmacSecret.prfSalt(v.first()), v.second().map(HmacSecret::prfSalt)));
  }

  /** The allowCredentials entries that went to the authenticator, for resolving an omitted credential. */
  private static List<CredentialDescriptor> sentList(List<PublicKeyCredentialDescriptor> allowList, List<CredentialDescriptor> allowCredentials) {
    if (allowList.size() == 1 && allowCredentials.size() != 1) {
      return List.of(CredentialDescriptor.publicKey(allowList.get(0).id()));
    }
    return allowCredentials;
  }

  /** The client extension outputs of an assertion (each extension's "client extension output"). */
  private ClientExtensionResults extensionResults(
      RequestOptions.Extensions ext, AuthenticatorData parsed, Assertion result, Optional<HmacSecret> hmac, AuthenticatorInfo info,
      UserVerification.UvPlan uv, boolean largeBlobCapable) {
    ClientExtensionResults out = ClientExtensionResults.NONE;
    Optional<CborMap> authExt = parsed.extensions();
    Optional<HmacSecret.Outputs> hmacOut = Optional.empty();
    Optional<Object> enc = authExt.flatMap(m -> m.opt(CreateCeremony.HMAC_SECRET));
    if (hmac.isPresent() && enc.isPresent() && enc.get() instanceof Bytes b) {
      hmacOut = Optional.of(hmac.get().decrypt(b));
    }
    if (ext.hmacGetSecret().isPresent() && hmacOut.isPresent()) {
      out = out.withHmacGetSecret(new ClientExtensionResults.HmacGetSecretOutput(hmacOut.get().output1(), hmacOut.get().output2()));
    }
    if (ext.prf().isPresent()) {
      // 10.1.4 authentication steps 3 and 6: an empty prf output, with results when hmac-secret ran.
      out = out.withPrf(
          new ClientExtensionResults.PrfOutput(
              Optional.empty(), hmacOut.map(o -> new ClientExtensionResults.PrfResults(o.output1(), o.output2()))));
    }
    if (ext.getCredBlob()) {
      Optional<Object> blob = authExt.flatMap(m -> m.opt(CreateCeremony.CRED_BLOB));
      if (blob.isPresent() && blob.get() instanceof Bytes b) {
        out = out.withGetCredBlob(b);
      }
    }
    if (ext.largeBlob().isPresent()) {
      out = out.withLargeBlob(largeBlob(ext.largeBlob().get(), result, info, uv, largeBlobCapable));
    }
    return out;
  }

  /** largeBlob's read and write after the assertion (WebAuthn L3 section 10.1.5, authentication steps 3-4). */
  private ClientExtensionResults.LargeBlobOutput largeBlob(
      ExtensionInputs.LargeBlob lb, Assertion result, AuthenticatorInfo info, UserVerification.UvPlan uv, boolean largeBlobCapable) {
    // The credential's largeBlobKey came back in getAssertion member 0x07 (CTAP 2.1 section 12.3).
    Optional<Bytes> key = largeBlobCapable ? result.largeBlobKey() : Optional.empty();
    if (lb.write().isPresent()) {
      // Step 4: store write with the asserted credential (authenticatorLargeBlobs, with the token's
      // lbw permission when the key is protected); written says whether it worked.
      boolean written = false;
      if (key.isPresent()) {
        try {
          new LargeBlobs(transport, info, uv.token().flatMap(PinTokenProvider.PinToken::platformToken), random).put(key.get(), lb.write().get());
          written = true;
        } catch (CtapException e) {
          written = false; // e.g. CTAP2_ERR_LARGE_BLOB_STORAGE_FULL, CTAP2_ERR_PUAT_REQUIRED
        }
      }
      return new ClientExtensionResults.LargeBlobOutput(Optional.empty(), Optional.empty(), Optional.of(written));
    }
    if (lb.read().orElse(false) && key.isPresent()) {
      // Step 3: the blob of the asserted credential, when it has one and it reads.
      try {
        return new ClientExtensionResults.LargeBlobOutput(
            Optional.empty(), new LargeBlobs(transport, info, Optional.empty(), random).get(key.get()), Optional.empty());
      } catch (CtapException e) {
        return new ClientExtensionResults.LargeBlobOutput(Optional.empty(), Optional.empty(), Optional.empty());
      }
    }
    return new ClientExtensionResults.LargeBlobOutput(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** One getAssertion / getNextAssertion response (CTAP 2.1 section 6.2.2), with the credential ID resolved. */
  private record Assertion(
      Bytes credentialId, Bytes authData, Bytes signature, Optional<PublicKeyCredentialUserEntity> user, Optional<Bytes> largeBlobKey) {

    static Assertion of(GetAssertionResponse r, List<CredentialDescriptor> allow) {
      Optional<Bytes> id = r.credential().map(PublicKeyCredentialDescriptor::id);
      if (id.isEmpty() && allow.size() == 1) {
        // 0x01 credential may be omitted when the allowList had exactly one entry.
        id = Optional.of(allow.get(0).id());
      }
      return new Assertion(
          id.orElseThrow(() -> new WebAuthnException(Name.UnknownError, "getAssertion response names no credential")),
          r.authData(),
          r.signature(),
          r.user(),
          r.largeBlobKey());
    }

    Optional<Bytes> userHandle() {
      return user.map(PublicKeyCredentialUserEntity::id);
    }

    CredentialSelector.Candidate candidate() {
      return new CredentialSelector.Candidate(
          credentialId,
          userHandle(),
          user.flatMap(PublicKeyCredentialUserEntity::name),
          user.flatMap(PublicKeyCredentialUserEntity::displayName));
    }
  }
}
