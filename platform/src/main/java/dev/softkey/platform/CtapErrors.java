package dev.softkey.platform;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;

/**
 * Maps an authenticator's CTAP status to the DOMException a browser rejects with. WebAuthn L3
 * section 6.3.2/6.3.3 name the error "equivalent" to each authenticator failure; for the CTAP
 * codes that the specification does not name, softkey follows what browsers do (a refused or
 * failed user interaction is NotAllowedError, so the RP cannot tell the reasons apart).
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><th>CTAP status</th><th>DOMException</th></tr>
 *   <tr><td>CTAP2_ERR_CREDENTIAL_EXCLUDED</td><td>InvalidStateError (section 6.3.2 step 3)</td></tr>
 *   <tr><td>CTAP2_ERR_UNSUPPORTED_ALGORITHM</td><td>NotSupportedError (section 6.3.2 step 2)</td></tr>
 *   <tr><td>CTAP2_ERR_KEY_STORE_FULL, CTAP2_ERR_UNSUPPORTED_OPTION</td><td>ConstraintError (section 6.3.2 step 4/5)</td></tr>
 *   <tr><td>NO_CREDENTIALS, OPERATION_DENIED, timeouts, KEEPALIVE_CANCEL, PIN and UV failures,
 *       PUAT_REQUIRED, UP_REQUIRED, INVALID_CREDENTIAL, NOT_ALLOWED, UNAUTHORIZED_PERMISSION</td>
 *       <td>NotAllowedError</td></tr>
 *   <tr><td>everything else</td><td>UnknownError</td></tr>
 * </table>
 */
public final class CtapErrors {
  private CtapErrors() {}

  /** The DOMException name for a CTAP status. */
  public static Name nameFor(CtapStatus status) {
    return switch (status) {
      case CTAP2_ERR_CREDENTIAL_EXCLUDED -> Name.InvalidStateError;
      case CTAP2_ERR_UNSUPPORTED_ALGORITHM -> Name.NotSupportedError;
      case CTAP2_ERR_KEY_STORE_FULL, CTAP2_ERR_UNSUPPORTED_OPTION -> Name.ConstraintError;
      case CTAP2_ERR_NO_CREDENTIALS,
          CTAP2_ERR_OPERATION_DENIED,
          CTAP2_ERR_USER_ACTION_TIMEOUT,
          CTAP2_ERR_ACTION_TIMEOUT,
          CTAP2_ERR_KEEPALIVE_CANCEL,
          CTAP1_ERR_TIMEOUT,
          CTAP2_ERR_PIN_INVALID,
          CTAP2_ERR_PIN_BLOCKED,
          CTAP2_ERR_PIN_AUTH_INVALID,
          CTAP2_ERR_PIN_AUTH_BLOCKED,
          CTAP2_ERR_PIN_NOT_SET,
          CTAP2_ERR_PUAT_REQUIRED,
          CTAP2_ERR_PIN_POLICY_VIOLATION,
          CTAP2_ERR_UV_BLOCKED,
          CTAP2_ERR_UV_INVALID,
          CTAP2_ERR_UP_REQUIRED,
          CTAP2_ERR_INVALID_CREDENTIAL,
          CTAP2_ERR_NOT_ALLOWED,
          CTAP2_ERR_UNAUTHORIZED_PERMISSION -> Name.NotAllowedError;
      default -> Name.UnknownError;
    };
  }

  /** The exception for a CTAP status; the message is "STATUS_NAME: meaning". */
  public static WebAuthnException toException(CtapStatus status) {
    return new WebAuthnException(nameFor(status), status.name() + ": " + status.meaning(), Optional.of(status));
  }

  /** The exception for a status byte this build does not name (vendor or extension codes). */
  public static WebAuthnException toException(int statusByte) {
    return CtapStatus.fromCode(statusByte)
        .map(CtapErrors::toException)
        .orElseGet(
            () ->
                new WebAuthnException(
                    Name.UnknownError, String.format("authenticator answered status 0x%02X", statusByte & 0xFF)));
  }
}
