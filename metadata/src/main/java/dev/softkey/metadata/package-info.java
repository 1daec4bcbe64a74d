/**
 * softkey's FIDO metadata: what an RP that enforces attestation through the FIDO Metadata Service
 * loads for softkey's models.
 *
 * <ul>
 *   <li>{@link dev.softkey.metadata.MetadataStatements}: one FIDO Metadata Statement 3.0 per
 *       published built-in profile, its authenticatorGetInfo taken from the getInfo a factory-fresh
 *       device of the profile serves ({@link dev.softkey.metadata.GetInfoJson});
 *   <li>{@link dev.softkey.metadata.MetadataBlob}: the FIDO MDS 3.0 BLOB (payload, status switches,
 *       the increasing {@code no}) as a compact JWS signed by the installation CA's metadata signer
 *       ({@link dev.softkey.metadata.Jws}: RS256 by default, as the FIDO Alliance's BLOB; ES256 with
 *       raw r||s on request);
 *   <li>{@link dev.softkey.metadata.StatementFiles}: the plain statements, one file per AAGUID, for
 *       RPs that load a folder (fido2-net-lib's FileSystemMetadataRepository);
 *   <li>{@link dev.softkey.metadata.MetadataServer}: the BLOB, the root and the CRLs over HTTP(S) on
 *       loopback, serving a {@link dev.softkey.metadata.PublishedMetadata}.
 * </ul>
 *
 * <p>It does not own the certificates: the attestation CA ({@code core.attestation.AttestationCa})
 * issues the root, the metadata signer and the CRLs. This is softkey's test metadata, never the FIDO
 * Alliance's.
 */
package dev.softkey.metadata;
