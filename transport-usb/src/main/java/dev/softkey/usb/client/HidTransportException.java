package dev.softkey.usb.client;

/**
 * The HID link failed: a socket or device error, no answer in time, a native HID library that
 * cannot be loaded, or packets that break CTAPHID framing (CTAP 2.1 section 11.2.4). The message
 * says what happened in words a user can act on.
 */
public class HidTransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HidTransportException(String message) {
    super(message);
  }

  public HidTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
