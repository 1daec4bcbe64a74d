/**
 * The platform side of the large-blob array (CTAP 2.1 section 6.10.3): {@link
 * dev.softkey.platform.largeblob.LargeBlobs} reads and writes the serialized array over
 * authenticatorLargeBlobs and encrypts, compresses and finds the entry of one credential by its
 * largeBlobKey.
 *
 * <p>Owns: the array's format (entries, truncated hash, fragments, pinUvAuthParam) and the entry
 * cryptography. Does not own: obtaining the largeBlobKey (makeCredential / getAssertion with the
 * largeBlobKey extension, or credential management), nor the WebAuthn largeBlob client extension
 * built on this.
 */
package dev.softkey.platform.largeblob;
