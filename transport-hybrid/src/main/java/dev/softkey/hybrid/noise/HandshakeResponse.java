package dev.softkey.hybrid.noise;

import dev.softkey.ctap.model.Bytes;

/**
 * What the responder (authenticator) produces from the initiator's first message.
 *
 * @param message the 81-byte response {@code e_r ‖ tag} to send back
 * @param result the responder's crypter and the handshake hash
 */
public record HandshakeResponse(Bytes message, HandshakeResult result) {}
