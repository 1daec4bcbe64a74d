package dev.softkey.usb.client;

/**
 * Told about each CTAPHID_KEEPALIVE the device sends while a request is pending (CTAP 2.1 section
 * 11.2.9.1.7). Called on the thread waiting for the answer; it may call {@link
 * CtapHidClient#cancel()}.
 */
@FunctionalInterface
public interface KeepaliveListener {
  /** STATUS_PROCESSING: the authenticator is still processing the request. */
  int STATUS_PROCESSING = 1;

  /** STATUS_UPNEEDED: the authenticator is waiting for user presence. */
  int STATUS_UPNEEDED = 2;

  /** The keepalive's status byte, {@link #STATUS_PROCESSING}, {@link #STATUS_UPNEEDED} or other. */
  void onKeepalive(int status);

  /** A listener that ignores keepalives. */
  KeepaliveListener NONE = status -> {};
}
