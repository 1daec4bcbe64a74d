/**
 * The hybrid QR code (CTAP 2.2 section 11.5, "QR-initiated transactions"): the {@code FIDO:/}
 * digit encoding ({@link dev.softkey.hybrid.qr.DigitCodec}), the CBOR payload ({@link
 * dev.softkey.hybrid.qr.QrPayload}) and rendering to or reading from images and terminals with
 * zxing ({@link dev.softkey.hybrid.qr.QrImages}).
 *
 * <p>Owns: the exact text and bytes of a hybrid QR code. Does not own: what happens after the code
 * is scanned (derivations live in {@code dev.softkey.hybrid.crypto}, the handshake in {@code
 * dev.softkey.hybrid.noise}), cameras or displays; rendering returns strings, images and bytes.
 */
package dev.softkey.hybrid.qr;
