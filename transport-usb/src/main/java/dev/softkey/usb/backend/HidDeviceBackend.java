package dev.softkey.usb.backend;

/**
 * Where a CTAPHID device meets the host: UDP (the SoloKeys simulator convention), Linux uhid, or
 * USB/IP. A back-end moves 64-byte reports and nothing else; framing lives in {@code
 * usb.ctaphid}.
 */
public interface HidDeviceBackend extends AutoCloseable {
  /**
   * Starts serving: host reports go to {@code handler}; the returned sender writes reports to the
   * host. Throws {@link BackendException} with a message a user can act on when the back-end cannot
   * start (port in use, /dev/uhid missing or not writable, ...).
   */
  HidReportSender start(HidReportHandler handler);

  /** One line for the "ready" message: what a client needs (ports, hidraw path, bus ID). */
  String describe();

  /** Stops serving and releases the device (UHID_DESTROY, sockets). Idempotent. */
  @Override
  void close();
}
