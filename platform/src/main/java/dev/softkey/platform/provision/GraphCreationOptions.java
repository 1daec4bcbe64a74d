package dev.softkey.platform.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CreationOptions;
import dev.softkey.platform.WebAuthnException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Microsoft Graph {@code webauthnCredentialCreationOptions} response, as {@code GET
 * /users/{id}/authentication/fido2Methods/creationOptions} returns it: {@code
 * {challengeTimeoutDateTime, publicKey: {...}}} (Graph v1.0 and beta, api-reference
 * fido2authenticationmethod-creationoptions.md; the real tenant capture in MichaelGrafnetter/
 * webauthn-interop's {@code MicrosoftGraphWebauthnCredentialCreationOptionsTester.cs}, see
 * ../shared/docs/entra.md section 1).
 *
 * <p>Read as it comes: {@code @odata.type} and {@code @odata.context} members on any object are
 * ignored; the challenge (base64url of a compact JWE, several KB) is taken as it is; binary members
 * ({@code user.id}, {@code challenge}, {@code excludeCredentials[].id}) may be base64url without
 * padding, as the v1.0 documentation says, or standard base64 with padding, as the captured
 * {@code excludeCredentials} ids are. Anything else malformed is a {@link GraphOptionsException}
 * naming the member.
 *
 * @param challengeTimeoutDateTime when Graph stops accepting the challenge (ISO 8601, as given)
 * @param publicKey the PublicKeyCredentialCreationOptions the WebAuthn client takes
 */
