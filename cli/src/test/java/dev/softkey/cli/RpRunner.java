package dev.softkey.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code softkey rp} run in-process on a thread of its own, as {@link CliRunner} runs a command:
 * {@link #start} waits for the ready line and gives the origin; {@link #close} interrupts the
 * command (what Ctrl-C's shutdown hook does for the real process) and checks its exit code.
 */
final class RpRunner implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("softkey rp ready: (https?://localhost:\\d+)/");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicInteger code = new AtomicInteger(-1);
  private final Thread thread;
  private String origin;

  private RpRunner(String... args) {
    thread = new Thread(() -> code.set(new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
        .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))), "softkey-rp-test");
    thread.setDaemon(true);
  }

  /** Starts {@code softkey ARGS} (ARGS holding {@code rp}) and waits up to 30 s for its ready line. */
  static RpRunner start(String... args) throws InterruptedException {
    RpRunner r = new RpRunner(args);
    r.thread.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = READY.matcher(r.out());
      if (m.find()) {
        r.origin = m.group(1);
        return r;
      }
      if (!r.thread.isAlive()) {
        throw new AssertionError("softkey rp ended with " + r.code.get() + ": " + r.err());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("softkey rp printed no ready line in 30 s: " + r.out() + r.err());
  }

  String origin() {
    return origin;
  }

  /** The loopback URL to reach it (the origin names localhost, which may resolve to ::1 first). */
  String base() {
    return origin.replace("localhost", "127.0.0.1");
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Stops the command; returns its exit code. */
  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
    if (thread.isAlive()) {
      throw new AssertionError("softkey rp did not stop");
    }
    return code.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }
}
