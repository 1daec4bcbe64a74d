package dev.softkey.core.attestation;

import java.util.Optional;

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

  /**
   * An enterprise attestation (CTAP 2.1 section 7.1, makeCredential step 19 after step 9 chose
   * one): a statement whose certificate identifies this device. Empty when the provider has none,
   * and the authenticator then returns its usual statement without epAtt.
   */
  default Optional<AttestationStatement> attestEnterprise(AttestationInput input) {
    return Optional.empty();
  }

  /** For CTAP1/U2F registration: the DER attestation certificate that goes into the response. */
  byte[] u2fCertificate();
}
