package dev.softkey.rp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AttestationObject;
import com.yubico.webauthn.data.AuthenticatorAssertionResponse;
import com.yubico.webauthn.data.AuthenticatorAttestationResponse;
import com.yubico.webauthn.data.AuthenticatorData;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.ClientAssertionExtensionOutputs;
import com.yubico.webauthn.data.ClientRegistrationExtensionOutputs;
import com.yubico.webauthn.data.COSEAlgorithmIdentifier;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialParameters;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The four ceremonies behind the JSON endpoints (rp-api.md): options from Yubico's {@link
 * RelyingParty}, the answer verified by it, then the site's {@link RpPolicy} checked on what it
 * verified, in this order: key restrictions, attestation, user verification, algorithms. The first
 * policy that refuses names itself and says why in plain words; a refused registration stores
 * nothing, a refused sign-in leaves the signature counter as it was.
 *
 * <p>The options carry what the caller asked (user verification, attestation conveyance), not the
 * policy, so that a page asking for less than the policy demands sees which policy refuses; the
 * algorithms the policy allows come first in pubKeyCredParams, the others after them, so a key
 * that has an allowed algorithm uses it and one that has none is refused with its name.
 */
final class Ceremonies {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PENDING = 100_000;

  private record Registration(RelyingParty rp, PublicKeyCredentialCreationOptions options, String username) {}

  private record SignIn(RelyingParty rp, AssertionRequest request) {}

  /** A verify's answer: the HTTP status and the result object. */
  record Answer(int status, ObjectNode body) {}

  /** A request the endpoint cannot take (HTTP 400 with the message). */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private final String rpId;
  private final String origin;
  private final Users users;
  private final AtomicReference<RpPolicy> policy;
  private final Optional<RpMetadata> metadata;
  private final PendingCeremonies<Registration> registrations;
  private final PendingCeremonies<SignIn> signIns;

  Ceremonies(String rpId, String origin, Users users, AtomicReference<RpPolicy> policy, Optional<RpMetadata> metadata, Duration timeout,
      Clock clock) {
    this.rpId = rpId;
    this.origin = origin;
    this.users = users;
    this.policy = policy;
    this.metadata = metadata;
    this.registrations = new PendingCeremonies<>(timeout, MAX_PENDING, clock);
    this.signIns = new PendingCeremonies<>(timeout, MAX_PENDING, clock);
  }

