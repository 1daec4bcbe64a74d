/**
 * authenticatorLargeBlobs (CTAP 2.1 section 6.10): {@link
 * dev.softkey.core.ctap2.largeblobs.LargeBlobsHandler}, reads at an offset and writes in fragments
 * under the lbw permission. The stored array is {@link dev.softkey.core.ctap2.LargeBlobArray} (the
 * state record {@code largeBlobs}), in core.ctap2 because authenticatorReset empties it too.
 *
 * <p>Owns: the steps of the command and the pending write.
 * Does not own: the array's contents, which only platforms encrypt and decrypt
 * ({@code dev.softkey.platform.largeblob}), nor the largeBlobKey that opens an entry (the
 * largeBlobKey extension, {@code core.extension}).
 */
package dev.softkey.core.ctap2.largeblobs;
