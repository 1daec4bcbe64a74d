package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.pin.PlatformPin;
import java.util.Optional;

/**
 * What the {@code credentials} commands share: a {@link CredentialManager} for the opened key (the
 * command byte and the kind of token chosen from getInfo, as libfido2 does), and errors that say
 * what to do next.
 */
final class CredentialsAccess {
  private CredentialsAccess() {}

  /** The manager, with a cm token from the PIN (or built-in UV when no PIN is given and the key has it). */
  static CredentialManager open(DeviceFactory.Device d, PinOptions pinOptions, String command) {
    AuthenticatorInfo info = CredentialManager.getInfo(d.transport());
    if (CredentialManager.commandFor(info).isEmpty()) {
      throw new IllegalStateException(
          "this key has no credential management (getInfo reports neither credMgmt nor credentialMgmtPreview): choose a"
              + " CTAP 2.1 profile with --profile, e.g. generic or yubikey-5");
    }
    PinAccess access = pinAccess(d, info, pinOptions, command, "credential management");
    // A PIN refusal propagates: the CLI's error line (Main, PinRefusals) says the retries left and what to do.
    return CredentialManager.open(d.transport(), access.platformPin(), access.pin(), Optional.empty());
  }

  /**
   * The PIN client of a management command and the PIN it was given, after the checks each such
   * command makes: a PIN is needed unless the key has built-in UV with pinUvAuthToken, a PIN given
   * to a key without one is refused.
   *
   * @param whatNeedsIt what the error line says needs the PIN ("credential management")
   */
  static PinAccess pinAccess(DeviceFactory.Device d, AuthenticatorInfo info, PinOptions pinOptions, String command, String whatNeedsIt) {
    Optional<String> pin = pinOptions.pin();
    boolean uv = info.hasBuiltInUv() && info.supportsPinUvAuthToken();
    if (pin.isEmpty() && !uv) {
      if (info.isPinSet()) {
        throw new UsageException(command + " needs the current PIN: give --pin-env VAR, --pin-file FILE or --pin PIN");
      }
      throw new IllegalStateException(
          "the key has no PIN, and " + whatNeedsIt + " needs one: set it with 'softkey pin set', then give it to " + command);
    }
    if (pin.isPresent() && !info.isPinSet()) {
      throw new IllegalStateException("the key has no PIN yet: set it with 'softkey pin set --new-pin-env VAR' first");
    }
    int protocol = info.pinUvAuthProtocols().isEmpty() ? 1 : info.pinUvAuthProtocols().get(0).intValue();
    return new PinAccess(new PlatformPin(d.transport()::transact, protocol, info.supportsPinUvAuthToken(), RandomSource.secure()), pin);
  }

  /** A management command's PIN client and PIN (empty: built-in UV). */
  record PinAccess(PlatformPin platformPin, Optional<String> pin) {}

  /** A credential ID as {@code credentials list} prints it (base64url, no padding). */
  static Bytes credentialId(String text) {
    try {
      Bytes id = Bytes.fromBase64Url(text.strip());
      if (id.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "'" + text + "' is not a credential ID: give the base64url ID that 'softkey credentials list' prints");
    }
  }

  /** For an operation on one credential: NO_CREDENTIALS means the ID is not on the key. */
  static RuntimeException explainedForCredential(CtapException e, String command, String id) {
    if (e.status() == CtapStatus.CTAP2_ERR_NO_CREDENTIALS) {
      return new IllegalStateException("no discoverable credential has ID " + id + ": 'softkey credentials list' prints the IDs", e);
    }
    return e;
  }
}
