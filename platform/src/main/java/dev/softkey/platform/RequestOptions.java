package dev.softkey.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * PublicKeyCredentialRequestOptions as read from its JSON form (WebAuthn L3 section 5.5 and
 * PublicKeyCredentialRequestOptionsJSON, section 5.1.10). Extensions are ignored (softkey maps
 * none for get yet), as unknown extensions must be.
 *
 * @param challenge the challenge
 * @param rpId rpId, empty to default to the origin's effective domain
 * @param allowCredentials allowCredentials; empty asks for discoverable credentials
 * @param userVerification userVerification (default "preferred")
 */
public record RequestOptions(
    Bytes challenge, Optional<String> rpId, List<CredentialDescriptor> allowCredentials, String userVerification) {

  public RequestOptions {
    allowCredentials = List.copyOf(allowCredentials);
  }

  /** Reads PublicKeyCredentialRequestOptionsJSON, bare or inside {@code {"publicKey": ...}}. */
  public static RequestOptions fromJson(String json) {
    JsonNode o = JsonInput.options(json);
    return new RequestOptions(
        JsonInput.base64Url(o, "challenge", "challenge"),
        JsonInput.optText(o, "rpId", "rpId"),
        JsonInput.list(o, "allowCredentials", "allowCredentials", n -> CredentialDescriptor.fromJson(n, "allowCredentials")),
        JsonInput.optText(o, "userVerification", "userVerification").orElse("preferred"));
  }
}
