/**
 * Attestation statements for new credentials (WebAuthn L3 section 8) and softkey's own attestation
 * CA.
 *
 * <p>Owns: the statement formats "packed" (batch certificate in x5c, section 8.2), packed self
 * attestation, "none" (section 8.7) and "fido-u2f" (section 8.6), the CTAP1/U2F registration
 * signature, and {@link dev.softkey.core.attestation.AttestationCa}, which generates and keeps a
 * root CA and one batch certificate per profile in the {@link
 * dev.softkey.core.store.DeviceStateStore}.
 *
 * <p>Does not own: authenticator data and the attestation object around the statement (the
 * makeCredential handler builds those), credential keys ({@code core.crypto}), or choosing the kind
 * (the profile and the request's attestation preference decide; this package only executes it).
 */
package dev.softkey.core.attestation;
