package dev.softkey.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * The result of create(): a PublicKeyCredential with an AuthenticatorAttestationResponse, and its
 * RegistrationResponseJSON form (WebAuthn L3 section 5.1, toJSON(); section 5.2.1).
 *
 * @param rawId the credential ID
 * @param clientDataJson the clientDataJSON bytes
 * @param attestationObject CBOR {fmt, attStmt, authData}, canonical
 * @param authenticatorData authData
 * @param publicKey DER SubjectPublicKeyInfo of the credential key, empty if it cannot be encoded
 * @param publicKeyAlgorithm the COSE algorithm of the credential key
 * @param transports getTransports()
 * @param clientExtensionResults getClientExtensionResults()
 */
public record RegistrationResponse(
    Bytes rawId,
    Bytes clientDataJson,
    Bytes attestationObject,
    Bytes authenticatorData,
    Optional<Bytes> publicKey,
    long publicKeyAlgorithm,
    List<String> transports,
    ClientExtensionResults clientExtensionResults) {

  public RegistrationResponse {
    transports = List.copyOf(transports);
  }

  /** RegistrationResponseJSON with the member order id, rawId, type, authenticatorAttachment, response, clientExtensionResults. */
  public ObjectNode toJsonNode() {
    ObjectNode root = JsonInput.MAPPER.createObjectNode();
    root.put("id", rawId.base64Url());
    root.put("rawId", rawId.base64Url());
    root.put("type", "public-key");
    root.put("authenticatorAttachment", "cross-platform");
    ObjectNode r = root.putObject("response");
    r.put("clientDataJSON", clientDataJson.base64Url());
    r.put("authenticatorData", authenticatorData.base64Url());
    ArrayNode t = r.putArray("transports");
    transports.forEach(t::add);
    publicKey.ifPresent(pk -> r.put("publicKey", pk.base64Url()));
    r.put("publicKeyAlgorithm", publicKeyAlgorithm);
    r.put("attestationObject", attestationObject.base64Url());
    clientExtensionResults.writeJson(root.putObject("clientExtensionResults"));
    return root;
  }

  /** credProps.rk, when the RP asked for credProps. */
  public Optional<Boolean> credPropsRk() {
    return clientExtensionResults.credPropsRk();
  }

  /** Compact JSON. */
  public String toJson() {
    return toJsonNode().toString();
  }
}
