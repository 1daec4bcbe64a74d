/**
 * Provisioning security keys on behalf of users, as an administrator's tool does for Microsoft
 * Entra ID (Microsoft Graph {@code fido2Methods/creationOptions} in, the body of {@code POST
 * /users/{id}/authentication/fido2Methods} and a report out): reset, a random PIN by policy,
 * makeCredential with origin {@code https://login.microsoft.com}, then authenticatorConfig
 * setMinPINLength with forceChangePin (CTAP 2.1 section 6.11.4) so that the user must change the PIN
 * on first use.
 *
 * <p>Owns: {@link dev.softkey.platform.provision.GraphCreationOptions} (the Graph response as it
 * comes), {@link dev.softkey.platform.provision.PinPolicy}, {@link
 * dev.softkey.platform.provision.Provisioner} and its result. Does not own: the HTTP calls to Graph
 * (the tool's user makes them), the authenticator (reached only through {@link
 * dev.softkey.platform.CtapTransport}), or where the report is written. The generated PIN is a
 * secret: it is only in {@link dev.softkey.platform.provision.ProvisioningReport#pin()}, never in a
 * {@code toString()} or an exception message.
 */
package dev.softkey.platform.provision;
