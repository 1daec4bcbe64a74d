package dev.softkey.core.attestation;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.model.Bytes;
import java.util.Objects;

/**
 * One profile's attestation key and batch certificate, issued by the {@link AttestationCa} root
 * (WebAuthn L3 section 8.2.1). The key is P-256 and signs ES256 (COSE -7) with deterministic ECDSA
 * nonces (RFC 6979). The private key never leaves this object; {@link #toString()} names the
 * profile only.
 */
public final class BatchAttestation {
  private final String profileId;
  private final CredentialKey key;
  private final Bytes certificate;

  BatchAttestation(String profileId, CredentialKey key, Bytes certificate) {
    this.profileId = Objects.requireNonNull(profileId);
    this.key = Objects.requireNonNull(key);
    this.certificate = Objects.requireNonNull(certificate);
  }

  /** The profile this batch certificate was issued for. */
  public String profileId() {
    return profileId;
  }

  /** The batch (attestation) certificate, DER. */
  public Bytes certificate() {
    return certificate;
  }

  /** The signature algorithm of the batch key: always ES256. */
  public CoseAlgorithm algorithm() {
    return CoseAlgorithm.ES256;
  }

  /** Signs {@code message} with the batch key: SHA-256 ECDSA, DER-encoded (r, s). */
  public Bytes sign(byte[] message) {
    return key.sign(message);
  }

  /** The batch public key as an uncompressed P-256 point (65 bytes). */
  public Bytes publicKeyPoint() {
    return key.uncompressedEcPoint();
  }

  @Override
  public String toString() {
    return "BatchAttestation[" + profileId + "]";
  }
}
