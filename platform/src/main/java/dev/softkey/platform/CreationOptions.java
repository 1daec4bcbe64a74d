package dev.softkey.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.List;
import java.util.Optional;

/**
 * PublicKeyCredentialCreationOptions as read from its JSON form (WebAuthn L3 section 5.4 and
 * PublicKeyCredentialCreationOptionsJSON, section 5.1.9): the members the client uses. Enumeration
 * members keep the RP's text; unknown values are treated as absent when used, as WebIDL
 * DOMString enums are.
 *
 * @param rpId rp.id, empty to default to the origin's effective domain
 * @param rpName rp.name
 * @param userId user.id (1 to 64 bytes)
 * @param userName user.name
 * @param userDisplayName user.displayName
 * @param challenge the challenge
 * @param pubKeyCredParams pubKeyCredParams in the RP's order
 * @param excludeCredentials excludeCredentials
 * @param residentKey authenticatorSelection.residentKey
 * @param requireResidentKey authenticatorSelection.requireResidentKey (default false)
 * @param userVerification authenticatorSelection.userVerification (default "preferred")
 * @param attestation attestation conveyance (default "none")
 * @param extensions the client extension inputs softkey understands
 */
public record CreationOptions(
    Optional<String> rpId,
    String rpName,
    Bytes userId,
    String userName,
    String userDisplayName,
    Bytes challenge,
    List<CredentialParameters> pubKeyCredParams,
    List<CredentialDescriptor> excludeCredentials,
    Optional<String> residentKey,
    boolean requireResidentKey,
    String userVerification,
    String attestation,
    Extensions extensions) {

  public CreationOptions {
    pubKeyCredParams = List.copyOf(pubKeyCredParams);
    excludeCredentials = List.copyOf(excludeCredentials);
  }

  /**
   * PublicKeyCredentialParameters (section 5.3).
   *
   * @param type "public-key" or anything the RP wrote (skipped by the client)
   * @param alg the COSE algorithm identifier
   */
  public record CredentialParameters(String type, long alg) {}

  /**
   * The creation extension inputs softkey maps; others are ignored, as WebAuthn requires for
   * unknown extensions.
   *
   * @param credProps credProps (WebAuthn L3 section 10.1.3), answered by the client itself
   * @param credentialProtectionPolicy credProtect (CTAP 2.1 section 12.1): userVerificationOptional,
   *     userVerificationOptionalWithCredentialIDList or userVerificationRequired
   * @param enforceCredentialProtectionPolicy credProtect's enforce flag
   * @param hmacCreateSecret hmac-secret (CTAP 2.1 section 12.5), the legacy name
   * @param prf prf (WebAuthn L3 section 10.1.4) over hmac-secret and hmac-secret-mc
   * @param largeBlob largeBlob (WebAuthn L3 section 10.1.5) over largeBlobKey
   * @param credBlob credBlob (CTAP 2.1 section 12.2): the bytes to store with the credential
   * @param minPinLength minPinLength (CTAP 2.1 section 12.4)
   */
  public record Extensions(
      boolean credProps,
      Optional<String> credentialProtectionPolicy,
      boolean enforceCredentialProtectionPolicy,
      boolean hmacCreateSecret,
      Optional<ExtensionInputs.Prf> prf,
      Optional<ExtensionInputs.LargeBlob> largeBlob,
      Optional<Bytes> credBlob,
      boolean minPinLength) {
    public static final Extensions NONE =
        new Extensions(false, Optional.empty(), false, false, Optional.empty(), Optional.empty(), Optional.empty(), false);

    /** The four inputs softkey read before prf, largeBlob, credBlob and minPinLength. */
    public Extensions(
        boolean credProps, Optional<String> credentialProtectionPolicy, boolean enforceCredentialProtectionPolicy, boolean hmacCreateSecret) {
      this(credProps, credentialProtectionPolicy, enforceCredentialProtectionPolicy, hmacCreateSecret, Optional.empty(), Optional.empty(),
          Optional.empty(), false);
    }

    static Extensions fromJson(JsonNode ext) {
      return new Extensions(
          JsonInput.bool(ext, "credProps", "extensions.credProps", false),
          JsonInput.optText(ext, "credentialProtectionPolicy", "extensions.credentialProtectionPolicy"),
          JsonInput.bool(ext, "enforceCredentialProtectionPolicy", "extensions.enforceCredentialProtectionPolicy", false),
          JsonInput.bool(ext, "hmacCreateSecret", "extensions.hmacCreateSecret", false),
          ExtensionInputs.Prf.fromJson(ext),
          ExtensionInputs.LargeBlob.fromJson(ext),
          ExtensionInputs.optBase64Url(ext, "credBlob"),
          JsonInput.bool(ext, "minPinLength", "extensions.minPinLength", false));
    }
  }

  /** Reads PublicKeyCredentialCreationOptionsJSON, bare or inside {@code {"publicKey": ...}}. */
  public static CreationOptions fromJson(String json) {
    JsonNode o = JsonInput.options(json);
    JsonNode rp = JsonInput.object(o, "rp", "rp");
    JsonNode user = JsonInput.object(o, "user", "user");
    Bytes userId = JsonInput.base64Url(user, "id", "user.id");
    // Section 5.1.3 step 5: user.id must be 1 to 64 bytes.
    if (userId.length() < 1 || userId.length() > 64) {
      throw new WebAuthnException(Name.TypeError, "user.id must be 1 to 64 bytes, got " + userId.length());
    }
    List<CredentialParameters> params =
        JsonInput.list(
            o,
            "pubKeyCredParams",
            "pubKeyCredParams",
            n -> {
              if (!n.isObject() || !n.has("alg") || !n.get("alg").canConvertToLong() || !n.get("alg").isIntegralNumber()) {
                throw new WebAuthnException(Name.TypeError, "pubKeyCredParams entries need an integer alg");
              }
              return new CredentialParameters(JsonInput.text(n, "type", "pubKeyCredParams.type"), n.get("alg").asLong());
            });
    if (JsonInput.member(o, "pubKeyCredParams").isEmpty()) {
      throw new WebAuthnException(Name.TypeError, "missing required member pubKeyCredParams");
    }
    JsonNode sel = JsonInput.optObject(o, "authenticatorSelection", "authenticatorSelection").orElse(JsonInput.MAPPER.createObjectNode());
    JsonNode ext = JsonInput.optObject(o, "extensions", "extensions").orElse(JsonInput.MAPPER.createObjectNode());
    Extensions extensions = Extensions.fromJson(ext);
    return new CreationOptions(
        JsonInput.optText(rp, "id", "rp.id"),
        JsonInput.text(rp, "name", "rp.name"),
        userId,
        JsonInput.text(user, "name", "user.name"),
        JsonInput.text(user, "displayName", "user.displayName"),
        JsonInput.base64Url(o, "challenge", "challenge"),
        params,
        JsonInput.list(o, "excludeCredentials", "excludeCredentials", n -> CredentialDescriptor.fromJson(n, "excludeCredentials")),
        JsonInput.optText(sel, "residentKey", "authenticatorSelection.residentKey"),
        JsonInput.bool(sel, "requireResidentKey", "authenticatorSelection.requireResidentKey", false),
        JsonInput.optText(sel, "userVerification", "authenticatorSelection.userVerification").orElse("preferred"),
        JsonInput.optText(o, "attestation", "attestation").orElse("none"),
        extensions);
  }
}
