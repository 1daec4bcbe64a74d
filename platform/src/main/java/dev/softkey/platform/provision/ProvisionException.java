package dev.softkey.platform.provision;

import dev.softkey.ctap.CtapStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * A provisioning run that stopped: what it was doing ({@link #step}), what to do next in the
 * message, and the authenticator's status when it answered with one. Never carries the PIN.
 */
public final class ProvisionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where the run stopped. */
  public enum Step {
    /** The key already has a PIN and no reset was asked for. */
    KEY_HAS_PIN,
    /** The key cannot be provisioned for the options (no clientPin, no discoverable credentials). */
    KEY_UNSUITABLE,
    /** authenticatorReset (CTAP 2.1 section 6.6) was refused. */
    RESET,
    /** clientPIN setPIN (CTAP 2.1 section 6.5.5.5) failed. */
    SET_PIN,
    /** makeCredential failed after the PIN was set. */
    MAKE_CREDENTIAL,
    /** authenticatorConfig setMinPINLength (CTAP 2.1 section 6.11.4) failed after the credential was made. */
    CONFIG
  }

  private final Step step;
  private final transient Optional<CtapStatus> status;

  public ProvisionException(Step step, String message, Optional<CtapStatus> status, Throwable cause) {
    super(message, cause);
    this.step = Objects.requireNonNull(step);
    this.status = Objects.requireNonNull(status);
  }

  public ProvisionException(Step step, String message) {
    this(step, message, Optional.empty(), null);
  }

  public Step step() {
    return step;
  }

  /** The authenticator's status, when it refused. */
  public Optional<CtapStatus> status() {
    return status == null ? Optional.empty() : status;
  }
}
