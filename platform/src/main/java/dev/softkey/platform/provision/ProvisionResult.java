package dev.softkey.platform.provision;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.platform.RegistrationResponse;
import java.util.Objects;

/**
 * What provisioning one key gives.
 *
 * @param postBody the body of {@code POST /users/{id}/authentication/fido2Methods} (Graph
 *     api-reference authentication-post-fido2methods.md): {@code {displayName, publicKeyCredential:
 *     {id, response: {clientDataJSON, attestationObject}, clientExtensionResults}}}, binary values
 *     base64url without padding
 * @param report the report line, with the PIN
 * @param registration the WebAuthn registration response the body was made from
 */
public record ProvisionResult(ObjectNode postBody, ProvisioningReport report, RegistrationResponse registration) {
  public ProvisionResult {
    Objects.requireNonNull(postBody, "postBody");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(registration, "registration");
  }

  /** The POST body as pretty-printed JSON. */
  public String postBodyJson() {
    return postBody.toPrettyString();
  }

  @Override
  public String toString() {
    return "ProvisionResult[" + report + "]";
  }
}
