/**
 * Attestation statements for new credentials (WebAuthn L3 section 8) and softkey's own attestation
 * CA.
 *
 * <p>Owns: the statement formats "packed" (x5c [batch certificate, vendor intermediate], section
 * 8.2), packed self attestation, "none" (section 8.7) and "fido-u2f" (x5c [batch certificate],
 * section 8.6), the CTAP1/U2F registration signature, and {@link
 * dev.softkey.core.attestation.AttestationCa}, the installation's CA: a root, one intermediate per
 * vendor, one batch certificate per model, CRLs and the MDS3 BLOB signer, kept in a {@link
 * dev.softkey.core.store.DeviceStateStore} of its own (never a device's; the CLI's is the directory
 * {@code --ca}), reproducible from a seed. A device's enterprise attestation certificate is kept in
 * the device's store.
 *
 * <p>Does not own: authenticator data and the attestation object around the statement (the
 * makeCredential handler builds those), credential keys ({@code core.crypto}), or choosing the kind
 * (the profile and the request's attestation preference decide; this package only executes it).
 */
package dev.softkey.core.attestation;
