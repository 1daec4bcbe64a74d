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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * navigator.credentials.get() (WebAuthn L3 section 5.1.4) over authenticatorGetAssertion and
 * authenticatorGetNextAssertion (CTAP 2.1 sections 6.2 and 6.3).
 */
final class GetCeremony {
  private final Ctap ctap;
  private final UserVerification userVerification;
  private final Optional<CredentialSelector> credentialSelector;

  GetCeremony(Ctap ctap, UserVerification userVerification, Optional<CredentialSelector> credentialSelector) {
    this.ctap = ctap;
    this.userVerification = userVerification;
    this.credentialSelector = credentialSelector;
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
    UserVerification.UvPlan uv = userVerification.planUv(options.userVerification(), info, pin, false, Permission.GET_ASSERTION, rpId);

    // authenticatorGetAssertion parameters (CTAP 2.1 section 6.2.1).
    GetAssertionRequest req =
        new GetAssertionRequest(
            rpId,
            clientDataHash,
            allowList,
            Optional.empty(),
            new CtapOptions(Optional.empty(), Optional.empty(), uv.builtInUv() ? Optional.of(true) : Optional.empty()),
            uv.token().map(t -> t.authenticate(clientDataHash)),
            uv.token().map(t -> (long) t.protocol()));

    GetAssertionResponse first = ctap.call(req, GetAssertionResponse::fromCbor);
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(Assertion.of(first, options.allowCredentials()));
    long count = first.numberOfCredentials().orElse(1L);
    Assertion chosen = assertions.get(0);
    if (count > 1 && options.allowCredentials().isEmpty() && credentialSelector.isPresent()) {
      // CTAP 2.1 section 6.3: fetch the others with authenticatorGetNextAssertion.
      for (long i = 1; i < count; i++) {
        GetAssertionResponse next = ctap.call(ParameterlessRequest.GET_NEXT_ASSERTION, GetAssertionResponse::fromCbor);
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
    AuthenticatorData parsed = Ctap.authenticatorData(result.authData());
    UserVerification.checkRpIdHash(parsed, rpId);
    if (!options.allowCredentials().isEmpty()
        && options.allowCredentials().stream().noneMatch(d -> d.id().equals(result.credentialId()))) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator asserted a credential that was not in allowCredentials");
    }
    return new AuthenticationResponse(
        result.credentialId(), clientDataJson, result.authData(), result.signature(), result.userHandle());
  }

  /** One getAssertion / getNextAssertion response (CTAP 2.1 section 6.2.2), with the credential ID resolved. */
  private record Assertion(
      Bytes credentialId, Bytes authData, Bytes signature, Optional<PublicKeyCredentialUserEntity> user) {

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
          r.user());
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
