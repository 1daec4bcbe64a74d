package dev.softkey.usb.client;

/** The device did not answer a CTAPHID transaction before the client's timeout. */
public final class HidTimeoutException extends HidTransportException {
  private static final long serialVersionUID = 1L;

  public HidTimeoutException(String message) {
    super(message);
  }
}
