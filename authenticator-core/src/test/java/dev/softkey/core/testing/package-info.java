/**
 * Shared test fixtures, published as authenticator-core's test-jar ({@code <type>test-jar</type>})
 * so that the other modules' tests use these instead of copies: a hand-moved {@link
 * dev.softkey.core.testing.MutableClock}, in-memory test devices and a CTAP test client, a
 * one-user in-memory Yubico CredentialRepository, and the device-side CTAPHID framing used by fake
 * HID keys. Profile variants come from {@code Profile.toBuilder()}.
 *
 * <p>Test code only: nothing in a main source set may depend on this package. Classes that other
 * modules use are public; {@code OneUserCredentialRepository} needs java-webauthn-server on the
 * using module's test classpath.
 */
package dev.softkey.core.testing;
