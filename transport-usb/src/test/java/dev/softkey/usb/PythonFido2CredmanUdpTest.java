package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * authenticatorCredentialManagement with python-fido2 0.9.1 (Debian 12's python3-fido2, through
 * /usr/bin/python3) against softkey on UDP: runs {@code src/test/python/test_softkey_credman_udp.py}
 * against an in-process {@link UdpServeMain}, once with the generic profile (python-fido2 sends
 * 0x0A and signs with a cm token) and once with yubikey-5 (the prototype 0x41, signed with the
 * getPinToken token as for a FIDO_2_1_PRE YubiKey). A machine without python3-fido2 fails this test
 * (it is not skipped) with the command to run.
 */
class PythonFido2CredmanUdpTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String INSTALL = "install it with: apt-get install -y python3-fido2";

  @ParameterizedTest(name = "{0}: command {1}")
  @CsvSource({"generic, 0x0a", "yubikey-5, 0x41"})
  void pythonFido2_managesCredentials_againstSoftkeyOnUdp(String profileId, String command) throws Exception {
    requirePythonFido2();
    Path script = moduleDir().resolve("src/test/python/test_softkey_credman_udp.py");
    assertThat(script).exists();
    Profile profile = Profiles.load(profileId);

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.seeded(20261201L), 0, freeUdpPort())) {
      Result r =
          run(
              List.of(
                  PYTHON.toString(),
                  script.toString(),
                  "--device-port",
                  Integer.toString(device.devicePort()),
                  "--host-port",
                  Integer.toString(device.hostPort()),
                  "--expect-command",
                  command,
                  "--max-rk",
                  Integer.toString(profile.limits().maxResidentCredentials())),
              180);

      assertThat(r.exitCode()).as("test_softkey_credman_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("14 passed, 0 failed");
    }
  }

  private static void requirePythonFido2() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail("/usr/bin/python3 is missing: " + INSTALL);
    }
    Result r = run(List.of(PYTHON.toString(), "-c", "import fido2; print(fido2.__version__)"), 30);
    if (r.exitCode() != 0) {
      fail("/usr/bin/python3 cannot import fido2 (python-fido2 0.9.1): " + INSTALL + "\n" + r.output());
    }
  }

  private record Result(int exitCode, String output) {}

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
  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }
}
