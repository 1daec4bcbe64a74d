package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.control.ControlServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code softkey bench --control}: WebAuthn ceremonies per second through the control API (a
 * {@link ControlServer} started in this process, real HTTP over loopback, {@code POST
 * .../webauthn/create} and {@code .../webauthn/get}) next to one CLI process per ceremony ({@code
 * java -cp <this class path> dev.softkey.cli.Main webauthn create|get}, as a CI job in another
 * language calls softkey), measured in the same run. The ratio is what a running key saves.
 */
public final class ControlBench {
  static final String ORIGIN = "https://bench.example";
  static final String CREATE = "{\"publicKey\":{\"rp\":{\"name\":\"Bench\",\"id\":\"bench.example\"},"
      + "\"user\":{\"id\":\"AQID\",\"name\":\"bench\",\"displayName\":\"Bench\"},\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\","
      + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
      + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"},\"attestation\":\"none\"}}";
  static final String GET = "{\"publicKey\":{\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"rpId\":\"bench.example\","
      + "\"userVerification\":\"discouraged\"}}";

  private final Duration warmup;
  private final Duration measure;
  private final int rounds;
  private final int processes;

  /**
   * @param processes how many CLI processes per ceremony kind (each starts a JVM: keep it small)
   */
  public ControlBench(Duration warmup, Duration measure, int rounds, int processes) {
    this.warmup = warmup;
    this.measure = measure;
    this.rounds = rounds;
    this.processes = processes;
  }

  /** One ceremony kind: per second over HTTP and with one process per ceremony. */
  public record Row(String ceremony, double httpPerSec, double processPerSec) {
    public double ratio() {
      return httpPerSec / processPerSec;
    }
  }

  /** Measures both ways, prints the table and returns its rows. */
  public List<Row> run(PrintStream out) throws Exception {
    double httpCreate;
    double httpGet;
    try (ControlServer server = ControlServer.builder().build().start()) {
      ControlClient c = new ControlClient(server.baseUri(), server.token(), Duration.ofSeconds(30));
      ObjectNode add = Json.MAPPER.createObjectNode().put("hasResidentKey", true).put("softkey:seed", 1);
      String id = c.post("/webauthn/authenticator", add).asText();
      JsonNode createBody = body(CREATE);
      JsonNode getBody = body(GET);
      String create = ControlClient.authenticator(id, "/webauthn/create");
      String get = ControlClient.authenticator(id, "/webauthn/get");
      Runnable createOp = () -> c.post(create, createBody);
      Runnable getOp = () -> c.post(get, getBody);
      createOp.run();
      httpCreate = best(createOp);
      httpGet = best(getOp);
    }
    Path dir = Files.createTempDirectory("softkey-bench");
    double processCreate;
    double processGet;
    try {
      Path createFile = Files.writeString(dir.resolve("create.json"), CREATE);
      Path getFile = Files.writeString(dir.resolve("get.json"), GET);
      List<String> common = List.of("--store", dir.resolve("store").toString(), "--ca", dir.resolve("ca").toString(), "--seed", "1");
      processCreate = perProcess(common, "create", createFile);
      processGet = perProcess(common, "get", getFile);
    } finally {
      deleteTree(dir);
    }
    List<Row> rows = List.of(new Row("create", httpCreate, processCreate), new Row("get", httpGet, processGet));
    out.printf("WebAuthn ceremonies through the control API (HTTP on loopback, in-process server) vs one CLI process each:%n");
    out.printf("%-8s %14s %18s %10s%n", "", "control API", "process each (" + processes + ")", "ratio");
    for (Row r : rows) {
      out.printf("%-8s %12.1f/s %16.2f/s %9.0f x%n", r.ceremony(), r.httpPerSec(), r.processPerSec(), r.ratio());
    }
    return rows;
  }

  private static JsonNode body(String options) throws IOException {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.set("options", Json.MAPPER.readTree(options));
    b.put("origin", ORIGIN);
    return b;
  }

  private double best(Runnable op) {
    loop(op, warmup);
    double best = 0;
    for (int i = 0; i < rounds; i++) {
      best = Math.max(best, loop(op, measure));
    }
    return best;
  }

  private static double loop(Runnable op, Duration d) {
    long start = System.nanoTime();
    long end = start + d.toNanos();
    long n = 0;
    long now;
    do {
      op.run();
      n++;
      now = System.nanoTime();
    } while (now < end);
    return n / ((now - start) / 1e9);
  }

  /** {@code processes} runs of {@code softkey webauthn KIND}, one JVM each; ceremonies per second of wall time. */
  private double perProcess(List<String> common, String kind, Path options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(common);
    cmd.addAll(List.of("webauthn", kind, "--origin", ORIGIN, "--options", options.toString()));
    long start = System.nanoTime();
    for (int i = 0; i < processes; i++) {
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.PIPE).start();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("softkey webauthn " + kind + " did not end within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("softkey webauthn " + kind + " failed (exit " + p.exitValue() + "): " + err.strip());
      }
    }
    return processes / ((System.nanoTime() - start) / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
