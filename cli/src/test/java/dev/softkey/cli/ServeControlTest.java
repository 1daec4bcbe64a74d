package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.UdpHidTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code softkey serve --control} in process: the device serve starts over real UDP CTAPHID is
 * listed and steered by the control API over real loopback HTTP, its requests pass the API's tap,
 * and an authenticator added over the API is served over UDP with the installation's CA.
 */
class ServeControlTest {
  @TempDir Path tmp;

  private ControlFixture serve(int device, int reply, String... extra) throws Exception {
    Stream<String> args = Stream.of("--store", "memory", "--ca", tmp.resolve("ca").toString(), "serve", "--port", String.valueOf(device),
        "--reply-port", String.valueOf(reply), "--control", "127.0.0.1:0", "--control-dir", tmp.resolve("control").toString());
    return new ControlFixture(tmp.resolve("control"), Stream.concat(args, Stream.of(extra)).toArray(String[]::new));
  }

  @Test
  void serveControl_printsTheLine_tokenFile0600_listsTheDevice_refusesAWrongToken() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply)) {
      Path tokenFile = tmp.resolve("control").resolve("token").toAbsolutePath();
      assertThat(f.stdout()).contains("softkey ready: generic on udp 127.0.0.1:" + device)
          .containsPattern("softkey control: http://127\\.0\\.0\\.1:\\d+/softkey/v1 \\(token in " + java.util.regex.Pattern.quote(tokenFile.toString()) + "\\)");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      assertThat(f.token).hasSizeGreaterThan(20);
      assertThat(f.stdout()).doesNotContain(f.token);
      assertThat(f.stderr()).doesNotContain(f.token);

      JsonNode list = f.value("GET", "/authenticators", null);
      assertThat(list).hasSize(1);
      assertThat(list.get(0).get("profile").asText()).isEqualTo("generic");
      assertThat(list.get(0).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + device + "?reply=" + reply);

      HttpResponse<String> wrong = f.send("GET", "/authenticators", null, "not-the-token");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(f.token);
      assertThat(f.stop()).isZero();
    }
  }

  @Test
  void ctapHidRequestsOverUdp_passTheTap_asEventsInOrder() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply)) {
      String id = f.value("GET", "/authenticators", null).get(0).get("authenticatorId").asText();
      List<String> events = new CopyOnWriteArrayList<>();
      HttpRequest sse = HttpRequest.newBuilder(URI.create(f.base + "/webauthn/authenticator/" + id + "/events"))
          .header("Authorization", "Bearer " + f.token).build();
      var stream = f.http.sendAsync(sse, HttpResponse.BodyHandlers.ofLines())
          .thenAccept(r -> r.body().filter(l -> l.startsWith("event:")).forEach(events::add));
      Thread.sleep(300); // the subscription is made when the request arrives
      try (CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(device, reply))) {
        client.init();
        byte[] info = client.cbor(new byte[] {0x04});
        assertThat(info[0]).isZero();
        RegistrationResponse reg = WebAuthnClient.builder(client).build()
            .create(ServeCommandTest.CREATE, "https://example.com", Optional.empty());
        assertThat(reg.rawId().length()).isGreaterThan(16);
      }
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (events.stream().filter(e -> e.contains("ctapResponse")).count() < 2 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      // getInfo's request and response first, then the client's own getInfo and makeCredential
      assertThat(events.subList(0, 2)).containsExactly("event: ctapRequest", "event: ctapResponse");
      assertThat(events.stream().filter(e -> e.contains("ctapRequest")).count()).isGreaterThanOrEqualTo(2);
      stream.cancel(true);
    }
  }

  @Test
  void anAuthenticatorAddedOverTheApi_isServedOverUdp_withTheInstallationCa() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    int device2 = ServeCommandTest.freePort();
    int reply2 = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply)) {
      String id = f.value("POST", "/webauthn/authenticator",
          "{\"hasResidentKey\":true,\"softkey:profile\":\"yubikey-5\",\"softkey:serve\":\"udp:" + device2 + ":" + reply2 + "\"}").asText();
      JsonNode list = f.value("GET", "/authenticators", null);
      assertThat(list).hasSize(2);
      assertThat(list.get(1).get("authenticatorId").asText()).isEqualTo(id);
      assertThat(list.get(1).get("profile").asText()).isEqualTo("yubikey-5");
      assertThat(list.get(1).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + device2 + "?reply=" + reply2);
      try (CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(device2, reply2))) {
        client.init();
        RegistrationResponse reg = WebAuthnClient.builder(client).build()
            .create(ServeCommandTest.CREATE, "https://example.com", Optional.empty());
        assertThat(reg.rawId().length()).isGreaterThan(16);
      }
      HttpResponse<String> root = f.send("GET", "/webauthn/authenticator/" + id + "/attestation/root", null, f.token);
      assertThat(root.statusCode()).isEqualTo(200);
      DeviceFactory.DeviceOptions o = new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.empty(), "approve",
          Optional.empty()).withCaDir(tmp.resolve("ca"));
      String installationRoot = new DeviceFactory().exportCaCertificatePem(o);
      assertThat(root.body()).startsWith(installationRoot);

      // a profile that does not exist is the API's invalid argument, and serve goes on
      HttpResponse<String> bad = f.send("POST", "/webauthn/authenticator", "{\"softkey:profile\":\"no-such-model\"}", f.token);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("invalid argument");
      assertThat(f.value("GET", "/authenticators", null)).hasSize(2);
    }
  }

  @Test
  void aFaultSetOverHttp_failsTheNextCtaphidRequestOverUdp_once() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply)) {
      String id = f.value("GET", "/authenticators", null).get(0).get("authenticatorId").asText();
      f.value("POST", "/webauthn/authenticator/" + id + "/faults",
          "{\"command\":\"getInfo\",\"status\":\"CTAP2_ERR_OPERATION_DENIED\",\"times\":\"once\"}");
      try (CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(device, reply))) {
        client.init();
        byte[] first = client.cbor(new byte[] {0x04});
        assertThat(first).containsExactly(0x27); // CTAP2_ERR_OPERATION_DENIED, nothing else
        byte[] second = client.cbor(new byte[] {0x04});
        assertThat(second[0]).isZero();
        assertThat(second.length).isGreaterThan(20);
      }
      assertThat(f.value("GET", "/webauthn/authenticator/" + id + "/faults", null)).isEmpty();
    }
  }

  @Test
  void presenceDenySetOverHttp_failsACeremonyOverUdp_untilTheDefaultIsBack() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply)) {
      String id = f.value("GET", "/authenticators", null).get(0).get("authenticatorId").asText();
      f.value("POST", "/webauthn/authenticator/" + id + "/presence", "{\"answer\":\"deny\"}");
      try (CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(device, reply))) {
        client.init();
        WebAuthnClient webauthn = WebAuthnClient.builder(client).build();
        assertThatThrownBy(() -> webauthn.create(ServeCommandTest.CREATE, "https://example.com", Optional.empty()))
            .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
        f.value("POST", "/webauthn/authenticator/" + id + "/presence", "{\"answer\":\"default\"}");
        RegistrationResponse reg = webauthn.create(ServeCommandTest.CREATE, "https://example.com", Optional.empty());
        assertThat(reg.rawId().length()).isGreaterThan(16);
      }
    }
  }

  @Test
  void everyDeviceOfACount_isListed_withItsOwnEndpoint_andStopRemovesApiAddedOnes() throws Exception {
    int device = ServeCommandTest.freePort();
    int reply = ServeCommandTest.freePort();
    int extra = ServeCommandTest.freePort();
    try (ControlFixture f = serve(device, reply, "--count", "2")) {
      JsonNode list = f.value("GET", "/authenticators", null);
      assertThat(list).hasSize(2);
      assertThat(list.get(0).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + device + "?reply=" + reply);
      assertThat(list.get(1).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + (device + 1) + "?reply=" + (reply + 1));
      f.value("POST", "/webauthn/authenticator", "{\"softkey:serve\":\"udp:" + extra + "\"}");
      assertThat(f.stop()).isZero();
      assertThat(tmp.resolve("control").resolve("endpoint")).doesNotExist();
    }
    // serve's end closed the API-added device's UDP back-end: its port is free again
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(extra, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(s.getLocalPort()).isEqualTo(extra);
    }
  }

  @Test
  void controlOnANonLoopbackHost_isAUsageError() {
    CliRunner.Result r = CliRunner.run(new DeviceFactory(), "", "--store", "memory", "serve", "--control", "0.0.0.0:0",
        "--control-dir", tmp.resolve("control").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("loopback only");
    assertThat(tmp.resolve("control")).doesNotExist();
  }
}
