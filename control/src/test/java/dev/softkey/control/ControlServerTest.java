package dev.softkey.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the control API through a real HTTP client over loopback. */
class ControlServerTest {
  @TempDir Path dir;
  ControlServer server;
  ApiClient api;

  @BeforeEach
  void start() {
    server = ControlServer.builder().tokenFile(dir.resolve("token")).build().start();
    api = new ApiClient(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Nested
  class Access {
    @Test
    void tokenFile_holdsTheToken_readableByTheOwnerOnly() throws Exception {
      Path f = dir.resolve("token");
      assertThat(TokenFile.read(f)).isEqualTo(server.token());
      assertThat(Files.getPosixFilePermissions(f)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(server.token()).hasSizeGreaterThanOrEqualTo(43);
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("token");
      }
    }

    @Test
    void wrongToken_isRefused401() {
      ApiClient wrong = new ApiClient(server.baseUri(), server.token() + "x");
      ApiClient.Response r = wrong.get("/authenticators");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.error()).isEqualTo("unauthorized");
      assertThat(r.body()).doesNotContain(server.token());
    }

    @Test
    void missingToken_isRefused401_evenForTheOpenApiDocument() {
      ApiClient.Response r = api.send(HttpRequest.newBuilder(api.uri("/openapi.json")).GET().build());
      assertThat(r.status()).isEqualTo(401);
      ApiClient.Response basic = api.send(HttpRequest.newBuilder(api.uri("/authenticators")).header("Authorization", "Basic " + server.token()).GET().build());
      assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void nonLoopbackPeer_isRefused403_evenWithTheToken() throws Exception {
      InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40000);
      ControlHandler.Reply r = server.handler().dispatch(peer, "GET", URI.create("/softkey/v1/authenticators"),
          Optional.of("Bearer " + server.token()), new byte[0]);
      assertThat(r.status()).isEqualTo(403);
      JsonNode json = ApiClient.MAPPER.readTree(r.body());
      assertThat(json.at("/value/error").asText()).isEqualTo("forbidden");
      ControlHandler.Reply loop = server.handler().dispatch(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), "GET",
          URI.create("/softkey/v1/authenticators"), Optional.of("Bearer " + server.token()), new byte[0]);
      assertThat(loop.status()).isEqualTo(200);
    }

    @Test
    void nonLoopbackListenAddress_isRefused() {
      assertThatThrownBy(() -> ControlServer.builder().address(InetAddress.getByName("192.0.2.7"), 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
  }

  @Nested
  class Routing {
    @Test
    void unknownPath_isUnknownCommand404() {
      ApiClient.Response r = api.get("/nothing/here");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.error()).isEqualTo("unknown command");
    }

    @Test
    void wrongMethod_isUnknownMethod405() {
      ApiClient.Response r = api.delete("/authenticators");
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.error()).isEqualTo("unknown method");
    }

    @Test
    void bodyThatIsNotJson_isInvalidArgument() {
      ApiClient.Response r = api.post("/webauthn/authenticator", "{not json");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.error()).isEqualTo("invalid argument");
    }

    @Test
    void unknownAuthenticator_isInvalidArgument_onEveryAuthenticatorRoute() {
      int checked = 0;
      for (Router.Route route : new Api(new InProcessHost()).router().routes()) {
        if (!route.template().contains("{authenticatorId}")) {
          continue;
        }
        String path = route.template().substring(ControlServer.BASE_PATH.length()).replace("{authenticatorId}", "authenticator-99")
            .replace("{credentialId}", "AAAA");
        ApiClient.Response r = switch (route.method()) {
          case "DELETE" -> api.delete(path);
          case "GET" -> api.get(path);
          default -> api.post(path, Map.of());
        };
        String what = route.method() + " " + route.template();
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.error()).as(what).isEqualTo("invalid argument");
        assertThat(r.json().at("/value/message").asText()).as(what).contains("authenticator-99");
        checked++;
      }
      assertThat(checked).isEqualTo(22);
    }
  }

  @Nested
  class Authenticators {
    @Test
    void add_list_remove() {
      String id = api.addAuthenticator(Map.of("protocol", "ctap2_1", "transport", "usb", "hasResidentKey", true, "softkey:seed", 7));
      assertThat(id).isEqualTo("authenticator-1");
      String id2 = api.addAuthenticator(Map.of("softkey:profile", "yubikey-5", "transport", "nfc"));
      assertThat(id2).isEqualTo("authenticator-2");

      JsonNode list = api.get("/authenticators").value();
      assertThat(list).hasSize(2);
      assertThat(list.get(0).get("authenticatorId").asText()).isEqualTo(id);
      assertThat(list.get(0).get("profile").asText()).isEqualTo("generic");
      assertThat(list.get(0).get("aaguid").asText()).isEqualTo("0a3a4a58-b35c-4a72-a1be-5c5cb1009e2c");
      assertThat(list.get(0).get("transport").asText()).isEqualTo("usb");
      assertThat(list.get(0).get("endpoint").isNull()).isTrue();
      assertThat(list.get(1).get("profile").asText()).isEqualTo("yubikey-5");
      assertThat(list.get(1).get("transport").asText()).isEqualTo("nfc");

      ApiClient.Response del = api.delete("/webauthn/authenticator/" + id);
      assertThat(del.status()).isEqualTo(200);
      assertThat(del.value().isNull()).isTrue();
      assertThat(api.get("/authenticators").value()).hasSize(1);
      assertThat(api.delete("/webauthn/authenticator/" + id).error()).isEqualTo("invalid argument");
    }

    @Test
    void badOptions_areInvalidArgument() {
      for (Map<String, Object> bad : List.<Map<String, Object>>of(
          Map.of("protocol", "ctap3"),
          Map.of("protocol", "ctap1/u2f"),
          Map.of("transport", "carrier-pigeon"),
          Map.of("softkey:profile", "no-such-profile"),
          Map.of("hasResidentKey", "yes"),
          Map.of("softkey:seed", "seven"),
          Map.of("extensions", List.of("noSuchExtension")),
          Map.of("defaultBackupEligibility", false, "defaultBackupState", true),
          Map.of("softkey:serve", "tcp:1"))) {
        ApiClient.Response r = api.post("/webauthn/authenticator", bad);
        assertThat(r.status()).as(bad.toString()).isEqualTo(400);
        assertThat(r.error()).as(bad.toString()).isEqualTo("invalid argument");
      }
      assertThat(api.get("/authenticators").value()).isEmpty();
    }

    @Test
    void protocol_mustBeOneTheProfileSpeaks() {
      // No built-in profile is U2F only, so ctap1/u2f is refused everywhere (titan-v2 is FIDO_2_0 + U2F_V2).
      assertThat(api.post("/webauthn/authenticator", Map.of("protocol", "ctap2", "softkey:profile", "titan-v2")).status()).isEqualTo(200);
      assertThat(api.post("/webauthn/authenticator", Map.of("protocol", "ctap2_1", "softkey:profile", "titan-v2")).error())
          .isEqualTo("invalid argument");
      assertThat(api.post("/webauthn/authenticator", Map.of("protocol", "ctap1/u2f", "softkey:profile", "titan-v2")).error())
          .isEqualTo("invalid argument");
    }

    @Test
    void serveOnUdp_hasAnEndpoint_andCtapHidThereGoesThroughTheFaultPlan() throws Exception {
      int port;
      int reply;
      try (var s1 = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
          var s2 = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        port = s1.getLocalPort();
        reply = s2.getLocalPort();
      }
      String id = api.addAuthenticator(Map.of("softkey:serve", "udp:" + port + ":" + reply));
      assertThat(api.get("/authenticators").value().get(0).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + port);
      api.post("/webauthn/authenticator/" + id + "/faults", Map.of("command", "getInfo", "status", "CTAP2_ERR_NOT_ALLOWED"));
      try (var client = dev.softkey.usb.client.CtapHidClient.of(dev.softkey.usb.client.UdpHidTransport.open(port, reply))) {
        client.init();
        assertThat(client.transact(new byte[] {0x04})).containsExactly(0x30);
        byte[] info = client.transact(new byte[] {0x04});
        assertThat(info[0]).isZero();
        assertThat(info.length).isGreaterThan(20);
      }
      assertThat(api.delete("/webauthn/authenticator/" + id).status()).isEqualTo(200);
    }

    @Test
    void register_putsAnEngineStartedElsewhereBehindTheApi_andCloseClosesItsResources() {
      var presence = new dev.softkey.core.presence.SteerablePresence(dev.softkey.core.presence.Presence.approve());
      var engine = dev.softkey.core.Authenticator.builder().profile(dev.softkey.core.profile.Profiles.defaultProfile())
          .store(new dev.softkey.core.store.MemoryStore()).presence(presence).seed(4).build();
      java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
      Hosted h = ControlServer.wrap(engine, presence, "usb", Optional.of("udp://127.0.0.1:8111"), () -> closed.set(true));
      String id = server.register(h);
      JsonNode listed = api.get("/authenticators").value().get(0);
      assertThat(listed.get("authenticatorId").asText()).isEqualTo(id);
      assertThat(listed.get("endpoint").asText()).isEqualTo("udp://127.0.0.1:8111");
      assertThat(api.post("/webauthn/authenticator/" + id + "/webauthn/create", Ceremony.body(Ceremony.creationOptions(false, "discouraged")))
          .status()).isEqualTo(200);
      assertThat(engine.control().credentials()).hasSize(1);
      assertThat(api.get("/webauthn/authenticator/" + id + "/attestation/root").error()).isEqualTo("unsupported operation");
      server.close();
      assertThat(closed).isTrue();
    }

    @Test
    void powerCycle_answersNull() {
      String id = api.addAuthenticator(Map.of());
      ApiClient.Response r = api.post("/webauthn/authenticator/" + id + "/power-cycle", Map.of());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.value().isNull()).isTrue();
    }

    @Test
    void attestationRoot_isThePemOfTheAuthenticatorsCa_seededRootsRepeat() {
      String a = api.addAuthenticator(Map.of("softkey:seed", 5));
      String b = api.addAuthenticator(Map.of("softkey:seed", 5));
      String c = api.addAuthenticator(Map.of("softkey:seed", 6));
      ApiClient.Response ra = api.get("/webauthn/authenticator/" + a + "/attestation/root");
      assertThat(ra.status()).isEqualTo(200);
      assertThat(ra.body()).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
      String root = ra.body().substring(0, ra.body().indexOf("-----END CERTIFICATE-----"));
      assertThat(api.get("/webauthn/authenticator/" + b + "/attestation/root").body()).startsWith(root);
      assertThat(api.get("/webauthn/authenticator/" + c + "/attestation/root").body()).doesNotStartWith(root);
    }
  }

  @Nested
  class Ceremonies {
    @Test
    void create_thenGet_discoverable() {
      String id = api.addAuthenticator(Map.of("hasResidentKey", true, "softkey:seed", 1));
      ApiClient.Response c = api.post("/webauthn/authenticator/" + id + "/webauthn/create",
          Ceremony.body(Ceremony.creationOptions(true, "discouraged")));
      assertThat(c.status()).as(c.body()).isEqualTo(200);
      String credentialId = c.value().get("id").asText();
      assertThat(c.value().get("type").asText()).isEqualTo("public-key");
      String clientData = new String(java.util.Base64.getUrlDecoder().decode(c.value().at("/response/clientDataJSON").asText()),
          StandardCharsets.UTF_8);
      assertThat(clientData).contains("\"webauthn.create\"").contains("https://example.com");

      ApiClient.Response g = api.post("/webauthn/authenticator/" + id + "/webauthn/get",
          Ceremony.body(Ceremony.requestOptions("discouraged")));
      assertThat(g.status()).as(g.body()).isEqualTo(200);
      assertThat(g.value().get("id").asText()).isEqualTo(credentialId);
      assertThat(g.value().at("/response/signature").asText()).isNotEmpty();
    }

    @Test
    void optionsAsAString_areAccepted() {
      String id = api.addAuthenticator(Map.of());
      ApiClient.Response c = api.post("/webauthn/authenticator/" + id + "/webauthn/create",
          Map.of("options", Ceremony.creationOptions(false, "discouraged").toString(), "origin", Ceremony.ORIGIN));
      assertThat(c.status()).as(c.body()).isEqualTo(200);
    }

    @Test
    void notConsenting_isNotAllowedError() {
      String id = api.addAuthenticator(Map.of("isUserConsenting", false));
      ApiClient.Response c = api.post("/webauthn/authenticator/" + id + "/webauthn/create",
          Ceremony.body(Ceremony.creationOptions(false, "discouraged")));
      assertThat(c.status()).isEqualTo(400);
      assertThat(c.error()).isEqualTo("NotAllowedError");
    }

    @Test
    void wrongOrigin_isSecurityError_andMissingMembers_areInvalidArgument() {
      String id = api.addAuthenticator(Map.of());
      ApiClient.Response c = api.post("/webauthn/authenticator/" + id + "/webauthn/create",
          Map.of("options", Ceremony.creationOptions(false, "discouraged"), "origin", "https://evil.test"));
      assertThat(c.error()).isEqualTo("SecurityError");
      assertThat(api.post("/webauthn/authenticator/" + id + "/webauthn/create", Map.of("origin", Ceremony.ORIGIN)).error())
          .isEqualTo("invalid argument");
      assertThat(api.post("/webauthn/authenticator/" + id + "/webauthn/get",
          Map.of("options", Ceremony.requestOptions("discouraged"))).error()).isEqualTo("invalid argument");
      assertThat(api.post("/webauthn/authenticator/" + id + "/webauthn/get",
          Map.of("options", Map.of("challenge", 5), "origin", Ceremony.ORIGIN)).error()).isEqualTo("TypeError");
    }

    @Test
    void getWithoutCredentials_isNotAllowedError() {
      String id = api.addAuthenticator(Map.of("hasResidentKey", true));
      ApiClient.Response g = api.post("/webauthn/authenticator/" + id + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged")));
      assertThat(g.error()).isEqualTo("NotAllowedError");
    }
  }

  @Nested
  class Steering {
    String a;

    @BeforeEach
    void add() {
      a = "/webauthn/authenticator/" + api.addAuthenticator(Map.of("hasResidentKey", true, "softkey:seed", 9));
    }

    private ApiClient.Response create(boolean rk) {
      return api.post(a + "/webauthn/create", Ceremony.body(Ceremony.creationOptions(rk, "discouraged")));
    }

    @Test
    void credentials_listRemoveClear_andBadInput() throws Exception {
      String id1 = create(true).value().get("id").asText();
      String id2 = create(false).value().get("id").asText();
      JsonNode list = api.get(a + "/credentials").value();
      assertThat(list).hasSize(2);
      JsonNode rk = list.get(0).get("credentialId").asText().equals(id1) ? list.get(0) : list.get(1);
      assertThat(rk.get("isResidentCredential").asBoolean()).isTrue();
      assertThat(rk.get("rpId").asText()).isEqualTo("example.com");
      assertThat(rk.get("privateKey").asText()).isNotEmpty();
      assertThat(rk.get("softkey:algorithm").asInt()).isEqualTo(-7);
      assertThat(rk.get("userName").asText()).isEqualTo("alice");

      // What GET gave back can be put into another authenticator, which then signs with it.
      String b = "/webauthn/authenticator/" + api.addAuthenticator(Map.of("hasResidentKey", true));
      assertThat(api.post(b + "/credential", ApiClient.MAPPER.convertValue(rk, Map.class)).status()).isEqualTo(200);
      assertThat(api.post(b + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged"))).value().get("id").asText())
          .isEqualTo(id1);

      assertThat(api.delete(a + "/credentials/" + id2).status()).isEqualTo(200);
      assertThat(api.delete(a + "/credentials/" + id2).error()).isEqualTo("invalid argument");
      assertThat(api.delete(a + "/credentials/not*base64").error()).isEqualTo("invalid argument");
      assertThat(api.get(a + "/credentials").value()).hasSize(1);
      assertThat(api.delete(a + "/credentials").status()).isEqualTo(200);
      assertThat(api.get(a + "/credentials").value()).isEmpty();

      Map<String, Object> ok = ApiClient.MAPPER.convertValue(rk, Map.class);
      for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("privateKey", "AAAA"),
          Map.entry("credentialId", "***"), Map.entry("largeBlob", "AAAA"), Map.entry("softkey:algorithm", -8),
          Map.entry("isResidentCredential", "yes"), Map.entry("signCount", -1))) {
        Map<String, Object> body = new java.util.HashMap<>(ok);
        body.put(bad.getKey(), bad.getValue());
        ApiClient.Response r = api.post(a + "/credential", body);
        assertThat(r.status()).as(bad.toString()).isEqualTo(400);
        assertThat(r.error()).as(bad.toString()).isEqualTo("invalid argument");
        assertThat(r.body()).as("no key material in errors").doesNotContain(rk.get("privateKey").asText());
      }
      Map<String, Object> noRp = new java.util.HashMap<>(ok);
      noRp.remove("rpId");
      assertThat(api.post(a + "/credential", noRp).error()).isEqualTo("invalid argument");
    }

    @Test
    void props_setBackupFlags_seenInTheNextAssertion() throws Exception {
      String id = create(true).value().get("id").asText();
      assertThat(api.post(a + "/credentials/" + id + "/props", Map.of("backupEligibility", true, "backupState", true)).status()).isEqualTo(200);
      JsonNode c = api.get(a + "/credentials").value().get(0);
      assertThat(c.get("backupEligibility").asBoolean()).isTrue();
      assertThat(c.get("backupState").asBoolean()).isTrue();
      JsonNode got = api.post(a + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged"))).value();
      byte[] authData = java.util.Base64.getUrlDecoder().decode(got.at("/response/authenticatorData").asText());
      assertThat(authData[32] & 0x18).isEqualTo(0x18);
      assertThat(api.post(a + "/credentials/AAAA/props", Map.of("backupEligibility", true)).error()).isEqualTo("invalid argument");
    }

    @Test
    void presence_denyThenQueueThenDefault() {
      assertThat(api.post(a + "/presence", Map.of("answer", "deny")).status()).isEqualTo(200);
      assertThat(create(false).error()).isEqualTo("NotAllowedError");
      api.post(a + "/presence", Map.of("queue", List.of(Map.of("answer", "approve"), Map.of("answer", "timeout"))));
      assertThat(create(false).status()).isEqualTo(200);
      assertThat(create(false).error()).isEqualTo("NotAllowedError");
      assertThat(create(false).error()).isEqualTo("NotAllowedError");
      api.post(a + "/presence", Map.of("answer", "default"));
      assertThat(create(false).status()).isEqualTo(200);
      assertThat(api.post(a + "/presence", Map.of("answer", "maybe")).error()).isEqualTo("invalid argument");
      assertThat(api.post(a + "/presence", Map.of("answer", "approve", "delayMs", -1)).error()).isEqualTo("invalid argument");
      assertThat(api.post(a + "/presence", Map.of("queue", "approve")).error()).isEqualTo("invalid argument");
    }

    @Test
    void presence_delay_longerThanTheTimeout_isNotAllowedError() throws Exception {
      api.post(a + "/presence", Map.of("answer", "approve", "delayMs", 20_000));
      var options = Ceremony.creationOptions(false, "discouraged");
      options.put("timeout", 600);
      long start = System.nanoTime();
      ApiClient.Response r = api.post(a + "/webauthn/create", Ceremony.body(options));
      assertThat(r.error()).isEqualTo("NotAllowedError");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 8_000L);
    }

    @Test
    void pin_setStatusRetriesClear_andACeremonyWithIt() {
      JsonNode s = api.get(a + "/pin").value();
      assertThat(s.get("isSet").asBoolean()).isFalse();
      assertThat(api.post(a + "/pin", Map.of("pin", "1234")).status()).isEqualTo(200);
      assertThat(api.get(a + "/pin").value().get("isSet").asBoolean()).isTrue();
      assertThat(api.get(a + "/pin").value().get("retries").asInt()).isEqualTo(8);
      ApiClient.Response withPin = api.post(a + "/webauthn/create",
          Map.of("options", Ceremony.creationOptions(true, "required"), "origin", Ceremony.ORIGIN, "pin", "1234"));
      assertThat(withPin.status()).as(withPin.body()).isEqualTo(200);
      ApiClient.Response wrong = api.post(a + "/webauthn/create",
          Map.of("options", Ceremony.creationOptions(true, "required"), "origin", Ceremony.ORIGIN, "pin", "9999"));
      assertThat(wrong.error()).isEqualTo("NotAllowedError");
      assertThat(wrong.body()).doesNotContain("9999").doesNotContain("1234");
      assertThat(api.get(a + "/pin").value().get("retries").asInt()).isEqualTo(7);
      assertThat(api.post(a + "/pin/retries", Map.of("retries", 3)).status()).isEqualTo(200);
      assertThat(api.get(a + "/pin").value().get("retries").asInt()).isEqualTo(3);
      assertThat(api.post(a + "/pin/retries", Map.of("retries", -1)).error()).isEqualTo("invalid argument");
      ApiClient.Response shortPin = api.post(a + "/pin", Map.of("pin", "7q"));
      assertThat(shortPin.error()).isEqualTo("invalid argument");
      assertThat(shortPin.body()).doesNotContain("7q");
      assertThat(api.delete(a + "/pin").status()).isEqualTo(200);
      assertThat(api.get(a + "/pin").value().get("isSet").asBoolean()).isFalse();
    }

    @Test
    void uvResults_areConsumedOnePerAttempt() {
      String b = "/webauthn/authenticator/" + api.addAuthenticator(Map.of("hasResidentKey", true, "hasUserVerification", true, "isUserVerified", true));
      assertThat(api.post(b + "/webauthn/create", Ceremony.body(Ceremony.creationOptions(true, "required"))).status()).isEqualTo(200);
      assertThat(api.post(b + "/uv-results", Map.of("results", List.of(false, false, false, false, false))).status()).isEqualTo(200);
      assertThat(api.post(b + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("required"))).error()).isEqualTo("NotAllowedError");
      api.post(b + "/uv-results", Map.of("results", List.of()));
      assertThat(api.post(b + "/uv-results", Map.of("results", List.of("yes"))).error()).isEqualTo("invalid argument");
      assertThat(api.post(b + "/uv", Map.of()).error()).isEqualTo("invalid argument");
    }

    @Test
    void responseOverrideBits_badUp_clearsTheUpFlag() {
      create(true);
      assertThat(api.post(a + "/response-override-bits", Map.of("isBadUP", true)).status()).isEqualTo(200);
      JsonNode got = api.post(a + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged"))).value();
      byte[] authData = java.util.Base64.getUrlDecoder().decode(got.at("/response/authenticatorData").asText());
      assertThat(authData[32] & 0x01).isZero();
      api.post(a + "/response-override-bits", Map.of());
      JsonNode again = api.post(a + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged"))).value();
      assertThat(java.util.Base64.getUrlDecoder().decode(again.at("/response/authenticatorData").asText())[32] & 0x01).isEqualTo(1);
    }

    @Test
    void faults_everyNth_listed() {
      assertThat(api.post(a + "/faults", Map.of("command", "makeCredential", "status", 0x27, "times", "every", "n", 2)).status()).isEqualTo(200);
      JsonNode rules = api.get(a + "/faults").value();
      assertThat(rules.get(0).get("command").asText()).isEqualTo("makeCredential");
      assertThat(rules.get(0).get("times").asText()).isEqualTo("every");
      assertThat(rules.get(0).get("n").asInt()).isEqualTo(2);
      assertThat(create(false).status()).isEqualTo(200);
      assertThat(create(false).error()).isEqualTo("NotAllowedError");
      assertThat(create(false).status()).isEqualTo(200);
    }
  }

  @Test
  void close_removesEveryAuthenticator_andStops() {
    api.addAuthenticator(Map.of());
    server.close();
    assertThatThrownBy(() -> api.get("/authenticators")).isInstanceOf(IllegalStateException.class);
  }
}
