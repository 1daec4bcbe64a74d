/**
 * Pure cryptography and encodings of the CTAP 2.2 hybrid transport (caBLE v2), section 11.5
 * "Hybrid transports": the key derivation with its purposes ({@link
 * dev.softkey.hybrid.crypto.HybridKdf}), P-256 keys and points ({@link
 * dev.softkey.hybrid.crypto.P256KeyPair}, {@link dev.softkey.hybrid.crypto.P256PublicKey}), the BLE
 * advertisement payload ({@link dev.softkey.hybrid.crypto.Eid}, {@link
 * dev.softkey.hybrid.crypto.EidCipher}) and the tunnel-service names and identifiers ({@link
 * dev.softkey.hybrid.crypto.TunnelDomain}, {@link dev.softkey.hybrid.crypto.TunnelId}, {@link
 * dev.softkey.hybrid.crypto.RoutingId}).
 *
 * <p>Owns: byte-exact derivations as Chromium's {@code device/fido/cable/v2_handshake.cc} does
 * them. Does not own: I/O of any kind (WebSocket, BLE), the Noise handshake ({@code
 * dev.softkey.hybrid.noise}) or the QR code ({@code dev.softkey.hybrid.qr}). Everything here is
 * stateless; randomness comes from an injected {@link dev.softkey.ctap.crypto.RandomSource}.
 */
package dev.softkey.hybrid.crypto;
