package dev.softkey.usb.client;

import dev.softkey.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A {@link HidTransport} wired to a {@link FakeCtapHidDevice} in memory. A read with nothing
 * queued moves the clock forward by its timeout, as a real wait would.
 */
final class FakeHidTransport implements HidTransport {
  final FakeCtapHidDevice device;
  final MutableClock clock;
  final Deque<byte[]> toHost = new ArrayDeque<>();
  boolean closed;

  FakeHidTransport(FakeCtapHidDevice device, MutableClock clock) {
    this.device = device;
    this.clock = clock;
  }

  @Override
  public void write(byte[] report) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException("report of " + report.length + " bytes");
    }
    toHost.addAll(device.handle(report));
  }

  @Override
  public Optional<byte[]> read(Duration timeout) {
    byte[] p = toHost.poll();
    if (p == null) {
      clock.advance(timeout);
      return Optional.empty();
    }
    return Optional.of(p);
  }

  @Override
  public String describe() {
    return "fake device";
  }

  @Override
  public void close() {
    closed = true;
  }
}
