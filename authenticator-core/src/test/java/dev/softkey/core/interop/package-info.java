/**
 * Interoperability tests: full WebAuthn ceremonies (softkey's {@code WebAuthnClient} in front of the
 * CTAP engine) verified by two independent relying-party libraries, Yubico java-webauthn-server and
 * webauthn4j. Owns only test helpers; nothing here is used by main code.
 */
package dev.softkey.core.interop;
