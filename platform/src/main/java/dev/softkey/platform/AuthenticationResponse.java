package dev.softkey.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * The result of get(): a PublicKeyCredential with an AuthenticatorAssertionResponse, and its
 * AuthenticationResponseJSON form (WebAuthn L3 section 5.1, toJSON(); section 5.2.2).
 *
 * @param rawId the credential ID
 * @param clientDataJson the clientDataJSON bytes
 * @param authenticatorData authData
 * @param signature the assertion signature over authenticatorData || SHA-256(clientDataJSON)
 * @param userHandle the user handle, when the authenticator returned one
 * @param clientExtensionResults getClientExtensionResults()
 */
public record AuthenticationResponse(
    Bytes rawId,
    Bytes clientDataJson,
    Bytes authenticatorData,
    Bytes signature,
    Optional<Bytes> userHandle,
    ClientExtensionResults clientExtensionResults) {

  /** A response without extension outputs. */
  public AuthenticationResponse(Bytes rawId, Bytes clientDataJson, Bytes authenticatorData, Bytes signature, Optional<Bytes> userHandle) {
    this(rawId, clientDataJson, authenticatorData, signature, userHandle, ClientExtensionResults.NONE);
  }

  /** AuthenticationResponseJSON with the member order id, rawId, type, authenticatorAttachment, response, clientExtensionResults. */
  public ObjectNode toJsonNode() {
    ObjectNode root = JsonInput.MAPPER.createObjectNode();
    root.put("id", rawId.base64Url());
    root.put("rawId", rawId.base64Url());
    root.put("type", "public-key");
    root.put("authenticatorAttachment", "cross-platform");
    ObjectNode r = root.putObject("response");
    r.put("clientDataJSON", clientDataJson.base64Url());
    r.put("authenticatorData", authenticatorData.base64Url());
    r.put("signature", signature.base64Url());
    userHandle.ifPresent(u -> r.put("userHandle", u.base64Url()));
    clientExtensionResults.writeJson(root.putObject("clientExtensionResults"));
    return root;
  }

  /** Compact JSON. */
  public String toJson() {
    return toJsonNode().toString();
  }
}
