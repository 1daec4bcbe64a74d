package dev.softkey.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * PublicKeyCredentialRequestOptions as read from its JSON form (WebAuthn L3 section 5.5 and
 * PublicKeyCredentialRequestOptionsJSON, section 5.1.10). Extensions softkey does not map are
 * ignored, as unknown extensions must be.
 *
 * @param challenge the challenge
 * @param rpId rpId, empty to default to the origin's effective domain
 * @param allowCredentials allowCredentials; empty asks for discoverable credentials
 * @param userVerification userVerification (default "preferred")
 * @param extensions the client extension inputs softkey maps
 */
public record RequestOptions(
    Bytes challenge,
    Optional<String> rpId,
    List<CredentialDescriptor> allowCredentials,
    String userVerification,
    Extensions extensions) {

  public RequestOptions {
    allowCredentials = List.copyOf(allowCredentials);
  }

  /** Options without extensions. */
  public RequestOptions(Bytes challenge, Optional<String> rpId, List<CredentialDescriptor> allowCredentials, String userVerification) {
    this(challenge, rpId, allowCredentials, userVerification, Extensions.NONE);
  }

  /**
   * The authentication extension inputs softkey maps.
   *
   * @param prf prf (WebAuthn L3 section 10.1.4): eval and evalByCredential over hmac-secret
   * @param hmacGetSecret hmacGetSecret, hmac-secret's legacy input (CTAP 2.1 section 12.5)
   * @param largeBlob largeBlob (WebAuthn L3 section 10.1.5): read or write
   * @param getCredBlob getCredBlob (CTAP 2.1 section 12.2)
   */
  public record Extensions(
      Optional<ExtensionInputs.Prf> prf,
      Optional<ExtensionInputs.HmacGetSecret> hmacGetSecret,
      Optional<ExtensionInputs.LargeBlob> largeBlob,
      boolean getCredBlob) {
    public static final Extensions NONE = new Extensions(Optional.empty(), Optional.empty(), Optional.empty(), false);

    static Extensions fromJson(JsonNode ext) {
      return new Extensions(
          ExtensionInputs.Prf.fromJson(ext),
          ExtensionInputs.HmacGetSecret.fromJson(ext),
          ExtensionInputs.LargeBlob.fromJson(ext),
          JsonInput.bool(ext, "getCredBlob", "extensions.getCredBlob", false));
    }
  }

  /** Reads PublicKeyCredentialRequestOptionsJSON, bare or inside {@code {"publicKey": ...}}. */
  public static RequestOptions fromJson(String json) {
    JsonNode o = JsonInput.options(json);
    return new RequestOptions(
        JsonInput.base64Url(o, "challenge", "challenge"),
        JsonInput.optText(o, "rpId", "rpId"),
        JsonInput.list(o, "allowCredentials", "allowCredentials", n -> CredentialDescriptor.fromJson(n, "allowCredentials")),
        JsonInput.optText(o, "userVerification", "userVerification").orElse("preferred"),
        Extensions.fromJson(JsonInput.optObject(o, "extensions", "extensions").orElse(JsonInput.MAPPER.createObjectNode())));
  }
}
