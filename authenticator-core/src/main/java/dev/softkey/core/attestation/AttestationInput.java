package dev.softkey.core.attestation;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.model.Bytes;

/**
 * What an attestation statement is made over (WebAuthn L3 section 6.5).
 *
 * @param authenticatorData the complete authenticator data, attested credential data included
 * @param clientDataHash the request's clientDataHash
 * @param rpIdHash SHA-256 of the RP ID (for fido-u2f)
 * @param credentialId the new credential's ID (for fido-u2f)
 * @param credentialKey the new credential's key (self attestation signs with it; fido-u2f needs its point)
 */
public record AttestationInput(
    Bytes authenticatorData, Bytes clientDataHash, Bytes rpIdHash, Bytes credentialId, CredentialKey credentialKey) {}
