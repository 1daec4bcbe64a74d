package dev.softkey.platform;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;

/**
 * Maps an authenticator's CTAP status to the DOMException a browser rejects with.
 *
 * <p>WebAuthn L3 section 6.3.2 names the error "equivalent" to each authenticator failure, but the
 * client algorithms decide what the page sees: create() (section 5.1.3, step 22 "wait for ...")
 * rejects with InvalidStateError when an authenticator returns an error equivalent to
 * "InvalidStateError" (an excluded credential, after the user's consent) and otherwise removes the
 * authenticator from issuedRequests, so that the ceremony ends with NotAllowedError; get()
 * (section 5.1.4.2, step 20) removes the authenticator on any error status. The note there says
 * why: no other failure implies user consent, so its reason is hidden from the RP (section 14.5.1,
 * registration ceremony privacy). Chromium does the same: its device layer turns
 * CTAP2_ERR_CREDENTIAL_EXCLUDED into kUserConsentButCredentialExcluded and every other status into
 * a reason for its own UI (kUserConsentDenied, kNoCommonAlgorithms, kStorageFull,
 * kAuthenticatorResponseInvalid, ...), and content/browser/webauth's OnRegisterResponse and
 * OnSignResponse complete all of those with NOT_ALLOWED_ERROR but CREDENTIAL_EXCLUDED, which blink
 * rejects as InvalidStateError.
 *
 * <p>So: CTAP2_ERR_CREDENTIAL_EXCLUDED is InvalidStateError, every other status (and a status
 * byte this build does not name) is NotAllowedError. The CTAP status stays available as {@link
 * WebAuthnException#ctapStatus()}, and the message says what it means for the ceremony.
 */
public final class CtapErrors {
  private CtapErrors() {}

  /** The DOMException name for a CTAP status. */
  public static Name nameFor(CtapStatus status) {
    return status == CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED ? Name.InvalidStateError : Name.NotAllowedError;
  }

  /**
   * What a status means for a ceremony, in the words a user of the client needs; the status's own
   * meaning (CTAP 2.1 section 8.2) for those without a ceremony-specific reading.
   */
  public static String describe(CtapStatus status) {
    return switch (status) {
      case CTAP2_ERR_CREDENTIAL_EXCLUDED -> "a credential in excludeCredentials is already on the authenticator";
      case CTAP2_ERR_UNSUPPORTED_ALGORITHM -> "the authenticator supports none of the algorithms in pubKeyCredParams";
      case CTAP2_ERR_KEY_STORE_FULL -> "the authenticator has no room for another discoverable credential";
      case CTAP2_ERR_NO_CREDENTIALS -> "the authenticator has no credential for this request";
      case CTAP2_ERR_OPERATION_DENIED -> "the user did not approve the operation";
      case CTAP2_ERR_USER_ACTION_TIMEOUT, CTAP2_ERR_ACTION_TIMEOUT, CTAP1_ERR_TIMEOUT -> "the authenticator timed out waiting for the user";
      case CTAP2_ERR_KEEPALIVE_CANCEL -> "the operation was cancelled";
      case CTAP2_ERR_PIN_INVALID -> "wrong PIN";
      case CTAP2_ERR_PIN_BLOCKED -> "the PIN is blocked";
      case CTAP2_ERR_PIN_AUTH_BLOCKED -> "wrong PIN too many times: power-cycle the authenticator";
      case CTAP2_ERR_PIN_NOT_SET -> "the authenticator has no PIN";
      case CTAP2_ERR_PUAT_REQUIRED -> "the authenticator requires user verification (a PIN or built-in UV)";
      case CTAP2_ERR_PIN_POLICY_VIOLATION -> "the PIN does not meet the authenticator's PIN policy";
      case CTAP2_ERR_UV_BLOCKED -> "built-in user verification is blocked";
      case CTAP2_ERR_UV_INVALID -> "built-in user verification failed";
      case CTAP2_ERR_UP_REQUIRED -> "the authenticator requires user presence";
      case CTAP2_ERR_UNSUPPORTED_OPTION -> "the authenticator does not support an option of the request";
      case CTAP2_ERR_LARGE_BLOB_STORAGE_FULL -> "the authenticator's large-blob storage is full";
      default -> status.meaning();
    };
  }

  /** The exception for a CTAP status; the message is {@link #describe}, the status is kept. */
  public static WebAuthnException toException(CtapStatus status) {
    return new WebAuthnException(nameFor(status), describe(status), Optional.of(status));
  }

  /** The exception for a status byte this build does not name (vendor or extension codes). */
  public static WebAuthnException toException(int statusByte) {
    return CtapStatus.fromCode(statusByte)
        .map(CtapErrors::toException)
        .orElseGet(
            () ->
                new WebAuthnException(
                    Name.NotAllowedError, String.format("the authenticator answered status 0x%02X", statusByte & 0xFF)));
  }
}
