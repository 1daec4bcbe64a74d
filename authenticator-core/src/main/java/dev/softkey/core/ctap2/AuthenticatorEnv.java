package dev.softkey.core.ctap2;

import dev.softkey.core.attestation.AttestationProvider;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.core.control.ControlState;
import dev.softkey.core.extension.Extensions;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything a command handler may use (OpenSK's {@code Env}, as a record of small SPIs). Built once
 * by {@code AuthenticatorBuilder}. {@code fingerprint} is the sensor of a profile with built-in UV
 * (empty without); {@code config} is what authenticatorConfig has set; {@code control} is what the
 * control API steers (injected and revoked credentials, response overrides, credential events).
 */
public record AuthenticatorEnv(
    Profile profile,
    CredentialStore credentials,
    DeviceStateStore state,
    UserPresence presence,
    PinUvAuthState pin,
    AttestationProvider attestation,
    DeviceKeys keys,
    RandomSource random,
    Clock clock,
    DeviceSession session,
    Extensions extensions,
    Optional<FingerprintSensor> fingerprint,
    ConfigState config,
    ControlState control) {

  /** "Protected by some form of user verification" (CTAP 2.1 section 6.1.2): a PIN is set or built-in UV is enabled. */
  public boolean protectedByUv() {
    return pin.isPinSet() || pin.builtInUvEnabled();
  }
}
