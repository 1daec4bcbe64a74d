/**
 * softkey rp: a local relying party with a web page, JSON endpoints and Entra-style passkey
 * policies, verified by Yubico's java-webauthn-server.
 */
package dev.softkey.rp;
