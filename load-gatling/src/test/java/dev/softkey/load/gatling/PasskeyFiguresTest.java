package dev.softkey.load.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.load.gatling.example.PasskeySimulation;
import dev.softkey.rp.RpServer;
import dev.softkey.testkit.VirtualKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The figures: ceremonies per second of the example against softkey rp in this JVM, and the
 * injector's CPU per ceremony (so: ceremonies per second one injector core allows), next to a
 * baseline measured in the same run, the virtual keys alone on one thread with no HTTP and no
 * Gatling. It asserts that the runs passed, never a speed: the machine is shared.
 *
 * <p>Default: a light run (40 users, 4 at once) after a warm-up. The figures of docs/load-testing.md
 * come from the heavy one: {@code -Dpasskeys.load=heavy} (1000 users, 8 at once), or set {@code
 * passkeys.users} and {@code passkeys.concurrency}.
 */
class PasskeyFiguresTest {
  private static final Path RESULTS = Path.of("target", "gatling");
  private static final Predicate<String> RP_THREADS = name -> name.startsWith("softkey-rp-") || name.startsWith("HTTP-Dispatcher");

  @Test
  void printsCeremoniesPerSecondAndInjectorCpuPerCeremony() throws Exception {
    boolean heavy = "heavy".equals(System.getProperty("passkeys.load"));
    int users = Integer.getInteger("passkeys.users", heavy ? 1000 : 40);
    int concurrency = Integer.getInteger("passkeys.concurrency", heavy ? 8 : 4);
    String profile = System.getProperty("passkeys.profile", "yubikey-5");

    Baseline baseline = baseline(PasskeyUsers.of(profile, 99), heavy ? 500 : 50);

    try (RpServer rp = RpServer.builder().build().start(); CpuSampler cpu = new CpuSampler()) {
      Map<String, String> props = new HashMap<>(Map.of("passkeys.baseUrl", rp.origin(), "passkeys.profile", profile));
      // warm-up: the JIT compiles Gatling, the RP and the keys before the measured run
      props.putAll(Map.of("passkeys.users", String.valueOf(concurrency * 5), "passkeys.concurrency", String.valueOf(concurrency), "passkeys.runSeed", "10"));
      assertThat(GatlingRun.run(PasskeySimulation.class, RESULTS, props).exitCode()).isZero();

      KeyMeter.global().reset();
      props.putAll(Map.of("passkeys.users", String.valueOf(users), "passkeys.concurrency", String.valueOf(concurrency), "passkeys.runSeed", "11"));
      GatlingRun.Result run = GatlingRun.run(PasskeySimulation.class, RESULTS, props);
      assertThat(run.exitCode()).as("Gatling's assertions, report in " + run.directory()).isZero();
      assertThat(run.stats().path("numberOfRequests").path("ok").asLong()).isEqualTo(4L * users);

      KeyMeter.Snapshot keys = KeyMeter.global().snapshot();
      KeyMeter.Span span = KeyMeter.global().span().orElseThrow();
      assertThat(keys.ceremonies()).isEqualTo(2L * users);
      assertThat(keys.failures()).isZero();
      CpuSampler.Sample from = cpu.atOrBefore(span.startNanos());
      CpuSampler.Sample to = cpu.atOrAfter(span.endNanos());

      long ceremonies = keys.ceremonies();
      double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
      long process = to.processCpuNanos() - from.processCpuNanos();
      long rpThreads = to.threads(RP_THREADS) - from.threads(RP_THREADS);
      long injectorThreads = to.threads(RP_THREADS.negate()) - from.threads(RP_THREADS.negate());
      double injectorUpper = (process - rpThreads) / 1e3 / ceremonies;
      double injectorLower = injectorThreads / 1e3 / ceremonies;

      StringBuilder out = new StringBuilder();
      out.append(String.format("%nsoftkey load-gatling figures (profile %s; %d cores, shared with other builds: figures vary from run to run)%n",
          profile, Runtime.getRuntime().availableProcessors()));
      out.append(String.format("baseline, the keys alone, 1 thread, no HTTP: %d ceremonies, %.0f ceremonies/s, %.0f us CPU per ceremony (key built per ceremony)%n",
          baseline.ceremonies, baseline.ceremonies / baseline.seconds, baseline.cpuNanos / 1e3 / baseline.ceremonies));
      out.append(String.format("Gatling run: %d users (register, then sign in), %d at once, %d ceremonies in %.2f s: %.0f ceremonies/s, softkey rp in the same JVM%n",
          users, concurrency, ceremonies, seconds, ceremonies / seconds));
      out.append(String.format("CPU in that window: process %.2f s, RP threads %.2f s, injector threads %.2f s (of it the keys: building %.2f s, ceremonies %.2f s)%n",
          process / 1e9, rpThreads / 1e9, injectorThreads / 1e9, keys.keyCpuNanos() / 1e9, (keys.cpuNanos() - keys.keyCpuNanos()) / 1e9));
      out.append(String.format("injector CPU per ceremony: %.0f us by its threads; %.0f us as process minus RP threads (GC and JIT of both included)%n",
          injectorLower, injectorUpper));
      out.append(String.format("=> one injector core allows about %.0f ceremonies/s (%.0f by threads alone); the RP used %.0f us CPU per ceremony%n",
          1e6 / injectorUpper, 1e6 / injectorLower, rpThreads / 1e3 / ceremonies));
      out.append("CPU by thread name in the window (ms):");
      CpuSampler.byName(from, to).entrySet().stream()
          .filter(e -> e.getValue() >= 5_000_000L)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> out.append(String.format(" %s %d;", e.getKey(), e.getValue() / 1_000_000)));
      System.out.println(out);

      assertThat(process).isPositive();
      assertThat(injectorThreads).isGreaterThanOrEqualTo(keys.cpuNanos() / 2);
    }
  }

  /** The keys alone: register and sign in {@code n} users on this thread, with options made here. */
  private static Baseline baseline(PasskeyUsers users, int n) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ObjectMapper json = new ObjectMapper();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long cpu0 = 0;
    long wall0 = 0;
    int warm = Math.max(10, n / 5);
    for (int i = 0; i < warm + n; i++) {
      if (i == warm) {
        cpu0 = threads.getCurrentThreadCpuTime();
        wall0 = System.nanoTime();
      }
      ObjectNode create = json.createObjectNode();
      create.putObject("rp").put("id", RpServer.RP_ID).put("name", "baseline");
      create.putObject("user").put("id", b64.encodeToString(("u" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))).put("name", users.username(i)).put("displayName", users.username(i));
      create.put("challenge", b64.encodeToString(new byte[32]));
      create.putArray("pubKeyCredParams").addObject().put("type", "public-key").put("alg", -7);
      create.put("attestation", "direct");
      String credential;
      try (VirtualKey key = users.key(i)) {
        credential = key.create(create.toString(), "http://localhost");
      }
      String id;
      try {
        id = json.readTree(credential).path("id").asText();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      ObjectNode get = json.createObjectNode().put("challenge", b64.encodeToString(new byte[32])).put("rpId", RpServer.RP_ID);
      get.putArray("allowCredentials").addObject().put("type", "public-key").put("id", id);
      try (VirtualKey key = users.key(i)) {
        JsonNode signed;
        try {
          signed = json.readTree(key.get(get.toString(), "http://localhost"));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        assertThat(signed.path("id").asText()).isEqualTo(id);
      }
    }
    return new Baseline(2L * n, threads.getCurrentThreadCpuTime() - cpu0, (System.nanoTime() - wall0) / 1e9);
  }

  private record Baseline(long ceremonies, long cpuNanos, double seconds) {}
}
