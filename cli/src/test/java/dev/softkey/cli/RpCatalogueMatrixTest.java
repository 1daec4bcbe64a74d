package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * softkey's own CLI as the key against {@code softkey rp}, both in process through {@link Main}
 * and one {@code --ca} installation, for every built-in catalogue profile: the JSON endpoints
 * over real HTTP, {@code softkey webauthn create|get --options FILE --origin URL} as the client.
 *
 * <p>User verification is "preferred": the bio models verify with their built-in sensor, the
 * alwaysUv models without one get a PIN first ({@code softkey pin set}); the rest go without.
 *
 * <p>Per model: allowed (its AAGUID on the allow list, attestation enforced: trusted through the
 * installation's metadata when the model publishes a packed statement, else refused by the
 * attestation policy with its reason) and signing in; refused when off the allow list, on the
 * block list, and when it gives attestation "none" while attestation is enforced.
 */
class RpCatalogueMatrixTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String OTHER_AAGUID = "00000000-0000-4000-8000-000000000001";

  @TempDir static Path dir;
  private static RpRunner rp;

  @BeforeAll
  static void startRp() throws Exception {
    rp = RpRunner.start("--ca", dir.resolve("ca").toString(), "rp", "--port", "0");
  }

  @AfterAll
  static void stopRp() throws Exception {
    assertThat(rp.stop()).isZero();
  }

  /** Published models with a packed statement are attested by the installation's metadata. */
  private static boolean attestable(Profile p) {
    return p.metadata().published() && p.attestation().format() == AttestationFormat.PACKED;
  }

  @TestFactory
  Stream<DynamicTest> everyCatalogueModel_allowedAndRefused() {
    List<Profile> all = Profiles.allBuiltIn();
    assertThat(all).hasSizeGreaterThan(10);
    assertThat(all.stream().filter(RpCatalogueMatrixTest::attestable)).hasSizeGreaterThan(5);
    return all.stream().map(p -> DynamicTest.dynamicTest(p.identity().id(), () -> matrix(p)));
  }

  private void matrix(Profile p) throws Exception {
    String id = p.identity().id();
    String aaguid = p.identity().aaguid().toString();
    Path store = dir.resolve("store-" + id);
    if (needsPin(p)) {
      Result set = CliRunner.run("--ca", dir.resolve("ca").toString(), "--store", store.toString(), "--profile", id, "pin", "set", "--new-pin-file",
          pinFile().toString());
      assertThat(set.code()).as(set.err()).isZero();
    }

    // allowed: on the allow list, attestation enforced
    policy(restrictions("allow", aaguid) + ", \"isAttestationEnforced\": true");
    JsonNode reg = register(p, store, "user-" + id, "direct");
    if (attestable(p)) {
      assertThat(reg.path("http").asInt()).as("%s: %s", id, reg).isEqualTo(200);
      assertThat(reg.path("ok").asBoolean()).isTrue();
      assertThat(reg.path("aaguid").asText()).isEqualTo(aaguid);
      assertThat(reg.path("model").asText()).isEqualTo(p.metadata().description().orElse(p.identity().description()));
      assertThat(reg.path("attestation").path("format").asText()).isEqualTo("packed");
      assertThat(reg.path("attestation").path("trusted").asBoolean()).isTrue();
      assertThat(reg.path("attestation").path("chain").size()).isGreaterThanOrEqualTo(1);
      JsonNode in = signIn(p, store, "user-" + id);
      assertThat(in.path("http").asInt()).as("%s sign-in: %s", id, in).isEqualTo(200);
      assertThat(in.path("aaguid").asText()).isEqualTo(aaguid);
      assertThat(in.path("credentialId").asText()).isEqualTo(reg.path("credentialId").asText());
    } else {
      assertThat(reg.path("http").asInt()).as("%s: %s", id, reg).isEqualTo(403);
      assertThat(reg.path("refusal").path("policy").asText()).isEqualTo("attestation");
      assertThat(reg.path("refusal").path("message").asText()).contains("enforces attestation");
    }

    // refused: off the allow list
    policy(restrictions("allow", OTHER_AAGUID));
    JsonNode off = register(p, store, "off-" + id, "direct");
    assertThat(off.path("http").asInt()).as("%s: %s", id, off).isEqualTo(403);
    assertThat(off.path("refusal").path("policy").asText()).isEqualTo("keyRestrictions");
    assertThat(off.path("refusal").path("message").asText()).contains("AAGUID " + aaguid).contains("is not on the allow list");

    // refused: on the block list
    policy(restrictions("block", aaguid));
    JsonNode blocked = register(p, store, "blocked-" + id, "direct");
    assertThat(blocked.path("http").asInt()).as("%s: %s", id, blocked).isEqualTo(403);
    assertThat(blocked.path("refusal").path("message").asText()).contains("is on the block list");

    // refused: attestation none while attestation is enforced
    policy("\"isAttestationEnforced\": true");
    JsonNode none = register(p, store, "none-" + id, "none");
    assertThat(none.path("http").asInt()).as("%s: %s", id, none).isEqualTo(403);
    assertThat(none.path("attestation").path("format").asText()).isEqualTo("none");
    assertThat(none.path("refusal").path("policy").asText()).isEqualTo("attestation");
  }

  /** alwaysUv without built-in UV (the FIPS models): every ceremony needs the PIN. */
  private static boolean needsPin(Profile p) {
    return p.management().config().map(c -> c.alwaysUv()).orElse(false) && p.management().fingerprint().isEmpty();
  }

  private static Path pinFile() throws Exception {
    Path f = dir.resolve("pin.txt");
    if (!Files.exists(f)) {
      Files.writeString(f, "12345678\n");
    }
    return f;
  }

  private static String restrictions(String type, String aaguid) {
    return "\"keyRestrictions\": {\"isEnforced\": true, \"enforcementType\": \"" + type + "\", \"aaGuids\": [\"" + aaguid + "\"]}";
  }

  private static void policy(String members) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create(rp.base() + "/api/policy")).PUT(HttpRequest.BodyPublishers.ofString("{" + members + "}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode post(String path, JsonNode body) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create(rp.base() + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    ObjectNode out = (ObjectNode) MAPPER.readTree(r.body());
    out.put("http", r.statusCode());
    return out;
  }

  private JsonNode register(Profile p, Path store, String user, String attestation) throws Exception {
    ObjectNode req = MAPPER.createObjectNode().put("username", user).put("userVerification", "preferred").put("attestation", attestation);
    JsonNode options = post("/api/register/options", req);
    assertThat(options.path("http").asInt()).as(options.toString()).isEqualTo(200);
    String credential = key(p, store, "create", options.path("publicKey"));
    return verify("/api/register/verify", options, credential);
  }

  private JsonNode signIn(Profile p, Path store, String user) throws Exception {
    JsonNode options = post("/api/signin/options", MAPPER.createObjectNode().put("username", user).put("userVerification", "preferred"));
    assertThat(options.path("http").asInt()).as(options.toString()).isEqualTo(200);
    return verify("/api/signin/verify", options, key(p, store, "get", options.path("publicKey")));
  }

  private static JsonNode verify(String path, JsonNode options, String credential) throws Exception {
    ObjectNode body = MAPPER.createObjectNode().put("ceremonyId", options.path("ceremonyId").asText());
    body.set("credential", MAPPER.readTree(credential));
    return post(path, body);
  }

  /** {@code softkey --ca CA --store STORE --profile ID webauthn create|get --options FILE --origin ORIGIN}. */
  private static String key(Profile p, Path store, String ceremony, JsonNode publicKey) throws Exception {
    Path options = Files.createTempFile(dir, ceremony, ".json");
    Files.writeString(options, publicKey.toString());
    List<String> args = new ArrayList<>(List.of("--ca", dir.resolve("ca").toString(), "--store", store.toString(), "--profile", p.identity().id(),
        "webauthn", ceremony, "--options", options.toString(), "--origin", rp.origin()));
    if (needsPin(p)) {
      args.addAll(List.of("--pin-file", pinFile().toString()));
    }
    Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as("softkey %s: %s", String.join(" ", args), r.err()).isZero();
    return r.out();
  }
}
