/**
 * The authenticator extension SPI (CTAP 2.1 section 12): {@link
 * dev.softkey.core.extension.AuthenticatorExtension}, one class per extension, and {@link
 * dev.softkey.core.extension.Extensions}, the registered ones and the loops makeCredential (step
 * 15) and getAssertion (steps 7 and 10) run over them.
 *
 * <p>Owns: the extension hooks and the per-credential extension state, which the handlers carry in
 * the sealed credential ID (key 6 of its payload) of a non-discoverable credential and in the
 * stored record of a discoverable one; the extensions softkey builds ({@link
 * dev.softkey.core.extension.BuiltInExtensions}): {@link
 * dev.softkey.core.extension.CredProtectExtension} (the one place a credential's protection level
 * is kept and enforced), {@link dev.softkey.core.extension.HmacSecretExtension} and {@link
 * dev.softkey.core.extension.HmacSecretMcExtension}, {@link
 * dev.softkey.core.extension.CredBlobExtension}, {@link
 * dev.softkey.core.extension.LargeBlobKeyExtension}, {@link
 * dev.softkey.core.extension.MinPinLengthExtension}, {@link
 * dev.softkey.core.extension.ThirdPartyPaymentExtension}. Does not own: authenticatorLargeBlobs
 * (core.ctap2.largeblobs), nor the client's extension
 * processing (the platform module).
 */
package dev.softkey.core.extension;
