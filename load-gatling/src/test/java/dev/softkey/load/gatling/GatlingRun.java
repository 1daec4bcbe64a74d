package dev.softkey.load.gatling;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a simulation in this JVM with Gatling's own launcher ({@code io.gatling.app.Gatling}, as
 * the Maven plugin does), results and the HTML report under {@code resultsDir}, with system
 * properties set for the run and restored afterwards.
 */
final class GatlingRun {
  /**
   * The exit code (0: every assertion held; 2: one failed) and the run's directory
   * (simulation.log, index.html, js/stats.js).
   */
  record Result(int exitCode, Path directory) {
    /**
     * The report's statistics of all requests ({@code var stats = {...}} in js/stats.js, a
     * JavaScript object literal: unquoted names, numbers as strings, which {@code asLong()} reads).
     */
    JsonNode stats() throws IOException {
      String js = Files.readString(directory.resolve("js/stats.js"));
      int start = js.indexOf('{');
      if (!js.startsWith("var stats") || start < 0) {
        throw new IOException("js/stats.js does not start with the stats object: " + js.substring(0, Math.min(40, js.length())));
      }
      ObjectMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES).build();
      try (JsonParser p = json.createParser(js.substring(start))) {
        return ((JsonNode) json.readTree(p)).path("stats");
      }
    }
  }

  private GatlingRun() {}

  static Result run(Class<? extends Simulation> simulation, Path resultsDir, Map<String, String> properties) throws IOException {
    Files.createDirectories(resultsDir);
    Map<String, String> saved = new HashMap<>();
    properties.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
    int code;
    try {
      code =
          io.gatling.app.Gatling$.MODULE$.fromArgs(
              new String[] {"--simulation", simulation.getName(), "--results-folder", resultsDir.toAbsolutePath().toString(), "--launcher", "maven"});
    } finally {
      saved.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
    try (Stream<Path> runs = Files.list(resultsDir)) {
      Path latest = runs.filter(Files::isDirectory).max(Comparator.comparingLong(GatlingRun::modified)).orElseThrow(() -> new IOException("Gatling wrote no run under " + resultsDir));
      return new Result(code, latest);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
