package dev.softkey.ctap.command;

import java.util.Optional;

/**
 * lastEnrollSampleStatus of authenticatorBioEnrollment (CTAP 2.1 section 6.7.1, the
 * CTAP2_ENROLL_FEEDBACK_* values): what the sensor thought of the last enrollment sample. Only
 * {@link #FP_GOOD} counts towards remainingSamples.
 */
public enum EnrollSampleStatus {
  FP_GOOD(0x00, "good"),
  FP_TOO_HIGH(0x01, "too high"),
  FP_TOO_LOW(0x02, "too low"),
  FP_TOO_LEFT(0x03, "too left"),
  FP_TOO_RIGHT(0x04, "too right"),
  FP_TOO_FAST(0x05, "too fast"),
  FP_TOO_SLOW(0x06, "too slow"),
  FP_POOR_QUALITY(0x07, "poor quality"),
  FP_TOO_SKEWED(0x08, "too skewed"),
  FP_TOO_SHORT(0x09, "too short"),
  FP_MERGE_FAILURE(0x0A, "merge failure"),
  FP_EXISTS(0x0B, "already enrolled"),
  /** Unused by softkey: a full database is CTAP2_ERR_FP_DATABASE_FULL at enrollBegin. */
  FP_DATABASE_FULL(0x0C, "database full"),
  NO_USER_ACTIVITY(0x0D, "no user activity"),
  NO_UP_TRANSITION(0x0E, "no user presence transition");

  private final int code;
  private final String description;

  EnrollSampleStatus(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  /** Words for a person ("too high"). */
  public String description() {
    return description;
  }

  public static Optional<EnrollSampleStatus> fromCode(long code) {
    return SubCommands.byCode(values(), EnrollSampleStatus::code, code);
  }
}
