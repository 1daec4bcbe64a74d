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
import java.util.Set;
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
      for (var route : server.handler() == null ? List.<String>of() : List.of(
          "DELETE /webauthn/authenticator/authenticator-99",
          "POST /webauthn/authenticator/authenticator-99/power-cycle",
          "POST /webauthn/authenticator/authenticator-99/webauthn/create",
          "POST /webauthn/authenticator/authenticator-99/webauthn/get",
          "GET /webauthn/authenticator/authenticator-99/attestation/root",
          "GET /webauthn/authenticator/authenticator-99/events")) {
        String[] mp = route.split(" ");
        ApiClient.Response r = switch (mp[0]) {
          case "DELETE" -> api.delete(mp[1]);
          case "GET" -> api.get(mp[1]);
          default -> api.post(mp[1], Map.of());
        };
        assertThat(r.status()).as(route).isEqualTo(400);
        assertThat(r.error()).as(route).isEqualTo("invalid argument");
        assertThat(r.json().at("/value/message").asText()).as(route).contains("authenticator-99");
      }
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
    void serveOnUdp_hasAnEndpoint() throws Exception {
      int port;
      try (var s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      String id = api.addAuthenticator(Map.of("softkey:serve", "udp:" + port + ":" + (port == 65535 ? 1 : port + 1)));
      assertThat(api.get("/authenticators").value().get(0).get("endpoint").asText()).isEqualTo("udp://127.0.0.1:" + port);
      assertThat(api.delete("/webauthn/authenticator/" + id).status()).isEqualTo(200);
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

  @Test
  void close_removesEveryAuthenticator_andStops() {
    api.addAuthenticator(Map.of());
    server.close();
    assertThatThrownBy(() -> api.get("/authenticators")).isInstanceOf(IllegalStateException.class);
    assertThat(Set.of()).isEmpty();
  }
}
