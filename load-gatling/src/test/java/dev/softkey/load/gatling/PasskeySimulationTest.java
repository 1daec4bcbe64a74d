package dev.softkey.load.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.load.gatling.example.PasskeySimulation;
import dev.softkey.rp.RpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example simulation against softkey rp started in this JVM: a few virtual users register and
 * sign in, Gatling's assertions (every request OK, the counts) pass, and the RP holds exactly the
 * users the run registered. With keys from another run seed every sign-in fails, and the
 * assertions say so.
 */
class PasskeySimulationTest {
  private static final Path RESULTS = Path.of("target", "gatling");

  private RpServer rp;

  @BeforeEach
  void start() {
    rp = RpServer.builder().build().start();
  }

  @AfterEach
  void stop() {
    rp.close();
  }

  @Test
  void registersThenSignsInEveryUser() throws Exception {
    KeyMeter.Snapshot before = KeyMeter.global().snapshot();
    GatlingRun.Result run = GatlingRun.run(PasskeySimulation.class, RESULTS, Map.of("passkeys.baseUrl", rp.origin(), "passkeys.users", "6", "passkeys.concurrency", "2", "passkeys.runSeed", "7"));

    assertThat(run.exitCode()).as("Gatling's exit code (2: assertions failed), report in " + run.directory()).isZero();
    JsonNode requests = run.stats().path("numberOfRequests");
    assertThat(requests.path("ok").asLong()).isEqualTo(24);
    assertThat(requests.path("ko").asLong()).isZero();

    // the RP's own record: the six users of run seed 7, one non-discoverable credential each
    Set<String> names = new HashSet<>();
    for (JsonNode u : users()) {
      names.add(u.path("username").asText());
      assertThat(u.path("credentials")).hasSize(1);
      assertThat(u.path("credentials").get(0).path("discoverable").asBoolean(true)).isFalse();
      // counters stay 0 (PasskeyUsers: a key rebuilt from the seed has no memory of one)
      assertThat(u.path("credentials").get(0).path("signCount").asLong()).isZero();
    }
    assertThat(names).containsExactlyInAnyOrder("user-7-0", "user-7-1", "user-7-2", "user-7-3", "user-7-4", "user-7-5");

    KeyMeter.Snapshot spent = KeyMeter.global().snapshot().since(before);
    assertThat(spent.keys()).isEqualTo(12);
    assertThat(spent.creates()).isEqualTo(6);
    assertThat(spent.gets()).isEqualTo(6);
    assertThat(spent.failures()).isZero();
  }

  @Test
  void keysOfAnotherRunSeedCannotSignIn() throws Exception {
    KeyMeter.Snapshot before = KeyMeter.global().snapshot();
    GatlingRun.Result run =
        GatlingRun.run(
            PasskeySimulation.class,
            RESULTS,
            Map.of("passkeys.baseUrl", rp.origin(), "passkeys.users", "2", "passkeys.concurrency", "1", "passkeys.runSeed", "8", "passkeys.signInRunSeed", "9"));

    // Gatling's assertions failed: the request count (6 of 8) and the sign-in verify count
    assertThat(run.exitCode()).isEqualTo(2);
    // 2 registrations and 2 sign-in options went through; the keys refused both sign-ins (they do
    // not hold the credentials), so no verify was sent: Gatling counts those as errors, not requests
    JsonNode requests = run.stats().path("numberOfRequests");
    assertThat(requests.path("total").asLong()).isEqualTo(6);
    assertThat(requests.path("ko").asLong()).isZero();
    assertThat(KeyMeter.global().snapshot().since(before).failures()).isEqualTo(2);
    assertThat(users()).hasSize(2);
  }

  private JsonNode users() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rp.origin() + "/api/users")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