public record GraphCreationOptions(Optional<String> challengeTimeoutDateTime, CreationOptions publicKey) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The credProtect policies of CTAP 2.1 section 12.1, by their WebAuthn names. */
  static final Set<String> CRED_PROTECT_POLICIES =
      Set.of("userVerificationOptional", "userVerificationOptionalWithCredentialIDList", "userVerificationRequired");

  public GraphCreationOptions {
    Objects.requireNonNull(challengeTimeoutDateTime, "challengeTimeoutDateTime");
    Objects.requireNonNull(publicKey, "publicKey");
  }

  /** {@code publicKey.user.name}: the user principal name (UPN). */
  public String userPrincipalName() {
    return publicKey.userName();
  }

  /** {@code publicKey.user.id}: Entra's user handle (48 bytes in real responses). */
  public Bytes userId() {
    return publicKey.userId();
  }

  /** {@code publicKey.rp.id}. */
  public String rpId() {
    return publicKey.rpId().orElseThrow();
  }

  /** Reads a Graph creationOptions response; throws {@link GraphOptionsException} naming the member at fault. */
  public static GraphCreationOptions parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new GraphOptionsException("the document", "is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new GraphOptionsException("the document", "must be a JSON object {challengeTimeoutDateTime, publicKey: {...}}");
    }
    JsonNode copy = root.deepCopy();
    stripOdata(copy);
    Optional<String> timeout = optText(copy, "challengeTimeoutDateTime", "challengeTimeoutDateTime");
    ObjectNode pk = object(copy, "publicKey", "publicKey");
    ObjectNode rp = object(pk, "rp", "publicKey.rp");
    text(rp, "id", "publicKey.rp.id");
    text(rp, "name", "publicKey.rp.name");
    ObjectNode user = object(pk, "user", "publicKey.user");
    Bytes userId = binary(user, "id", "publicKey.user.id");
    // WebAuthn L3 section 5.1.3 step 5: user.id is 1 to 64 bytes.
    if (userId.length() < 1 || userId.length() > 64) {
      throw new GraphOptionsException("publicKey.user.id", "must be 1 to 64 bytes, got " + userId.length());
    }
    user.put("id", userId.base64Url());
    text(user, "name", "publicKey.user.name");
    text(user, "displayName", "publicKey.user.displayName");
    Bytes challenge = binary(pk, "challenge", "publicKey.challenge");
    if (challenge.length() == 0) {
      throw new GraphOptionsException("publicKey.challenge", "is empty");
    }
    pk.put("challenge", challenge.base64Url());
    JsonNode params = pk.get("pubKeyCredParams");
    if (params == null || !params.isArray() || params.isEmpty()) {
      throw new GraphOptionsException("publicKey.pubKeyCredParams", "must be a non-empty array of {type, alg}");
    }
    for (int i = 0; i < params.size(); i++) {
      JsonNode p = params.get(i);
      String path = "publicKey.pubKeyCredParams[" + i + "]";
      if (!p.isObject() || p.get("alg") == null || !p.get("alg").isIntegralNumber()) {
        throw new GraphOptionsException(path + ".alg", "must be an integer COSE algorithm identifier");
      }
      text((ObjectNode) p, "type", path + ".type");
    }
    JsonNode exclude = pk.get("excludeCredentials");
    if (exclude != null && !exclude.isNull()) {
      if (!exclude.isArray()) {
        throw new GraphOptionsException("publicKey.excludeCredentials", "must be an array");
      }
      for (int i = 0; i < exclude.size(); i++) {
        String path = "publicKey.excludeCredentials[" + i + "]";
        if (!exclude.get(i).isObject()) {
          throw new GraphOptionsException(path, "must be an object {type, id}");
        }
        ObjectNode d = (ObjectNode) exclude.get(i);
        text(d, "type", path + ".type");
        d.put("id", binary(d, "id", path + ".id").base64Url());
      }
    }
    JsonNode ext = pk.get("extensions");
    if (ext != null && ext.isObject()) {
      optText(ext, "credentialProtectionPolicy", "publicKey.extensions.credentialProtectionPolicy")
          .filter(p -> !CRED_PROTECT_POLICIES.contains(p))
          .ifPresent(p -> {
            throw new GraphOptionsException("publicKey.extensions.credentialProtectionPolicy",
                "must be one of " + String.join(", ", CRED_PROTECT_POLICIES.stream().sorted().toList()) + ", not '" + p + "'");
          });
    }
    CreationOptions options;
    try {
      options = CreationOptions.fromJson(MAPPER.createObjectNode().set("publicKey", pk).toString());
    } catch (WebAuthnException e) {
      // The client's own reading (WebIDL conversion): its message names the member below publicKey.
      throw new GraphOptionsException("publicKey", "is not valid PublicKeyCredentialCreationOptions: " + e.getMessage());
    }
    return new GraphCreationOptions(timeout, options);
  }

  /**
   * The options for one user from the per-user values alone, with Graph's fixed members filled in as
   * YubicoLabs' bulk PoC does (bulkRegistration step2CreateAndActivateCredential.py {@code
   * build_creation_options}, from the CSV its step 1 writes: User.Name, User.DisplayName, User.ID,
   * Challenge, ChallengeExpiryTime, RP.ID): rp name Microsoft, ES256 and RS256, cross-platform,
   * requireResidentKey, userVerification required, attestation direct, hmacCreateSecret and
   * credProtect userVerificationOptional enforced.
   *
   * @param rpId RP.ID; empty: login.microsoft.com
   */
  public static GraphCreationOptions fromUserValues(
      String upn, String displayName, String userId, String challenge, Optional<String> challengeTimeoutDateTime, Optional<String> rpId) {
    ObjectNode root = MAPPER.createObjectNode();
    challengeTimeoutDateTime.ifPresent(t -> root.put("challengeTimeoutDateTime", t));
    ObjectNode pk = root.putObject("publicKey");
    pk.put("challenge", challenge);
    pk.put("timeout", 60000);
    pk.put("attestation", "direct");
    pk.putObject("rp").put("id", rpId.orElse("login.microsoft.com")).put("name", "Microsoft");
    pk.putObject("user").put("id", userId).put("name", upn).put("displayName", displayName);
    ArrayNode params = pk.putArray("pubKeyCredParams");
    params.addObject().put("type", "public-key").put("alg", -7);
    params.addObject().put("type", "public-key").put("alg", -257);
    pk.putArray("excludeCredentials");
    pk.putObject("authenticatorSelection")
        .put("authenticatorAttachment", "cross-platform")
        .put("requireResidentKey", true)
        .put("userVerification", "required");
    pk.putObject("extensions")
        .put("hmacCreateSecret", true)
        .put("enforceCredentialProtectionPolicy", true)
        .put("credentialProtectionPolicy", "userVerificationOptional");
    return parse(root.toString());
  }

  /**
   * Decodes a binary member given as base64url (with or without padding) or as standard base64
   * (with or without padding): both alphabets agree but for '+' / '-' and '/' / '_'.
   */
  static Bytes decode(String s) {
    String t = s.strip();
    boolean standard = t.indexOf('+') >= 0 || t.indexOf('/') >= 0;
    boolean url = t.indexOf('-') >= 0 || t.indexOf('_') >= 0;
    if (standard && url) {
      throw new IllegalArgumentException("mixes the base64 and base64url alphabets");
    }
    return Bytes.wrap((standard ? Base64.getDecoder() : Base64.getUrlDecoder()).decode(t));
  }

  private static Bytes binary(JsonNode obj, String name, String path) {
    String s = text(obj, name, path);
    try {
      return decode(s);
    } catch (IllegalArgumentException e) {
      throw new GraphOptionsException(path, "is neither base64url nor base64 (" + e.getMessage() + ")");
    }
  }

  private static ObjectNode object(JsonNode obj, String name, String path) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      throw new GraphOptionsException(path, "is missing");
    }
    if (!v.isObject()) {
      throw new GraphOptionsException(path, "must be an object");
    }
    return (ObjectNode) v;
  }

  private static String text(JsonNode obj, String name, String path) {
    return optText(obj, name, path).orElseThrow(() -> new GraphOptionsException(path, "is missing"));
  }

  private static Optional<String> optText(JsonNode obj, String name, String path) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new GraphOptionsException(path, "must be a string");
    }
    return Optional.of(v.asText());
  }

  /** Removes the OData annotations ({@code @odata.type}, {@code @odata.context}, ...) from every object. */
  private static void stripOdata(JsonNode n) {
    if (n instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().startsWith("@odata.") || e.getKey().contains("@odata.")) {
          it.remove();
        } else {
          stripOdata(e.getValue());
        }
      }
    } else if (n instanceof ArrayNode a) {
      a.forEach(GraphCreationOptions::stripOdata);
    }
  }
}
