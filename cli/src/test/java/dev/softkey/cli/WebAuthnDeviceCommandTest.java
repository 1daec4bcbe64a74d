package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.core.store.FileStore;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code webauthn create|get --device udp://...}: the CLI's WebAuthn client drives a key served on
 * CTAPHID over UDP (wired as {@code serve --transport udp} wires it, in this JVM, behind a fault
 * plan), never the store's key.
 */
class WebAuthnDeviceCommandTest {
  static final String CREATE =
      "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
          + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"}}";
  static final String GET = "{\"rpId\":\"example.com\",\"challenge\":\"AQIDBAUGBwgJCgsMDQ4PEA\",\"userVerification\":\"discouraged\"}";

  @TempDir Path dir;
  FaultPlan plan;
  DeviceFactory.Device served;
  UdpBackend backend;
  CtapHidDevice hid;
  String uri;

  @BeforeEach
  void serve() throws Exception {
    int devicePort = ServeCommandTest.freePort();
    int replyPort = ServeCommandTest.freePort();
    DeviceFactory factory = new DeviceFactory(d -> plan = new FaultPlan(d));
    served = factory.open(new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.of(1), "approve", Optional.empty()));
    backend = UdpBackend.onLoopback(devicePort, replyPort);
    hid = CtapHidDevice.builder(served.authenticator().orElseThrow()).start(backend);
    uri = "udp://127.0.0.1:" + devicePort + "?reply=" + replyPort;
  }

  @AfterEach
  void stop() throws Exception {
    hid.close();
    backend.close();
    served.close();
  }

  private CliRunner.Result run(String ceremony, String options, String... more) throws Exception {
    Path file = dir.resolve(ceremony + ".json");
    Files.writeString(file, options);
    String[] base = {"--store", dir.resolve("store").toString(), "webauthn", ceremony, "--device", uri, "--origin", "https://example.com", "--options", file.toString()};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRunner.run(args);
  }

  @Test
  void create_thenGet_overUdp_signWithTheSameCredential_andTheStoreIsNeverOpened() throws Exception {
    CliRunner.Result created = run("create", CREATE);
    assertThat(created.code()).as(created.err()).isZero();
    JsonNode reg = Json.MAPPER.readTree(created.out());
    CliRunner.Result got = run("get", GET);
    assertThat(got.code()).as(got.err()).isZero();
    JsonNode auth = Json.MAPPER.readTree(got.out());
    assertThat(auth.get("id").asText()).isEqualTo(reg.get("id").asText());
    assertThat(auth.path("response").path("signature").asText()).isNotEmpty();
    // The store directory was not even made: the CLI's key was never opened.
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void aLockedStore_doesNotStopACeremonyWithDevice() throws Exception {
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    try (FileStore held = FileStore.open(store, Optional.empty())) {
      long start = System.nanoTime();
      CliRunner.Result created = run("create", CREATE);
      assertThat(created.code()).as(created.err()).isZero();
      // Far below FileStore's 10 s lock wait: the lock was never asked for.
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
      assertThat(held.findByRpId("example.com")).isEmpty();
    }
  }

  @Test
  void aDroppedReply_isNotAllowedError_afterTimeout_exitCode1() throws Exception {
    plan.add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
    long start = System.nanoTime();
    CliRunner.Result r = run("create", CREATE, "--timeout", "700");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("softkey: NotAllowedError").contains("700 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(650);
    // The fault fired once; the key itself made the credential whose reply was lost.
    assertThat(plan.rules()).isEmpty();
  }

  @Test
  void badDeviceUris_areOneLine_exitCode2() {
    for (String bad : new String[] {"tcp://127.0.0.1:1", "udp://", "udp://127.0.0.1:8111?port=3", "hidraw:dev/hidraw0", "udp://127.0.0.1:8111/x"}) {
      CliRunner.Result r = CliRunner.run(new DeviceFactory(), CREATE, "--store", "memory", "webauthn", "create", "--device", bad, "--origin", "https://example.com");
      assertThat(r.code()).as(bad).isEqualTo(2);
      assertThat(r.err().strip().lines().count()).as(bad).isEqualTo(1);
      assertThat(r.err()).as(bad).startsWith("softkey: --device '" + bad + "'").contains("udp://HOST:PORT");
    }
  }

  @Test
  void noKeyListening_isOneLineSayingSo_exitCode1() throws Exception {
    int nobody = ServeCommandTest.freePort();
    CliRunner.Result r =
        CliRunner.run(new DeviceFactory(), CREATE, "--store", "memory", "webauthn", "create", "--device", "udp://127.0.0.1:" + nobody + "?reply=" + ServeCommandTest.freePort(),
            "--timeout", "300", "--origin", "https://example.com");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("softkey: no CTAPHID answer from udp 127.0.0.1:" + nobody);
  }
}
