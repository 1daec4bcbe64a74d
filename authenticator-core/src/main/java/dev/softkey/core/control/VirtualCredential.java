package dev.softkey.core.control;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential as WebDriver's Credential Parameters describe it (WebAuthn L3 section 11.4): what
 * {@link DeviceControl#addCredential} injects and {@link DeviceControl#credentials} lists. The
 * private key is PKCS#8 DER ({@link Pkcs8}); it is secret, so {@link #toString} leaves it out.
 *
 * @param credentialId the credential ID (any bytes for an injected credential)
 * @param residentCredential discoverable (kept in the credential store) or not
 * @param rpId the relying party ID
 * @param privateKeyPkcs8 the private key, PKCS#8 DER (secret)
 * @param userHandle the user handle; required for a discoverable credential
 * @param signCount the signature counter
 * @param backupEligible the BE flag
 * @param backupState the BS flag
 * @param userName the user entity's name, if known
 * @param userDisplayName the user entity's displayName, if known
 * @param algorithm the key's COSE algorithm (what the PKCS#8 key decodes to)
 */
public record VirtualCredential(
    Bytes credentialId,
    boolean residentCredential,
    String rpId,
    Bytes privateKeyPkcs8,
    Optional<Bytes> userHandle,
    long signCount,
    boolean backupEligible,
    boolean backupState,
    Optional<String> userName,
    Optional<String> userDisplayName,
    CoseAlgorithm algorithm) {

  public VirtualCredential {
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(rpId, "rpId");
    Objects.requireNonNull(privateKeyPkcs8, "privateKey");
    Objects.requireNonNull(userHandle, "userHandle");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(userDisplayName, "userDisplayName");
    Objects.requireNonNull(algorithm, "algorithm");
  }

  @Override
  public String toString() {
    return "VirtualCredential[" + rpId + ", id=" + credentialId.base64Url() + ", resident=" + residentCredential
        + ", alg=" + algorithm + ", signCount=" + signCount + "]";
  }
}
