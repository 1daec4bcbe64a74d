package dev.softkey.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The events of one authenticator, fanned out to every open {@code GET .../events} stream as
 * Server-Sent Events (HTML Living Standard section 9.2): {@code id}, {@code event} and one {@code
 * data} line of JSON. Events are queued per subscriber in the order they are published (the
 * publisher's thread, the device's one-request-at-a-time order), so a slow reader never slows the
 * key; a subscriber more than {@link #MAX_QUEUED} events behind loses the oldest.
 */
final class EventHub implements AutoCloseable {
  static final int MAX_QUEUED = 10_000;
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /** One event: its SSE name and JSON data. */
  record Event(long id, String name, JsonNode data) {}

  private static final Event END = new Event(-1, "", Json.object());

  private final Set<BlockingQueue<Event>> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

  /**
   * Publishes an event to every stream open now. {@code data} is made only when a stream is open:
   * the tap calls this for every CTAP message a served device handles, and decoding each one to
   * JSON for nobody would tax every transport.
   */
  void publish(String name, Supplier<JsonNode> data) {
    if (subscribers.isEmpty()) {
      return;
    }
    Event e = new Event(ids.incrementAndGet(), Objects.requireNonNull(name), data.get());
    for (BlockingQueue<Event> q : subscribers) {
      while (!q.offer(e)) {
        q.poll();
      }
    }
  }

  /** Subscribes before the stream answers, so nothing published after this call is missed. */
  BlockingQueue<Event> subscribe() {
    BlockingQueue<Event> q = new LinkedBlockingQueue<>(MAX_QUEUED);
    subscribers.add(q);
    if (closed) {
      q.offer(END);
    }
    return q;
  }

  /** Writes the stream for {@code q} until the client goes away or the hub closes. */
  void stream(BlockingQueue<Event> q, OutputStream out) throws IOException {
    try {
      // A first comment tells the client the subscription is in place.
      out.write(": softkey events\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        Event e;
        try {
          e = q.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        if (e == END) {
          return;
        }
        if (e == null) {
          out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(format(e).getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    } finally {
      subscribers.remove(q);
    }
  }

  static String format(Event e) {
    String data;
    try {
      data = Json.MAPPER.writeValueAsString(e.data());
    } catch (JsonProcessingException ex) {
      data = "{}";
    }
    return "id: " + e.id() + "\nevent: " + e.name() + "\ndata: " + data + "\n\n";
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Ends every stream. */
  @Override
  public void close() {
    closed = true;
    for (BlockingQueue<Event> q : subscribers) {
      q.clear();
      q.offer(END);
    }
  }
}
