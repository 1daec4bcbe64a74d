/**
 * softkey's control API: a WebDriver-shaped HTTP/JSON API (W3C WebAuthn L3 section 11, "WebDriver
 * Extension for Virtual Authenticators", under the base path {@code /softkey/v1}) that adds,
 * steers and removes running authenticators, plus softkey's extensions (presence answers, fault
 * plans, PIN state, power cycle, events as Server-Sent Events, ceremonies over HTTP).
 *
 * <p>It owns the HTTP server ({@link dev.softkey.control.ControlServer}, the JDK's
 * {@code com.sun.net.httpserver}, loopback only, bearer token), the router and its OpenAPI
 * document, the {@link dev.softkey.control.CtapTap} that sees every CTAP request and response, and
 * {@link dev.softkey.control.InProcessHost}, which builds in-memory authenticators. It does not own
 * the engine, the presence or the fault plan (authenticator-core) nor the WebAuthn client
 * (platform); it only wires them.
 */
package dev.softkey.control;