  private RelyingParty relyingParty(AttestationConveyancePreference attestation) {
    List<PublicKeyCredentialParameters> params = new ArrayList<>();
    List<Integer> allowed = policy.get().allowedAlgorithms();
    for (int alg : allowed) {
      params.add(parameters(alg));
    }
    for (int alg : RpPolicy.SUPPORTED_ALGORITHMS) {
      if (!allowed.contains(alg)) {
        params.add(parameters(alg));
      }
    }
    RelyingParty.RelyingPartyBuilder b =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id(rpId).name("softkey rp").build())
            .credentialRepository(users)
            .origins(Set.of(origin))
            .attestationConveyancePreference(attestation)
            .preferredPubkeyParams(params)
            // the attestation policy is ours, with its own message: Yubico's only says whether it trusts
            .allowUntrustedAttestation(true);
    metadata.ifPresent(b::attestationTrustSource);
    return b.build();
  }

  private static PublicKeyCredentialParameters parameters(int alg) {
    COSEAlgorithmIdentifier id = COSEAlgorithmIdentifier.fromId(alg).orElseThrow();
    return PublicKeyCredentialParameters.builder().alg(id).build();
  }

  // ---- registration

  ObjectNode registerOptions(JsonNode body) {
    ObjectNode req = object(body);
    String username = text(req, "username", null);
    if (username == null || username.isBlank()) {
      throw new BadRequest("username is required (a non-empty string)");
    }
    checkName("username", username);
    String displayName = text(req, "displayName", username);
    checkName("displayName", displayName);
    boolean discoverable = bool(req, "discoverable", true);
    UserVerificationRequirement uv = userVerification(req);
    String attestationText = text(req, "attestation", "direct");
    AttestationConveyancePreference attestation =
        switch (attestationText) {
          case "none" -> AttestationConveyancePreference.NONE;
          case "indirect" -> AttestationConveyancePreference.INDIRECT;
          case "direct" -> AttestationConveyancePreference.DIRECT;
          case "enterprise" -> AttestationConveyancePreference.ENTERPRISE;
          default -> throw new BadRequest("attestation must be none, indirect, direct or enterprise, not '" + attestationText + "'");
        };
    Users.User user = users.userFor(username, displayName);
    RelyingParty rp = relyingParty(attestation);
    PublicKeyCredentialCreationOptions options =
        rp.startRegistration(
            StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(user.name()).displayName(user.displayName()).id(user.handle()).build())
                .authenticatorSelection(
                    AuthenticatorSelectionCriteria.builder()
                        .residentKey(discoverable ? ResidentKeyRequirement.REQUIRED : ResidentKeyRequirement.DISCOURAGED)
                        .userVerification(uv)
                        .build())
                .timeout(registrations.timeout().toMillis())
                .build());
    String id = registrations.put(new Registration(rp, options, user.name()));
    return optionsAnswer(id, json(options));
  }

  private static String json(PublicKeyCredentialCreationOptions o) {
    try {
      return o.toCredentialsCreateJson();
    } catch (IOException e) {
      throw new IllegalStateException("Yubico's options do not serialise", e);
    }
  }

  private static ObjectNode optionsAnswer(String ceremonyId, String credentialsJson) {
    try {
      ObjectNode out = JSON.createObjectNode();
      out.put("ceremonyId", ceremonyId);
      out.set("publicKey", JSON.readTree(credentialsJson).path("publicKey"));
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("Yubico's options are not JSON", e);
    }
  }

  Answer registerVerify(JsonNode body) {
    Result r = new Result("register");
    ObjectNode req;
    try {
      req = object(body);
    } catch (BadRequest e) {
      return r.invalid(e.getMessage());
    }
    Optional<Registration> pending = ceremony(req, registrations, r);
    if (pending.isEmpty()) {
      return r.invalidAnswer;
    }
    Registration reg = pending.get();
    r.username = reg.username();
    JsonNode credential = req.get("credential");
    PublicKeyCredential<AuthenticatorAttestationResponse, ClientRegistrationExtensionOutputs> pkc;
    try {
      if (credential == null || !credential.isObject()) {
        return r.invalid("credential is required: the RegistrationResponseJSON that navigator.credentials.create gave");
      }
      pkc = PublicKeyCredential.parseRegistrationResponseJson(JSON.writeValueAsString(credential));
    } catch (IOException | RuntimeException e) {
      return r.invalid("the credential is not a RegistrationResponseJSON: " + firstLine(e));
    }
    AttestationObject att = pkc.getResponse().getAttestation();
    r.credentialId = pkc.getId().getBase64Url();
    r.describe(att.getAuthenticatorData(), credential);
    r.attestation(att);
    RegistrationResult result;
    try {
      result = reg.rp().finishRegistration(FinishRegistrationOptions.builder().request(reg.options()).response(pkc).build());
    } catch (RegistrationFailedException | RuntimeException e) {
      return r.invalid("the registration does not verify: " + firstLine(e));
    }
    r.trusted = result.isAttestationTrusted();
    r.signCount = result.getSignatureCount();
    String aaguid = uuid(result.getAaguid());
    r.aaguid = aaguid;
    r.model = metadata.flatMap(m -> m.model(result.getAaguid()));
    int alg = algorithm(result.getPublicKeyCose());
    RpPolicy p = policy.get();
    Optional<Refusal> refused =
        keyRestrictions(p, aaguid, r.model, "register")
            .or(() -> attestation(p, att, result, aaguid, r.model))
            .or(() -> userVerification(p, r.flags.path("uv").asBoolean(), "register"))
            .or(() -> algorithms(p, alg));
    if (refused.isPresent()) {
      return r.refused(refused.get());
    }
    users.add(new Users.Credential(result.getKeyId().getId(), reg.options().getUser().getId(), result.getPublicKeyCose(),
        result.getSignatureCount(), aaguid, r.model, att.getFormat(), alg, result.isDiscoverable()));
    return r.ok();
  }

  // ---- sign-in

  ObjectNode signInOptions(JsonNode body) {
    ObjectNode req = object(body);
    String username = text(req, "username", null);
    UserVerificationRequirement uv = userVerification(req);
    StartAssertionOptions.StartAssertionOptionsBuilder b =
        StartAssertionOptions.builder().userVerification(uv).timeout(signIns.timeout().toMillis());
    if (username != null && !username.isEmpty()) {
      checkName("username", username);
      if (users.getUserHandleForUsername(username).isEmpty()) {
        throw new BadRequest("no user '" + username + "' is registered here: register first, or leave username out for a discoverable sign-in");
      }
      b.username(username);
    }
    RelyingParty rp = relyingParty(AttestationConveyancePreference.NONE);
    AssertionRequest request = rp.startAssertion(b.build());
    String id = signIns.put(new SignIn(rp, request));
    try {
      return optionsAnswer(id, request.toCredentialsGetJson());
    } catch (IOException e) {
      throw new IllegalStateException("Yubico's options do not serialise", e);
    }
  }

  Answer signInVerify(JsonNode body) {
    Result r = new Result("signin");
    ObjectNode req;
    try {
      req = object(body);
    } catch (BadRequest e) {
      return r.invalid(e.getMessage());
    }
    Optional<SignIn> pending = ceremony(req, signIns, r);
    if (pending.isEmpty()) {
      return r.invalidAnswer;
    }
    SignIn s = pending.get();
    s.request().getUsername().ifPresent(u -> r.username = u);
    JsonNode credential = req.get("credential");
    PublicKeyCredential<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs> pkc;
    try {
      if (credential == null || !credential.isObject()) {
        return r.invalid("credential is required: the AuthenticationResponseJSON that navigator.credentials.get gave");
      }
      pkc = PublicKeyCredential.parseAssertionResponseJson(JSON.writeValueAsString(credential));
    } catch (IOException | RuntimeException e) {
      return r.invalid("the credential is not an AuthenticationResponseJSON: " + firstLine(e));
    }
    r.credentialId = pkc.getId().getBase64Url();
    r.describe(pkc.getResponse().getParsedAuthenticatorData(), credential);
    Optional<Users.Credential> stored = users.credential(pkc.getId());
    stored.ifPresent(c -> {
      r.aaguid = c.aaguid();
      r.model = c.model();
      r.format = c.format();
    });
    AssertionResult result;
    try {
      result = s.rp().finishAssertion(FinishAssertionOptions.builder().request(s.request()).response(pkc).build());
    } catch (AssertionFailedException | RuntimeException e) {
      return r.invalid("the sign-in does not verify: " + firstLine(e));
    }
    if (!result.isSuccess() || stored.isEmpty()) {
      return r.invalid("the sign-in does not verify");
    }
    r.username = result.getUsername();
    r.signCount = result.getSignatureCount();
    RpPolicy p = policy.get();
    Optional<Refusal> refused =
        keyRestrictions(p, stored.get().aaguid(), stored.get().model(), "signin")
            .or(() -> userVerification(p, r.flags.path("uv").asBoolean(), "signin"));
    if (refused.isPresent()) {
      return r.refused(refused.get());
    }
    users.updateSignCount(pkc.getId(), result.getSignatureCount());
    return r.ok();
  }

  private static <T> Optional<T> ceremony(ObjectNode req, PendingCeremonies<T> pending, Result r) {
    JsonNode id = req.get("ceremonyId");
    if (id == null || !id.isTextual()) {
      r.invalid("ceremonyId is required: the one the options answer gave");
      return Optional.empty();
    }
    Optional<T> found = pending.take(id.asText());
    if (found.isEmpty()) {
      r.invalid("unknown or expired ceremony '" + clip(id.asText()) + "': ask for new options (a ceremony lasts "
          + pending.timeout().toSeconds() + " s and serves one verify)");
    }
    return found;
  }

  // ---- the policies, each a plain-words refusal or nothing

  record Refusal(String policy, String message) {}

  private static Optional<Refusal> keyRestrictions(RpPolicy p, String aaguid, Optional<String> model, String ceremony) {
    RpPolicy.KeyRestrictions k = p.keyRestrictions();
    if (k.admits(aaguid)) {
      return Optional.empty();
    }
    String which = k.enforcementType() == RpPolicy.EnforcementType.ALLOW ? "is not on the allow list" : "is on the block list";
    String what = ceremony.equals("signin") ? "This passkey's key model" : "This key's model";
    String tail = ceremony.equals("signin") ? ", so it cannot sign in." : ".";
    return Optional.of(new Refusal("keyRestrictions", what + " (" + modelText(aaguid, model) + ") " + which
        + " of this site's key restriction policy" + tail));
  }

  private Optional<Refusal> attestation(RpPolicy p, AttestationObject att, RegistrationResult result, String aaguid, Optional<String> model) {
    if (!p.isAttestationEnforced()) {
      return Optional.empty();
    }
    String intro = "This site's policy enforces attestation: a packed statement whose certificate chain leads to a root that FIDO metadata"
        + " lists for the key's model. ";
    String fmt = att.getFormat();
    if (!fmt.equals("packed")) {
      String why = fmt.equals("none")
          ? "This key gave no attestation (format none), which happens when the page does not ask for it or the key or browser withholds it."
          : "This key's attestation has the format '" + fmt + "', not packed.";
      return Optional.of(new Refusal("attestation", intro + why));
    }
    if (!att.getAttestationStatement().has("x5c")) {
      return Optional.of(new Refusal("attestation", intro + "This key's packed statement is self attestation (no certificate chain),"
          + " so nothing ties it to a certified model."));
    }
    if (metadata.isEmpty()) {
      return Optional.of(new Refusal("attestation", intro + "This site was started without FIDO metadata, so no model can be trusted."));
    }
    if (!metadata.get().lists(result.getAaguid())) {
      return Optional.of(new Refusal("attestation", intro + "This key's model (" + modelText(aaguid, model)
          + ") is not in this site's FIDO metadata, or its entry there is revoked."));
    }
    if (!result.isAttestationTrusted()) {
      return Optional.of(new Refusal("attestation", intro + "This key's certificate chain does not lead to a root that FIDO metadata lists"
          + " for its model (" + modelText(aaguid, model) + "), or a certificate in it is revoked or expired."));
    }
    return Optional.empty();
  }

  private static Optional<Refusal> userVerification(RpPolicy p, boolean uv, String ceremony) {
    if (p.userVerification() != RpPolicy.UserVerification.REQUIRED || uv) {
      return Optional.empty();
    }
    String act = ceremony.equals("signin") ? "signed in" : "registered";
    return Optional.of(new Refusal("userVerification", "This site's policy requires user verification (a PIN or a biometric),"
        + " and the key " + act + " without it (the UV flag is not set)."));
  }

  private static Optional<Refusal> algorithms(RpPolicy p, int alg) {
    if (p.allowedAlgorithms().contains(alg)) {
      return Optional.empty();
    }
    return Optional.of(new Refusal("algorithms", "This key made a " + RpPolicy.algorithmName(alg) + " (" + alg + ") credential; this site's"
        + " policy allows only " + RpPolicy.names(p.allowedAlgorithms()) + ", and the key offers none of them."));
  }

  private static String modelText(String aaguid, Optional<String> model) {
    return "AAGUID " + aaguid + model.map(m -> ", " + m).orElse("");
  }

  // ---- the result object

  private static final class Result {
    final String ceremony;
    String username;
    String credentialId;
    String aaguid;
    Optional<String> model = Optional.empty();
    String format;
    boolean trusted;
    List<X509Certificate> chain = List.of();
    ObjectNode flags = JSON.createObjectNode();
    Long signCount;
    ObjectNode extensions = JSON.createObjectNode();
    Answer invalidAnswer;

    Result(String ceremony) {
      this.ceremony = ceremony;
    }

    void describe(AuthenticatorData ad, JsonNode credential) {
      flags.put("up", ad.getFlags().UP);
      flags.put("uv", ad.getFlags().UV);
      flags.put("be", ad.getFlags().BE);
      flags.put("bs", ad.getFlags().BS);
      JsonNode client = credential.path("clientExtensionResults");
      extensions.set("client", client.isObject() ? client : JSON.createObjectNode());
      extensions.set("authenticator", AuthDataCbor.extensions(ad.getBytes().getBytes()).orElseGet(JSON::createObjectNode));
      ad.getAttestedCredentialData().ifPresent(a -> aaguid = uuid(a.getAaguid()));
    }

    void attestation(AttestationObject att) {
      format = att.getFormat();
      JsonNode x5c = att.getAttestationStatement().get("x5c");
      List<X509Certificate> out = new ArrayList<>();
      if (x5c != null && x5c.isArray()) {
        try {
          CertificateFactory cf = CertificateFactory.getInstance("X.509");
          for (JsonNode c : x5c) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.binaryValue())));
          }
        } catch (IOException | CertificateException | ClassCastException e) {
          // an unparseable chain shows as empty; verification names the fault
        }
      }
      chain = out;
    }

    Answer ok() {
      return new Answer(200, body(true, null));
    }

    Answer refused(Refusal r) {
      return new Answer(403, body(false, r));
    }

    Answer invalid(String message) {
      invalidAnswer = new Answer(400, body(false, new Refusal("verification", message)));
      return invalidAnswer;
    }

    private ObjectNode body(boolean ok, Refusal refusal) {
      ObjectNode o = JSON.createObjectNode();
      o.put("ok", ok);
      o.put("ceremony", ceremony);
      o.put("username", username);
      o.put("credentialId", credentialId);
      o.put("aaguid", aaguid);
      o.put("model", model.orElse(null));
      ObjectNode a = o.putObject("attestation");
      a.put("format", format);
      a.put("trusted", trusted);
      ArrayNode c = a.putArray("chain");
      for (X509Certificate x : chain) {
        c.addObject().put("subject", x.getSubjectX500Principal().getName()).put("issuer", x.getIssuerX500Principal().getName());
      }
      o.set("flags", flags);
      if (signCount == null) {
        o.putNull("signCount");
      } else {
        o.put("signCount", signCount);
      }
      o.set("extensions", extensions);
      if (refusal == null) {
        o.putNull("refusal");
      } else {
        o.putObject("refusal").put("policy", refusal.policy()).put("message", refusal.message());
      }
      return o;
    }
  }

  // ---- small helpers

  private static ObjectNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new BadRequest("the body must be a JSON object");
    }
    return (ObjectNode) body;
  }

  private static String text(ObjectNode o, String name, String fallback) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new BadRequest(name + " must be a string");
    }
    return v.asText();
  }

  private static boolean bool(ObjectNode o, String name, boolean fallback) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new BadRequest(name + " must be true or false");
    }
    return v.asBoolean();
  }

  private static UserVerificationRequirement userVerification(ObjectNode req) {
    String uv = text(req, "userVerification", "preferred");
    return switch (uv) {
      case "required" -> UserVerificationRequirement.REQUIRED;
      case "preferred" -> UserVerificationRequirement.PREFERRED;
      case "discouraged" -> UserVerificationRequirement.DISCOURAGED;
      default -> throw new BadRequest("userVerification must be required, preferred or discouraged, not '" + clip(uv) + "'");
    };
  }

  private static void checkName(String what, String name) {
    if (name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequest(what + " must be at most 64 characters, without control characters");
    }
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }

  static String uuid(ByteArray aaguid) {
    String h = aaguid.getHex().toLowerCase(Locale.ROOT);
    if (h.length() != 32) {
      return h;
    }
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
  }

  private static int algorithm(ByteArray cose) {
    return AuthDataCbor.algorithm(cose.getBytes());
  }
}
