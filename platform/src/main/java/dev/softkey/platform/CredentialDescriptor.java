package dev.softkey.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.List;

/**
 * PublicKeyCredentialDescriptor (WebAuthn L3 section 5.8.3), as excludeCredentials and
 * allowCredentials carry it.
 *
 * @param type "public-key" for every credential WebAuthn knows; others are skipped by the client
 * @param id the credential ID
 * @param transports transport hints, kept for completeness; CTAP does not need them
 */
public record CredentialDescriptor(String type, Bytes id, List<String> transports) {
  public static final String PUBLIC_KEY = "public-key";

  public CredentialDescriptor {
    transports = List.copyOf(transports);
  }

  public static CredentialDescriptor publicKey(Bytes id) {
    return new CredentialDescriptor(PUBLIC_KEY, id, List.of());
  }

  static CredentialDescriptor fromJson(JsonNode n, String path) {
    if (!n.isObject()) {
      throw new WebAuthnException(Name.TypeError, path + " must hold objects");
    }
    return new CredentialDescriptor(
        JsonInput.text(n, "type", path + ".type"),
        JsonInput.base64Url(n, "id", path + ".id"),
        JsonInput.texts(n, "transports", path + ".transports"));
  }
}
