package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A test's reader of {@code GET .../events}: Server-Sent Events parsed as they arrive. */
final class EventStream implements AutoCloseable {
  /** One event: its name and JSON data. */
  record Event(String name, JsonNode data) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private volatile Stream<String> lines;

  EventStream(ApiClient api, String authenticatorId) {
    java.net.http.HttpRequest r = api.request("/webauthn/authenticator/" + authenticatorId + "/events")
        .timeout(Duration.ofMinutes(5)).GET().build();
    response = api.http().sendAsync(r, HttpResponse.BodyHandlers.ofLines());
    response.thenAccept(resp -> {
      lines = resp.body();
      String[] name = {null};
      StringBuilder data = new StringBuilder();
      try {
        lines.forEach(line -> {
          if (line.startsWith(": softkey events")) {
            connected.complete(null);
          } else if (line.startsWith("event: ")) {
            name[0] = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          } else if (line.isEmpty() && name[0] != null) {
            try {
              events.add(new Event(name[0], ApiClient.MAPPER.readTree(data.toString())));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
            name[0] = null;
            data.setLength(0);
          }
        });
      } catch (RuntimeException closed) {
        // the stream was closed
      }
    });
  }

  /** Waits until the server has subscribed this stream. */
  EventStream awaitConnected() throws Exception {
    connected.get(10, TimeUnit.SECONDS);
    return this;
  }

  /** The events until one matches {@code last} (included); fails after 10 s. */
  List<Event> until(Predicate<Event> last) throws InterruptedException {
    List<Event> got = new ArrayList<>();
    while (true) {
      Event e = events.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no matching event within 10 s; got " + got);
      }
      got.add(e);
      if (last.test(e)) {
        return got;
      }
    }
  }

  int statusCode() throws Exception {
    return response.get(10, TimeUnit.SECONDS).statusCode();
  }

  @Override
  public void close() {
    if (lines != null) {
      lines.close();
    }
    response.cancel(true);
  }
}
