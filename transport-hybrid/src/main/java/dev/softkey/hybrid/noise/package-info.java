/**
 * The Noise handshakes of the CTAP 2.2 hybrid transport (section 11.5; Chromium {@code
 * device/fido/cable/noise.cc} and {@code v2_handshake.cc}) and the post-handshake message
 * encryption: {@code Noise_KNpsk0_P256_AESGCM_SHA256} for QR-initiated transactions (prologue
 * {@code 01}) and {@code Noise_NKpsk0_P256_AESGCM_SHA256} for state-assisted ones (prologue {@code
 * 00}), both roles ({@link dev.softkey.hybrid.noise.HandshakeInitiator}, {@link
 * dev.softkey.hybrid.noise.HandshakeResponder}), and the {@link dev.softkey.hybrid.noise.Crypter}
 * that frames every later message.
 *
 * <p>Owns: byte-exact handshake messages, traffic keys and the handshake hash. Does not own: how
 * messages travel (the tunnel client/server), the CBOR inside them, or the PSK derivation ({@code
 * dev.softkey.hybrid.crypto.HybridKdf}).
 */
package dev.softkey.hybrid.noise;
