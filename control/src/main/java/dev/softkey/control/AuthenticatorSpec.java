package dev.softkey.control;

import dev.softkey.core.profile.Profiles;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code POST /softkey/v1/webauthn/authenticator} asks for: the WebDriver Virtual
 * Authenticator Configuration (WebAuthn L3 section 11.2) and softkey's members. How an {@link
 * AuthenticatorHost} maps them onto a profile is its business ({@link InProcessHost} says how).
 *
 * @param profileId the softkey profile ({@code softkey:profile}), default {@link
 *     Profiles#DEFAULT_ID}
 * @param transport the WebDriver transport: usb, nfc, ble, smart-card, hybrid or internal
 * @param extensions the WebDriver extension identifiers the authenticator supports; empty: the
 *     profile's
 * @param seed deterministic keys and attestation ({@code softkey:seed})
 * @param serve where to serve it besides the API ({@code softkey:serve}, host-defined, e.g.
 *     {@code udp:8111})
 */
public record AuthenticatorSpec(
    String profileId,
    String transport,
    boolean hasResidentKey,
    boolean hasUserVerification,
    boolean isUserConsenting,
    boolean isUserVerified,
    List<String> extensions,
    boolean defaultBackupEligibility,
    boolean defaultBackupState,
    OptionalLong seed,
    Optional<String> serve) {

  public AuthenticatorSpec {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(transport, "transport");
    extensions = List.copyOf(extensions);
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(serve, "serve");
  }

  /**
   * WebDriver's defaults (hasResidentKey, hasUserVerification and isUserVerified false,
   * isUserConsenting true) on the default profile over usb.
   */
  public static AuthenticatorSpec defaults() {
    return new AuthenticatorSpec(Profiles.DEFAULT_ID, "usb", false, false, true, false, List.of(), false, false,
        OptionalLong.empty(), Optional.empty());
  }
}
