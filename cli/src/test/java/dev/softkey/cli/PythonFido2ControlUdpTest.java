package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python-fido2 0.9.1 (Debian's python3-fido2 through /usr/bin/python3, as transport-usb's
 * PythonFido2UdpTest) against {@code softkey serve --control}: a fault "makeCredential answers
 * CTAP2_ERR_OPERATION_DENIED once" set over HTTP fails its first makeCredential, and its next one
 * succeeds. A machine without python3-fido2 fails the test with the install command.
 */
class PythonFido2ControlUdpTest {
  @TempDir Path tmp;

  @Test
  void afterAFaultOnce_pythonFido2sNextMakeCredentialSucceeds() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    if (!Files.isExecutable(python) || run(List.of(python.toString(), "-c", "import fido2")).exitValue() != 0) {
      fail("/usr/bin/python3 cannot import fido2: install it with: apt-get install -y python3-fido2");
    }
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    try (ControlFixture f = new ControlFixture(tmp.resolve("control"), "--store", "memory", "--ca", tmp.resolve("ca").toString(),
        "serve", "--port", String.valueOf(device), "--reply-port", String.valueOf(reply), "--control", "0",
        "--control-dir", tmp.resolve("control").toString())) {
      String id = f.value("GET", "/authenticators", null).get(0).get("authenticatorId").asText();
      f.value("POST", "/webauthn/authenticator/" + id + "/faults",
          "{\"command\":\"makeCredential\",\"status\":\"CTAP2_ERR_OPERATION_DENIED\",\"times\":\"once\"}");
      Path script = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/test/python/fault_once_udp.py");
      Process p = run(List.of(python.toString(), script.toString(), "--device-port", String.valueOf(device),
          "--host-port", String.valueOf(reply), "--status", "0x27"));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("PASS first makeCredential: 0x27").contains("PASS second makeCredential").contains("0 failed");
    }
  }

  private static Process run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish within 60 s");
    }
    return p;
  }
}
