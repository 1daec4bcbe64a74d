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
import org.junit.jupiter.api.Test;

/**
 * authenticatorConfig and the Entra ID provisioning sequence (../shared/docs/entra.md section 1.4)
 * driven by python-fido2 0.9.1 (its {@code fido2.ctap2.config.Config} and {@code ClientPin}, through
 * /usr/bin/python3) against softkey on UDP: runs {@code src/test/python/test_softkey_config_udp.py}
 * against an in-process {@link UdpServeMain} (what {@code softkey serve --transport udp} runs) with
 * the generic profile. Reset, a random PIN, an acfg token, minimum length 6, forceChangePin; the
 * provisioned PIN is then refused as CTAP 2.1 says, changePIN succeeds and the sign-in works.
 * A machine without python-fido2 fails this test (it is not skipped) with the command to run.
 */
class PythonFido2ConfigUdpTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String INSTALL = "install it with: apt-get install -y python3-fido2";

  @Test
  void entraProvisioningSequence_andConfig_withPythonFido2_overUdp() throws Exception {
    requirePythonFido2();
    Path script = moduleDir().resolve("src/test/python/test_softkey_config_udp.py");
    assertThat(script).exists();
    Profile profile = Profiles.defaultProfile();

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.secure(), 0, freeUdpPort())) {
      Result r =
          run(
              List.of(
                  PYTHON.toString(),
                  script.toString(),
                  "--device-port",
                  Integer.toString(device.devicePort()),
                  "--host-port",
                  Integer.toString(device.hostPort())),
              180);

      assertThat(r.exitCode()).as("test_softkey_config_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("15 passed, 0 failed");
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
