package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the python-fido2 0.9.1 scripts of {@code src/test/python} (Debian 12's python3-fido2, through
 * /usr/bin/python3) for the PythonFido2*UdpTest classes. A machine without python3-fido2 fails
 * {@link #require()} (the tests are not skipped) with the command to run.
 */
final class PythonFido2 {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String INSTALL = "install it with: apt-get install -y python3-fido2";

  /** The exit code and the merged stdout and stderr of a finished script. */
  record Result(int exitCode, String output) {}

  private PythonFido2() {}

  /** Fails the calling test unless /usr/bin/python3 exists and imports fido2. */
  static void require() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail("/usr/bin/python3 is missing: " + INSTALL);
    }
    Result r = run(List.of(PYTHON.toString(), "-c", "import fido2; print(fido2.__version__)"), 30);
    if (r.exitCode() != 0) {
      fail("/usr/bin/python3 cannot import fido2 (python-fido2 0.9.1): " + INSTALL + "\n" + r.output());
    }
  }

  /** {@code src/test/python/<name>} of this module, which must exist. */
  static Path script(String name) {
    Path script = moduleDir().resolve("src/test/python").resolve(name);
    assertThat(script).exists();
    return script;
  }

  /**
   * The arguments that point a script at {@code device} ({@code --device-port}, {@code --host-port}),
   * followed by {@code more}.
   */
  static List<String> udpArgs(UdpServeMain device, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--device-port");
    args.add(Integer.toString(device.devicePort()));
    args.add("--host-port");
    args.add(Integer.toString(device.hostPort()));
    args.addAll(List.of(more));
    return args;
  }

  /** Runs {@code /usr/bin/python3 script args...}; fails the test when it takes longer than the timeout. */
  static Result run(Path script, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(PYTHON.toString());
    command.add(script.toString());
    command.addAll(args);
    return run(command, timeoutSeconds);
  }

  private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().put("PYTHONUNBUFFERED", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    // Read on another thread so that a hung script still times out.
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                out.append("(reading the output failed: ").append(e).append(')');
              }
            },
            "python-output");
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      reader.join(2_000);
      fail("%s did not finish within %d s; output so far:%n%s", command, timeoutSeconds, out);
    }
    reader.join(5_000);
    return new Result(p.exitValue(), out.toString());
  }

  private static Path moduleDir() {
    String basedir = System.getProperty("basedir");
    return Path.of(basedir != null ? basedir : System.getProperty("user.dir"));
  }

  /** A UDP port free right now on loopback, for the Python side to bind. */
  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }
}
