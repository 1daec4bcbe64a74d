package dev.softkey.cli;

/**
 * A PIN operation that cannot succeed in the key's state (a PIN already set, none set): exit code
 * 1, the message says what to do instead. Never carries a PIN.
 */
final class PinFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PinFailure(String message) {
    super(message);
  }
}
