package dev.softkey.hybrid.ble;

/**
 * BlueZ or the D-Bus system bus refused or is missing (no bus, no bluetoothd, no adapter, an
 * advert BlueZ rejects). The message says which and what to check.
 */
public class BluezException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BluezException(String message, Throwable cause) {
    super(message, cause);
  }

  public BluezException(String message) {
    super(message);
  }
}
