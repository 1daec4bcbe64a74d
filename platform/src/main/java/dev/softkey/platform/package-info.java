/**
 * The client side of WebAuthn that a browser performs, for the CLI and for Java tests: WebAuthn L3
 * JSON options in (section 5.1.3 create, 5.1.4 get, JSON forms of section 5.1), origin and RP ID
 * checks, clientDataJSON (section 5.8.1.1), the CTAP 2.1 authenticatorMakeCredential /
 * authenticatorGetAssertion call (CTAP 2.1 sections 6.1, 6.2, platform duties of section 10),
 * and the WebAuthn JSON response out (RegistrationResponseJSON, AuthenticationResponseJSON), with
 * the client extensions (WebAuthn L3 sections 9-10, CTAP 2.1 section 12: {@link
 * dev.softkey.platform.ExtensionInputs} in, {@link dev.softkey.platform.ClientExtensionResults}
 * out; the hmac-secret key agreement and salt encryption in {@code HmacSecret}) and attestation
 * conveyance as browsers do it.
 *
 * <p>Owns: {@link dev.softkey.platform.WebAuthnClient} and its value types. Does not own: the
 * authenticator (reached only through {@link dev.softkey.platform.CtapTransport}), the PIN
 * protocol client (behind {@link dev.softkey.platform.PinTokenProvider}), or any relying party
 * verification. Failures surface as {@link dev.softkey.platform.WebAuthnException} carrying
 * the DOMException name a browser would reject with and, when the authenticator's answer caused
 * it, the CTAP status ({@link dev.softkey.platform.CtapErrors}).
 */
package dev.softkey.platform;
