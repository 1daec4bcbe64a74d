/**
 * Steering one engine from outside CTAP, as WebDriver's virtual authenticator (WebAuthn L3 section
 * 11) and Chromium's DevTools WebAuthn domain steer theirs: {@link dev.softkey.core.control.DeviceControl}
 * (from {@code Authenticator.control()}) injects, lists and removes credentials ({@link
 * dev.softkey.core.control.VirtualCredential}, keys as PKCS#8 through {@link
 * dev.softkey.core.control.Pkcs8}), sets BE/BS, the built-in UV verdict, the PIN state and {@link
 * dev.softkey.core.control.ResponseOverrides}, and delivers {@link
 * dev.softkey.core.control.CredentialEvent}s. {@link dev.softkey.core.control.ControlState} is the
 * part the command handlers consult (state record {@code control.credentials}).
 *
 * <p>Owns: what the control API may change in an engine and how the handlers see it. Does not own:
 * HTTP, JSON or tokens (the {@code control} module), presence answers ({@code
 * core.presence.SteerablePresence}), fault injection ({@code core.fault}).
 */
package dev.softkey.core.control;
