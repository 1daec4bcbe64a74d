package dev.softkey.control;

/**
 * A request the API refuses, as a WebDriver error (W3C WebDriver section 6.6, "Errors"): the error
 * code (the JSON {@code error} member) and the HTTP status WebDriver maps it to. softkey adds
 * {@code unauthorized} (401, a missing or wrong bearer token) and {@code forbidden} (403, a peer
 * that is not loopback). Ceremonies over HTTP fail with DOMException names instead ({@link
 * #domException}). Messages never carry secrets.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String INVALID_ARGUMENT = "invalid argument";
  static final String UNKNOWN_COMMAND = "unknown command";
  static final String UNKNOWN_METHOD = "unknown method";
  static final String UNKNOWN_ERROR = "unknown error";
  static final String UNSUPPORTED_OPERATION = "unsupported operation";
  static final String UNABLE_TO_CREATE_AUTHENTICATOR = "unable to create authenticator";
  static final String UNAUTHORIZED = "unauthorized";
  static final String FORBIDDEN = "forbidden";

  private final String error;
  private final int httpStatus;

  ApiException(String error, int httpStatus, String message) {
    super(message);
    this.error = error;
    this.httpStatus = httpStatus;
  }

  static ApiException invalidArgument(String message) {
    return new ApiException(INVALID_ARGUMENT, 400, message);
  }

  static ApiException unknownCommand(String message) {
    return new ApiException(UNKNOWN_COMMAND, 404, message);
  }

  static ApiException unknownMethod(String message) {
    return new ApiException(UNKNOWN_METHOD, 405, message);
  }

  static ApiException unknownError(String message) {
    return new ApiException(UNKNOWN_ERROR, 500, message);
  }

  static ApiException unableToCreate(String message) {
    return new ApiException(UNABLE_TO_CREATE_AUTHENTICATOR, 500, message);
  }

  /** A ceremony rejected as a browser's promise would be: the DOMException name as the error. */
  static ApiException domException(String name, String message) {
    return new ApiException(name, 400, message);
  }

  String error() {
    return error;
  }

  int httpStatus() {
    return httpStatus;
  }
}
