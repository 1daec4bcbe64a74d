package dev.softkey.usb.backend;

/** Sends input reports (device to host, 64 bytes, no report ID). Thread-safe. */
@FunctionalInterface
public interface HidReportSender {
  void sendInputReport(byte[] report);
}
