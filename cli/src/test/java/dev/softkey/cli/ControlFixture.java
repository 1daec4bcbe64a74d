package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * {@code softkey serve --control} run in this JVM (a thread running {@link Main}'s command line,
 * stopped through {@link SoftkeyCommand#requestStop}) and a plain HTTP client of its API, for the
 * control tests.
 */
final class ControlFixture implements AutoCloseable {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Path controlDir;
  private final SoftkeyCommand root;
  private final CompletableFuture<Integer> exit;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  URI base;
  String token;

  /** Starts {@code softkey ARGS} (a serve with {@code --control-dir controlDir}) and waits for the endpoint file. */
  ControlFixture(Path controlDir, String... args) throws Exception {
    this.controlDir = controlDir;
    CommandLine cl = new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
        .commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    root = cl.getCommand();
    exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!stdout().contains("softkey control: ")) {
      if (exit.isDone()) {
        throw new AssertionError("serve ended with " + exit.get() + ": " + stderr());
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("serve --control did not start: " + stderr());
      }
      Thread.sleep(20);
    }
    base = URI.create(Files.readString(controlDir.resolve("endpoint")).strip());
    token = Files.readString(controlDir.resolve("token")).strip();
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code value} of a successful call. */
  JsonNode value(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body, token);
    if (r.statusCode() != 200) {
      throw new AssertionError(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return Json.MAPPER.readTree(r.body()).get("value");
  }

  /** Stops serve and returns its exit code. */
  int stop() throws Exception {
    root.requestStop();
    return exit.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (!exit.isDone()) {
      stop();
    }
  }
}
