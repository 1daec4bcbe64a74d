package dev.softkey.cli;

/**
 * A usage error found after parsing (exit code 2): the message is the whole line after {@code
 * softkey: } and says what is wrong and what to do instead.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
