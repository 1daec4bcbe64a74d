package dev.softkey.usb.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A host's handle on one FIDO HID device: writes output reports and reads input reports, 64 bytes
 * each, without report ID (CTAP 2.1 section 11.2.4, "Protocol structure and data framing"). No
 * framing happens here; {@link CtapHidClient} does it.
 *
 * <p>Failures (socket or device errors, a closed transport) are {@link HidTransportException}.
 */
public interface HidTransport extends AutoCloseable {
  /** The size of every CTAPHID report (HID_RPT_SIZE). */
  int REPORT_SIZE = 64;

  /** Sends one output report of exactly {@link #REPORT_SIZE} bytes. */
  void write(byte[] report);

  /**
   * Waits up to {@code timeout} for one input report; empty when none came in time. A report is
   * always {@link #REPORT_SIZE} bytes long.
   */
  Optional<byte[]> read(Duration timeout);

  /** One line naming the device, for messages ("udp 127.0.0.1:8111", a hidraw path). */
  String describe();

  /** Releases the socket or device handle. Idempotent. */
  @Override
  void close();
}
