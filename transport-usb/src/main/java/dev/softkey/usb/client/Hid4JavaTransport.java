package dev.softkey.usb.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.hid4java.HidDevice;

/**
 * An OS FIDO HID device opened through hid4java (see {@link Hid4JavaHost#open(FidoHidDevice)}).
 * Output reports go out with report ID 0 (FIDO devices use no report IDs); input reports come back
 * without one.
 */
public final class Hid4JavaTransport implements HidTransport {
  private final HidDevice device;
  private final String path;

  Hid4JavaTransport(HidDevice device) {
    this.device = device;
    this.path = device.getPath();
  }

  @Override
  public void write(byte[] report) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException("a HID report has 64 bytes, not " + report.length);
    }
    int n;
    try {
      n = device.write(report, REPORT_SIZE, (byte) 0, false);
    } catch (IllegalStateException e) {
      throw new HidTransportException("cannot write to " + path + ": " + e.getMessage(), e);
    }
    if (n < 0) {
      throw new HidTransportException("cannot write to " + path + ": " + lastError());
    }
  }

  @Override
  public Optional<byte[]> read(Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    byte[] buf = new byte[REPORT_SIZE + 1];
    int n;
    try {
      n = device.read(buf, millis);
    } catch (IllegalStateException e) {
      throw new HidTransportException("cannot read from " + path + ": " + e.getMessage(), e);
    }
    if (n < 0) {
      throw new HidTransportException("cannot read from " + path + ": " + lastError());
    }
    if (n == 0) {
      return Optional.empty();
    }
    // Some platforms hand back the report ID 0 in front of the 64 bytes.
    if (n == REPORT_SIZE + 1) {
      return Optional.of(Arrays.copyOfRange(buf, 1, REPORT_SIZE + 1));
    }
    return Optional.of(Arrays.copyOf(buf, REPORT_SIZE));
  }

  private String lastError() {
    return Optional.ofNullable(device.getLastErrorMessage()).orElse("unknown error");
  }

  @Override
  public String describe() {
    return path;
  }

  @Override
  public void close() {
    if (!device.isClosed()) {
      device.close();
    }
  }
}
