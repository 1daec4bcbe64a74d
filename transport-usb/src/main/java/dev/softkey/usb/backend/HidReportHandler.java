package dev.softkey.usb.backend;

/**
 * The device side that a back-end feeds: output reports written by the host (64 bytes, no report
 * ID), and the events a back-end can observe about the device's life.
 */
public interface HidReportHandler {
  /** One 64-byte CTAPHID packet from the host. Called from the back-end's I/O thread. */
  void onOutputReport(byte[] report);

  /**
   * The device lost power or was re-plugged (the UDP simulators' "reboot" packet, a uhid
   * re-create): volatile state must go, stored state stays.
   */
  void onPowerCycle();
}
