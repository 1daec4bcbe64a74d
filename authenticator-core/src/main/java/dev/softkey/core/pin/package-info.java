/**
 * The device side of authenticatorClientPIN (CTAP 2.1 section 6.5), over the PIN/UV auth protocols
 * of {@code dev.softkey.ctap.pin}.
 *
 * <p>Owns: the key agreement keys and pinUvAuthTokens of both protocols ({@code
 * PinUvAuthProtocolOne}, {@code PinUvAuthProtocolTwo}),
 * the pinUvAuthToken state with its permissions, permissions RP ID, flags and usage timer (section
 * 6.5.2.1), PIN and UV retry counters, the stored PIN hash and minimum PIN length (persisted in the
 * {@code DeviceStateStore} record {@code "pin"}), and {@link dev.softkey.core.pin.ClientPin}, which
 * implements {@link dev.softkey.core.pin.PinUvAuthState} for the other command handlers. The platform (client) side of the same protocols is {@code
 * dev.softkey.platform.pin.PlatformPin}, in the platform module.
 *
 * <p>Does not own: deciding when makeCredential/getAssertion need a token (their handlers do, through
 * {@code PinUvAuthState}), getInfo (computed elsewhere from the values exposed here), the
 * authenticatorConfig, credentialManagement, largeBlobs and bioEnrollment commands, and the
 * persistentPinUvAuthToken of CTAP 2.2.
 */
package dev.softkey.core.pin;
