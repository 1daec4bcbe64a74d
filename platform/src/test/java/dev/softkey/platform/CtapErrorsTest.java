package dev.softkey.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The DOMException of every CTAP status the client can receive from makeCredential,
 * getAssertion, getNextAssertion, clientPIN, largeBlobs or getInfo. The rule (WebAuthn L3 section
 * 5.1.3 step 22, section 5.1.4.2 step 20, and Chromium's OnRegisterResponse/OnSignResponse): only an
 * error equivalent to "InvalidStateError" reaches the page under its own name; any other error
 * removes the authenticator and the ceremony ends with NotAllowedError, so that the RP cannot tell
 * failures apart without the user's consent (section 14.5.1).
 */
class CtapErrorsTest {
  /** One row per status, with why it is named so. */
  record Row(Name name, String why) {}

  static final String REMOVED =
      "5.1.3 step 22 / 5.1.4.2 step 20: not equivalent to InvalidStateError, the authenticator is removed from issuedRequests";

  static final Map<CtapStatus, Row> TABLE = new LinkedHashMap<>();

  static {
    row(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED, Name.InvalidStateError,
        "6.3.2 step 3: excluded with the user's consent is InvalidStateError; Chromium kUserConsentButCredentialExcluded -> CREDENTIAL_EXCLUDED");
    // Authenticator model errors WebAuthn names otherwise, which the client algorithm still hides.
    row(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM, Name.NotAllowedError, "6.3.2 step 2 says NotSupportedError, 5.1.3 step 22 hides it; Chromium kNoCommonAlgorithms -> NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_KEY_STORE_FULL, Name.NotAllowedError, "Chromium kStorageFull -> NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, Name.NotAllowedError, "6.3.2 steps 4/5 say ConstraintError, 5.1.3 step 22 hides it");
    row(CtapStatus.CTAP2_ERR_OPERATION_DENIED, Name.NotAllowedError, "6.3.2 step 6 / 6.3.3 step 6: the user refused; Chromium kUserConsentDenied");
    row(CtapStatus.CTAP2_ERR_NO_CREDENTIALS, Name.NotAllowedError, "6.3.3 step 5: no credential; Chromium kUserConsentButCredentialNotRecognized");
    row(CtapStatus.CTAP2_ERR_INVALID_CREDENTIAL, Name.NotAllowedError, "Chromium: treated as not recognised after a dummy touch");
    // User interaction failed or timed out.
    row(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT, Name.NotAllowedError, "timeouts are NotAllowedError (5.1.3 lifetimeTimer)");
    row(CtapStatus.CTAP2_ERR_ACTION_TIMEOUT, Name.NotAllowedError, "timeouts are NotAllowedError (5.1.3 lifetimeTimer)");
    row(CtapStatus.CTAP1_ERR_TIMEOUT, Name.NotAllowedError, "timeouts are NotAllowedError (5.1.3 lifetimeTimer)");
    row(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL, Name.NotAllowedError, "a cancel that the RP did not signal: the user cancelled");
    row(CtapStatus.CTAP2_ERR_UP_REQUIRED, Name.NotAllowedError, REMOVED);
    // PIN and UV failures (Chromium kSoftPINBlock, kHardPINBlock, kUserConsentDenied for PIN_AUTH_INVALID).
    row(CtapStatus.CTAP2_ERR_PIN_INVALID, Name.NotAllowedError, "Chromium: the UI asks again, then NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_PIN_BLOCKED, Name.NotAllowedError, "Chromium kHardPINBlock -> NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID, Name.NotAllowedError, "Chromium kUserConsentDenied -> NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED, Name.NotAllowedError, "Chromium kSoftPINBlock -> NOT_ALLOWED_ERROR");
    row(CtapStatus.CTAP2_ERR_PIN_NOT_SET, Name.NotAllowedError, REMOVED);
    row(CtapStatus.CTAP2_ERR_PUAT_REQUIRED, Name.NotAllowedError, "Chromium kCtap2ErrPinRequired -> kUserConsentDenied");
    row(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, Name.NotAllowedError, REMOVED);
    row(CtapStatus.CTAP2_ERR_UV_BLOCKED, Name.NotAllowedError, REMOVED);
    row(CtapStatus.CTAP2_ERR_UV_INVALID, Name.NotAllowedError, "built-in UV failed: the user was not verified");
    row(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION, Name.NotAllowedError, REMOVED);
    row(CtapStatus.CTAP2_ERR_NOT_ALLOWED, Name.NotAllowedError, REMOVED);
    // Protocol and parameter errors: the authenticator failed the request (Chromium kAuthenticatorResponseInvalid -> NOT_ALLOWED_ERROR).
    for (CtapStatus s :
        new CtapStatus[] {
          CtapStatus.CTAP1_ERR_INVALID_COMMAND, CtapStatus.CTAP1_ERR_INVALID_PARAMETER, CtapStatus.CTAP1_ERR_INVALID_LENGTH,
          CtapStatus.CTAP1_ERR_INVALID_SEQ, CtapStatus.CTAP1_ERR_CHANNEL_BUSY, CtapStatus.CTAP1_ERR_LOCK_REQUIRED,
          CtapStatus.CTAP1_ERR_INVALID_CHANNEL, CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, CtapStatus.CTAP2_ERR_INVALID_CBOR,
          CtapStatus.CTAP2_ERR_MISSING_PARAMETER, CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED, CtapStatus.CTAP2_ERR_FP_DATABASE_FULL,
          CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL, CtapStatus.CTAP2_ERR_PROCESSING, CtapStatus.CTAP2_ERR_USER_ACTION_PENDING,
          CtapStatus.CTAP2_ERR_OPERATION_PENDING, CtapStatus.CTAP2_ERR_NO_OPERATIONS, CtapStatus.CTAP2_ERR_INVALID_OPTION,
          CtapStatus.CTAP2_ERR_REQUEST_TOO_LARGE, CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE, CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND,
          CtapStatus.CTAP1_ERR_OTHER
        }) {
      row(s, Name.NotAllowedError, "Chromium: every other status -> kAuthenticatorResponseInvalid -> NOT_ALLOWED_ERROR");
    }
  }

  static void row(CtapStatus s, Name n, String why) {
    if (TABLE.put(s, new Row(n, why)) != null) {
      throw new IllegalStateException("two rows for " + s);
    }
  }

  @Nested
  class EveryStatus {
    @Test
    void theTable_coversEveryErrorStatus() {
      Set<CtapStatus> errors = EnumSet.allOf(CtapStatus.class);
      errors.remove(CtapStatus.CTAP2_OK);
      assertThat(TABLE.keySet()).containsExactlyInAnyOrderElementsOf(errors);
    }

    @Test
    void eachStatus_hasTheNameOfItsRow_andKeepsTheStatus() {
      for (Map.Entry<CtapStatus, Row> e : TABLE.entrySet()) {
        WebAuthnException ex = CtapErrors.toException(e.getKey());
        assertThat(ex.name()).as(e.getKey() + ": " + e.getValue().why()).isEqualTo(e.getValue().name());
        assertThat(CtapErrors.toException(e.getKey().code()).name()).as("by byte " + e.getKey()).isEqualTo(e.getValue().name());
        assertThat(ex.ctapStatus()).contains(e.getKey());
        assertThat(ex.detail()).contains(String.format("%s, 0x%02X", e.getKey().name(), e.getKey().code()));
      }
    }

    @Test
    void onlyAnExcludedCredential_isInvalidStateError() {
      assertThat(Arrays.stream(CtapStatus.values()).filter(s -> s != CtapStatus.CTAP2_OK && CtapErrors.nameFor(s) == Name.InvalidStateError))
          .containsExactly(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }
  }

  @Nested
  class Lines {
    @Test
    void excluded_readsAsTheBrowserConsoleWithTheStatusAsDetail() {
      assertThat(CtapErrors.toException(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED).toString())
          .isEqualTo("InvalidStateError: a credential in excludeCredentials is already on the authenticator (CTAP2_ERR_CREDENTIAL_EXCLUDED, 0x19)");
    }

    @Test
    void aStatusByteWithoutAName_isNotAllowedError_withoutAStatus() {
      WebAuthnException e = CtapErrors.toException(0xE0);
      assertThat(e.name()).isEqualTo(Name.NotAllowedError);
      assertThat(e.ctapStatus()).isEmpty();
      assertThat(e.detail()).isEmpty();
      assertThat(e.getMessage()).contains("0xE0");
    }

    @Test
    void aClientSideFailure_hasNoDetail() {
      assertThat(new WebAuthnException(Name.SecurityError, "origin must be https").toString()).isEqualTo("SecurityError: origin must be https");
    }
  }
}
