/**
 * softkey for relying-party tests: {@link dev.softkey.testkit.VirtualKey}, one object holding a
 * softkey device and the WebAuthn client that drives it (create and get with JSON in and out, the
 * PIN, the attestation root and CRLs an RP trusts), and {@link dev.softkey.testkit.SoftkeyExtension},
 * the JUnit 5 extension that gives each test a fresh key. Depends on authenticator-core and platform
 * only: no transport, no control server, no CLI.
 */
package dev.softkey.testkit;
