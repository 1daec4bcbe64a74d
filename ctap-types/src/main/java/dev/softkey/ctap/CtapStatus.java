package dev.softkey.ctap;

/**
 * CTAP status codes, named as in CTAP 2.1 section 8.2 ("Status codes"). The byte is the first byte
 * of every CTAP2 response; {@link #CTAP2_OK} is followed by the CBOR response, every other code
 * stands alone.
 */
public enum CtapStatus {
  CTAP2_OK(0x00, "success"),
  CTAP1_ERR_INVALID_COMMAND(0x01, "the command is not a valid CTAP command"),
  CTAP1_ERR_INVALID_PARAMETER(0x02, "the command included an invalid parameter"),
  CTAP1_ERR_INVALID_LENGTH(0x03, "invalid message or item length"),
  CTAP1_ERR_INVALID_SEQ(0x04, "invalid message sequencing"),
  CTAP1_ERR_TIMEOUT(0x05, "message timed out"),
  CTAP1_ERR_CHANNEL_BUSY(0x06, "channel busy"),
  CTAP1_ERR_LOCK_REQUIRED(0x0A, "command requires channel lock"),
  CTAP1_ERR_INVALID_CHANNEL(0x0B, "command not allowed on this cid"),
  CTAP2_ERR_CBOR_UNEXPECTED_TYPE(0x11, "invalid or unexpected CBOR type"),
  CTAP2_ERR_INVALID_CBOR(0x12, "error when parsing CBOR"),
  CTAP2_ERR_MISSING_PARAMETER(0x14, "a required parameter is missing"),
  CTAP2_ERR_LIMIT_EXCEEDED(0x15, "a limit for the number of items was exceeded"),
  CTAP2_ERR_FP_DATABASE_FULL(0x17, "the fingerprint database is full"),
  CTAP2_ERR_LARGE_BLOB_STORAGE_FULL(0x18, "the large blob storage is full"),
  CTAP2_ERR_CREDENTIAL_EXCLUDED(0x19, "a credential in the exclude list is already on this authenticator"),
  CTAP2_ERR_PROCESSING(0x21, "processing (lengthy operation in progress)"),
  CTAP2_ERR_INVALID_CREDENTIAL(0x22, "the credential is not valid for this authenticator"),
  CTAP2_ERR_USER_ACTION_PENDING(0x23, "authentication is waiting for user interaction"),
  CTAP2_ERR_OPERATION_PENDING(0x24, "processing, lengthy operation is in progress"),
  CTAP2_ERR_NO_OPERATIONS(0x25, "no request is pending"),
  CTAP2_ERR_UNSUPPORTED_ALGORITHM(0x26, "none of the requested algorithms is supported"),
  CTAP2_ERR_OPERATION_DENIED(0x27, "the user did not approve the operation"),
  CTAP2_ERR_KEY_STORE_FULL(0x28, "internal key storage is full"),
  CTAP2_ERR_UNSUPPORTED_OPTION(0x2B, "unsupported option"),
  CTAP2_ERR_INVALID_OPTION(0x2C, "not a valid option for the current operation"),
  CTAP2_ERR_KEEPALIVE_CANCEL(0x2D, "pending keep-alive was cancelled"),
  CTAP2_ERR_NO_CREDENTIALS(0x2E, "no valid credentials provided"),
  CTAP2_ERR_USER_ACTION_TIMEOUT(0x2F, "timed out waiting for user interaction"),
  CTAP2_ERR_NOT_ALLOWED(0x30, "continuation command not allowed (e.g. getNextAssertion without getAssertion)"),
  CTAP2_ERR_PIN_INVALID(0x31, "PIN invalid"),
  CTAP2_ERR_PIN_BLOCKED(0x32, "PIN blocked"),
  CTAP2_ERR_PIN_AUTH_INVALID(0x33, "PIN/UV authentication failed"),
  CTAP2_ERR_PIN_AUTH_BLOCKED(0x34, "PIN/UV auth blocked: power cycle the authenticator"),
  CTAP2_ERR_PIN_NOT_SET(0x35, "no PIN has been set"),
  CTAP2_ERR_PUAT_REQUIRED(0x36, "a pinUvAuthToken is required for this operation"),
  CTAP2_ERR_PIN_POLICY_VIOLATION(0x37, "PIN policy violation"),
  CTAP2_ERR_REQUEST_TOO_LARGE(0x39, "the request is too large for the authenticator"),
  CTAP2_ERR_ACTION_TIMEOUT(0x3A, "the current operation has timed out"),
  CTAP2_ERR_UP_REQUIRED(0x3B, "user presence is required for this operation"),
  CTAP2_ERR_UV_BLOCKED(0x3C, "built-in user verification is blocked"),
  CTAP2_ERR_INTEGRITY_FAILURE(0x3D, "a checksum did not match"),
  CTAP2_ERR_INVALID_SUBCOMMAND(0x3E, "the requested subcommand is invalid or not implemented"),
  CTAP2_ERR_UV_INVALID(0x3F, "built-in user verification failed"),
  CTAP2_ERR_UNAUTHORIZED_PERMISSION(0x40, "the permissions parameter contains an unauthorized permission"),
  CTAP1_ERR_OTHER(0x7F, "other unspecified error");

  private final int code;
  private final String meaning;

  CtapStatus(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  /** A short human description, from the specification's table. */
  public String meaning() {
    return meaning;
  }

  /** The status for a byte, or empty for codes this enum does not name (vendor or extension codes). */
  public static java.util.Optional<CtapStatus> fromCode(int code) {
    for (CtapStatus s : values()) {
      if (s.code == (code & 0xFF)) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }
}
