package dev.softkey.usb.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A FIDO device through a Linux hidraw node ({@code /dev/hidrawN}), with plain file reads and
 * writes, as libfido2's {@code hid_linux.c} does: each write is one output report prefixed with
 * report ID 0 (the FIDO usage page has no report IDs, and hidraw wants the byte anyway), each read
 * is one 64-byte input report without a prefix. No native code or ioctl: a uhid device served by
 * {@code softkey serve --transport uhid} or a real key both work.
 *
 * <p>Reads happen on a daemon thread that queues reports, so that {@link #read} can wait with a
 * timeout (a blocking read on a character device cannot be given one).
 */
public final class HidrawTransport implements HidTransport {
  private final Path path;
  private final InputStream in;
  private final OutputStream out;
  private final BlockingQueue<byte[]> reports = new LinkedBlockingQueue<>();
  private volatile IOException readFailure;
  private volatile boolean closed;

  private HidrawTransport(Path path, InputStream in, OutputStream out) {
    this.path = path;
    this.in = in;
    this.out = out;
    Thread reader = new Thread(this::readLoop, "hidraw-reader " + path);
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code path} (a hidraw node) for reading and writing. */
  public static HidrawTransport open(Path path) {
    return open(path, path);
  }

  /** Reads input reports from {@code in} and writes output reports to {@code out} (tests: plain files). */
  static HidrawTransport open(Path in, Path out) {
    InputStream input = null;
    try {
      input = Files.newInputStream(in);
      OutputStream output = Files.newOutputStream(out, StandardOpenOption.WRITE);
      return new HidrawTransport(out, input, output);
    } catch (NoSuchFileException e) {
      close(input);
      throw new HidTransportException("no hidraw device " + e.getFile() + " (is the key plugged in, or softkey serve --transport uhid running?)", e);
    } catch (AccessDeniedException e) {
      close(input);
      throw new HidTransportException("no permission to open " + e.getFile() + " (a udev rule for FIDO keys, or root)", e);
    } catch (IOException e) {
      close(input);
      throw new HidTransportException("cannot open " + out + ": " + e.getMessage(), e);
    }
  }

  private static void close(InputStream s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // opening failed already; that is the error reported
      }
    }
  }

  private void readLoop() {
    try {
      while (!closed) {
        byte[] report = in.readNBytes(REPORT_SIZE);
        if (report.length < REPORT_SIZE) {
          return; // end of file: the device is gone (or a test's file is read)
        }
        reports.add(report);
      }
    } catch (IOException e) {
      if (!closed) {
        readFailure = e;
      }
    }
  }

  @Override
  public void write(byte[] report) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException("a HID report has 64 bytes, not " + report.length);
    }
    byte[] withId = new byte[REPORT_SIZE + 1];
    System.arraycopy(report, 0, withId, 1, REPORT_SIZE);
    try {
      out.write(withId);
      out.flush();
    } catch (IOException e) {
      throw new HidTransportException("cannot write to " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> read(Duration timeout) {
    try {
      byte[] r = reports.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      if (r == null && readFailure != null) {
        throw new HidTransportException("cannot read from " + path + ": " + readFailure.getMessage(), readFailure);
      }
      return Optional.ofNullable(r).map(b -> Arrays.copyOf(b, REPORT_SIZE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String describe() {
    return "hidraw " + path;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // closing: nothing left to report to
    }
    close(in);
  }
}
