package dev.softkey.hybrid.noise;

import dev.softkey.ctap.model.Bytes;

/**
 * The outcome of a completed handshake.
 *
 * @param crypter the message layer for this side (read and write keys already oriented)
 * @param handshakeHash the final Noise {@code h} (32 bytes), the channel binding that linking
 *     signatures cover
 */
public record HandshakeResult(Crypter crypter, Bytes handshakeHash) {}
