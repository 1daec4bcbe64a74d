package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HybridCommandTest {
  /** A real Chrome QR code, from webauthn-rs's handshake.rs tests (also in testvectors/hybrid/qr-urls.tsv). */
  record Result(int code, String out, String err) {}

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
        .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demo_registersSignsInAndSignsInAgainLinked() {
    Result r = run("hybrid", "demo");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("FIDO:/").contains("Noise KNpsk0 handshake done").contains("Demo complete: registered and signed in.")
        .contains("Noise NKpsk0 handshake done").contains("signed in with the discoverable credential").contains("Hybrid demo complete.");
  }

  @Test
  void demo_withAPhoneProviderProfile_servesThatProfileAsThePhone() {
    Result r = run("--profile", "ms-authenticator-android", "hybrid", "demo");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // The phone verifies its user itself (built-in UV without bio enrollment).
    assertThat(r.out()).contains("user verified (UV flag)").contains("Demo complete: registered and signed in.").contains("Hybrid demo complete.");
  }

  @Test
  void decode_namesEveryKey_andRejectsGarbage() {
    Result demo = run("hybrid", "demo");
    String url = demo.out().lines().filter(l -> l.startsWith("FIDO:/")).findFirst().orElseThrow();
    Result r = run("hybrid", "decode", url);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"0_publicKey\"").contains("\"1_qrSecret\"").contains("\"4_supportsLinking\" : true").contains("\"5_requestType\" : \"mc\"");
    Result bad = run("hybrid", "decode", "FIDO:/123");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("softkey: not a valid hybrid QR code");
    Result missing = run("hybrid", "decode", "/nonexistent.png");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("neither a FIDO:/ URL nor an image file");
  }
}
