package dev.softkey.core.attestation;

import dev.softkey.core.profile.AttestationFormat;

/**
 * Makes attestation statements for new credentials. The profile's {@code attestation.format}
 * selects the kind; the provider holds the batch key and certificate chain.
 */
public interface AttestationProvider {
  /**
   * The statement for a new credential.
   *
   * @param kind packed (batch key, x5c), self (packed signed by the credential key), none or
   *     fido-u2f
   */
  AttestationStatement attest(AttestationFormat kind, AttestationInput input);

  /**
   * For CTAP1/U2F registration: signs {@code data} with the attestation key and returns the
   * DER-encoded ECDSA signature.
   */
  byte[] signU2f(byte[] data);

  /** For CTAP1/U2F registration: the DER attestation certificate that goes into the response. */
  byte[] u2fCertificate();
}
