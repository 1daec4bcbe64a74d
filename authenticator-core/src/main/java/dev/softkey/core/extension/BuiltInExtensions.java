package dev.softkey.core.extension;

import dev.softkey.core.ctap2.ConfigState;
import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.ctap.crypto.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The extensions softkey builds, made for a profile: one per identifier of {@code
 * profile.extensions().identifiers()}, in that order (which is getInfo's order). {@code
 * AuthenticatorBuilder} registers them before any extension a caller adds.
 */
public final class BuiltInExtensions {
  private BuiltInExtensions() {}

  /**
   * What a built-in extension may use.
   *
   * @param profile the model (limits such as maxCredBlobLength)
   * @param pin the PIN/UV state (hmac-secret's shared secret, token checks)
   * @param config what authenticatorConfig set (minPinLength's RP IDs)
   * @param state the device state store
   * @param random the random source (hmac-secret's CredRandom)
   */
  public record Context(Profile profile, PinUvAuthState pin, ConfigState config, DeviceStateStore state, RandomSource random) {}

  /** The extensions of {@code c.profile()}, in the profile's order. */
  public static List<AuthenticatorExtension> forProfile(Context c) {
    List<AuthenticatorExtension> out = new ArrayList<>();
    for (String id : c.profile().extensions().identifiers()) {
      of(id, c).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<AuthenticatorExtension> of(String id, Context c) {
    return switch (id) {
      // issue 9 in progress: each case becomes its extension class.
      case "credProtect" -> Optional.of(new CredProtectExtension(c.profile().extensions().credProtectDefault()));
      case "hmac-secret" -> Optional.of(new HmacSecretExtension(c.pin(), c.random()));
      case "hmac-secret-mc" -> Optional.of(new HmacSecretMcExtension(c.pin()));
      case "largeBlobKey" -> Optional.of(new LargeBlobKeyExtension(c.random()));
      case "credBlob" -> Optional.of(new CredBlobExtension(c.profile().extensions().maxCredBlobLength().orElseThrow()));
      case "minPinLength" -> Optional.of(new MinPinLengthExtension(c.config(), c.pin()));
      case "thirdPartyPayment" -> Optional.of(new ThirdPartyPaymentExtension());
      default -> throw new IllegalArgumentException("softkey does not build extension " + id);
    };
  }
}
