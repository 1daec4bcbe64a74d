package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinRequest.SubCommand;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.platform.WebAuthnException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * What the key said about its PIN retries right after it refused a PIN, so that the error line can
 * say how many are left and what to do next. The CLI's transport calls {@link #observe} with every
 * exchange; when an authenticatorClientPIN request is answered CTAP2_ERR_PIN_INVALID,
 * CTAP2_ERR_PIN_AUTH_BLOCKED or CTAP2_ERR_PIN_BLOCKED, it asks getPINRetries (CTAP 2.1 section
 * 6.5.5.2) at once, while the device is still open (a store is closed by the time the error is
 * printed). Only counts are kept, never the PIN.
 */
final class PinRefusals {
  /**
   * One refusal.
   *
   * @param status the authenticator's answer to the PIN
   * @param retries pinRetries after it, empty when getPINRetries failed
   */
  record Refusal(CtapStatus status, OptionalInt retries) {}

  private Optional<Refusal> last = Optional.empty();

  /** The last refusal seen on this device. */
  Optional<Refusal> last() {
    return last;
  }

  /**
   * Looks at one exchange; after a PIN refusal, asks getPINRetries through {@code device} (the
   * same engine, not the observed transport).
   */
  void observe(byte[] request, byte[] response, UnaryOperator<byte[]> device) {
    if (request.length == 0 || (request[0] & 0xFF) != CtapCommand.CLIENT_PIN.code() || response.length == 0) {
      return;
    }
    Optional<CtapStatus> status = CtapStatus.fromCode(response[0] & 0xFF).filter(PinRefusals::isRefusal);
    if (status.isEmpty()) {
      return;
    }
    OptionalInt retries = OptionalInt.empty();
    try {
      ClientPinResponse r =
          ClientPinResponse.fromCbor(CtapReply.body(device.apply(ClientPinRequest.of(Optional.empty(), SubCommand.GET_PIN_RETRIES).encode())));
      if (r.pinRetries().isPresent()) {
        retries = OptionalInt.of(r.pinRetries().get().intValue());
      }
    } catch (CtapException e) {
      // The count is unknown; the error line then says only what the key answered.
    }
    last = Optional.of(new Refusal(status.get(), retries));
  }

  static boolean isRefusal(CtapStatus s) {
    return s == CtapStatus.CTAP2_ERR_PIN_INVALID || s == CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED || s == CtapStatus.CTAP2_ERR_PIN_BLOCKED;
  }

  /**
   * The CTAP status that made a command fail: a CtapException's, or the one behind a
   * WebAuthnException, also when a command wrapped it (the first one in the cause chain).
   */
  static Optional<CtapStatus> statusOf(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CtapException c) {
        return Optional.of(c.status());
      }
      if (t instanceof WebAuthnException w && w.ctapStatus().isPresent()) {
        return w.ctapStatus();
      }
    }
    return Optional.empty();
  }

  /**
   * The error line for a failure caused by the PIN, with the retries left and what to do next;
   * empty for other failures. {@code refusal} is used when it is for the same status.
   */
  static Optional<String> explain(CtapStatus status, Optional<Refusal> refusal) {
    OptionalInt retries = refusal.filter(r -> r.status() == status).map(Refusal::retries).orElse(OptionalInt.empty());
    String tag = " (" + status.name() + ")";
    return switch (status) {
      case CTAP2_ERR_PIN_INVALID -> Optional.of("wrong PIN" + (retries.isPresent() ? ": " + left(retries.getAsInt()) : "") + tag);
      case CTAP2_ERR_PIN_AUTH_BLOCKED ->
          Optional.of("wrong PIN 3 times in a row: the key refuses every PIN until it is power-cycled; remove and reinsert it"
              + " (restart 'softkey serve'; a key on this command line is power-cycled by the next command), then try again"
              + (retries.isPresent() ? " (" + left(retries.getAsInt()) + ")" : "") + tag);
      case CTAP2_ERR_PIN_BLOCKED ->
          Optional.of("the PIN is blocked: no retries left; only 'softkey reset' makes the key usable again, and it deletes"
              + " every credential and the PIN" + tag);
      case CTAP2_ERR_PIN_NOT_SET -> Optional.of("the key has no PIN: set one first with 'softkey pin set'" + tag);
      default -> Optional.empty();
    };
  }

  /** What a ceremony's PIN refused by the PIN policy means: forcePINChange is set. */
  static final String FORCED_PIN_CHANGE =
      "the key wants its PIN changed before it accepts it (getInfo forcePINChange, as after 'softkey provision' or"
          + " 'softkey config min-pin-length --force-change'): run 'softkey pin change', then try again";

  /**
   * Whether a WebAuthn ceremony failed because its PIN token was refused with
   * CTAP2_ERR_PIN_POLICY_VIOLATION: getPinUvAuthTokenUsingPinWithPermissions answers that only
   * while forcePINChange is true (CTAP 2.1 section 6.5.5.7.2 step 11).
   */
  static boolean isForcedPinChange(WebAuthnException e) {
    return e.ctapStatus().filter(s -> s == CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION).isPresent();
  }

  private static String left(int n) {
    return n == 1 ? "1 retry left" : n + " retries left";
  }
}
