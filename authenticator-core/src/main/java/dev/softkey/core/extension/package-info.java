/**
 * The authenticator extension SPI (CTAP 2.1 section 12): {@link
 * dev.softkey.core.extension.AuthenticatorExtension}, one class per extension, and {@link
 * dev.softkey.core.extension.Extensions}, the registered ones and the loops makeCredential (step
 * 15) and getAssertion (steps 7 and 10) run over them.
 *
 * <p>Owns: the extension hooks and the per-credential extension state, which the handlers carry in
 * the sealed credential ID (key 6 of its payload) and in the stored record. Does not own: any
 * extension yet (credProtect's level is still a credential field; credProtect, hmac-secret,
 * credBlob, largeBlobKey and minPinLength come with their issue), nor the client's extension
 * processing (the platform module).
 */
package dev.softkey.core.extension;
