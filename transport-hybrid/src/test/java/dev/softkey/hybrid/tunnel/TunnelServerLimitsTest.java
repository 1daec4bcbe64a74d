package dev.softkey.hybrid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tunnel server's limits over real loopback sockets: raw {@link Socket}s play the abusive
 * clients (Linux routes all of 127/8 to loopback, so 127.0.0.2 is a second source address), the
 * real {@link TunnelClient} plays phone and desktop. Limits are hundreds of milliseconds.
 */
class TunnelServerLimitsTest {
  private static final Duration T = Duration.ofSeconds(5);
  private static final String OTHER_ADDRESS = "127.0.0.2";
  private TunnelServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(TunnelServer.Limits limits) {
    server = TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), limits, Optional.empty(), ContactDirectory.none());
  }

  private static TunnelServer.Limits limits(int max, int perAddress, long requestMs, long idleMs, long unpairedMs) {
    return new TunnelServer.Limits(Duration.ofSeconds(60), 1000, 1024, Duration.ofMillis(unpairedMs), max, perAddress,
        Duration.ofMillis(requestMs), Duration.ofMillis(idleMs));
  }

  private Socket raw(String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(server.address());
    s.setSoTimeout((int) T.toMillis());
    return s;
  }

  /** Everything the server sends until it closes; fails (SocketTimeoutException) if it does not close within T. */
  private static String untilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a close with unread bytes from us arrives as a reset after the answer
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private void awaitOpenConnections(int n) throws InterruptedException {
    long end = System.nanoTime() + T.toNanos();
    while (server.openConnections() != n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(server.openConnections()).isEqualTo(n);
  }

  private static String hex16(int fill) {
    byte[] b = new byte[16];
    java.util.Arrays.fill(b, (byte) fill);
    return HexFormat.of().formatHex(b);
  }

  private URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  @Nested
  class ConnectionCaps {
    @Test
    void nPlusOneConnections_theLastGets503AndAClose_thenAFreedSlotIsUsable() throws Exception {
      start(limits(3, 10, 5000, 5000, 5000));
      Socket first = raw("127.0.0.1");
      raw("127.0.0.1");
      raw("127.0.0.1");
      awaitOpenConnections(3);
      Socket fourth = raw("127.0.0.1");
      assertThat(untilClosed(fourth)).startsWith("HTTP/1.1 503 Service Unavailable\r\n").contains("Connection: close").endsWith("too many connections\n");
      assertThat(server.openConnections()).isEqualTo(3);
      first.close();
      awaitOpenConnections(2);
      Socket again = raw("127.0.0.1");
      awaitOpenConnections(3);
      again.setSoTimeout(300);
      assertThatThrownBy(() -> again.getInputStream().read()).as("admitted: the server waits for its request").isInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    void perAddressCap_refusesThatAddressOnly() throws Exception {
      start(limits(100, 2, 5000, 5000, 5000));
      raw("127.0.0.1");
      raw("127.0.0.1");
      awaitOpenConnections(2);
      assertThat(untilClosed(raw("127.0.0.1"))).startsWith("HTTP/1.1 503 ");
      raw(OTHER_ADDRESS);
      awaitOpenConnections(3);
    }

    @Test
    void aRefusedConnection_doesNotStopAGoodPairingFromAnotherAddress() throws Exception {
      start(limits(100, 2, 5000, 5000, 5000));
      raw(OTHER_ADDRESS);
      raw(OTHER_ADDRESS);
      assertThat(untilClosed(raw(OTHER_ADDRESS))).startsWith("HTTP/1.1 503 ");
      pairAndExchange(0x31, 3);
    }
  }

  @Nested
  class Timeouts {
    @Test
    void aSilentConnection_isAnswered408AndClosedOnTime() throws Exception {
      start(limits(10, 10, 300, 5000, 5000));
      long t0 = System.nanoTime();
      String answer = untilClosed(raw("127.0.0.1"));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
      assertThat(ms).isBetween(250L, 2000L);
      awaitOpenConnections(0);
    }

    @Test
    void aSlowRequest_oneByteAtATime_isClosedOnTime() throws Exception {
      start(limits(10, 10, 500, 5000, 5000));
      Socket s = raw("127.0.0.1");
      AtomicInteger sent = new AtomicInteger();
      Thread dripper = new Thread(() -> drip(s, sent, 100));
      long t0 = System.nanoTime();
      dripper.start();
      String answer = untilClosed(s);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      dripper.interrupt();
      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
      assertThat(ms).isBetween(450L, 2500L);
      assertThat(sent.get()).as("bytes dripped before the close").isBetween(2, 30);
    }

    @Test
    void aPairedTunnelWithoutFrames_isClosedAfterTheIdleTimeout_butTrafficKeepsItOpen() throws Exception {
      start(limits(10, 10, 5000, 400, 5000));
      String tunnel = hex16(0x41);
      try (TunnelClient phone = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T);
          TunnelClient desktop = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
        // Traffic every 150 ms for 1.2 s (3 idle periods): still open.
        for (int i = 0; i < 8; i++) {
          desktop.send(new byte[] {(byte) i});
          assertThat(phone.receive(T)).hasValueSatisfying(m -> assertThat(m).hasSize(1));
          Thread.sleep(150);
        }
        assertThat(phone.isOpen()).isTrue();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> phone.receive(T)).isInstanceOf(IOException.class);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).isBetween(150L, 2000L);
        assertThat(server.openTunnels()).isZero();
      }
    }

    @Test
    void anUnpairedNewTunnel_isClosedAfterTheUnpairedTimeout() throws Exception {
      start(limits(10, 10, 5000, 5000, 300));
      long t0 = System.nanoTime();
      try (TunnelClient phone = TunnelClient.connect(uri("/cable/new/" + hex16(0x42)), Map.of(), T)) {
        assertThatThrownBy(() -> phone.receive(T)).isInstanceOf(IOException.class);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 2500L);
      awaitOpenConnections(0);
    }
  }

  @Nested
  class MalformedRequests {
    private String answerTo(byte[] request) throws Exception {
      Socket s = raw("127.0.0.1");
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      long t0 = System.nanoTime();
      String answer = untilClosed(s);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("answered at once, not at the 10 s deadline").isLessThan(3000);
      return answer;
    }

    private String answerTo(String request) throws Exception {
      return answerTo(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void fiveHundredNulBytes_are400AndClosed() throws Exception {
      start(limits(10, 10, 10_000, 5000, 5000));
      assertThat(answerTo(new byte[500])).startsWith("HTTP/1.1 400 Bad Request\r\n").doesNotContain("\0");
    }

    @Test
    void garbage_aBrokenRequestLine_aControlCharacter_andANonUpgradeRequest_are400() throws Exception {
      start(limits(10, 10, 10_000, 5000, 5000));
      assertThat(answerTo("hello world\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      assertThat(answerTo("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      assertThat(answerTo("GET / HTTP/1.1\r\nHost: a\u0001b\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      assertThat(answerTo("GET /cable/new/" + hex16(1) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ").contains("expected a WebSocket upgrade");
      assertThat(answerTo("POST /cable/new HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void anOversizeHeaderSection_is431() throws Exception {
      start(limits(10, 10, 10_000, 5000, 5000));
      assertThat(answerTo("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void afterTheRefusals_theServerStillPairs() throws Exception {
      start(limits(10, 10, 10_000, 5000, 5000));
      answerTo(new byte[500]);
      answerTo("GARBAGE\r\n\r\n");
      pairAndExchange(0x43, 3);
    }
  }

  @Nested
  class Tls {
    @Test
    void aSilentClient_isClosedAtTheDeadlineWithoutAnAnswer_andOneOverTheCapAtOnce() throws Exception {
      io.netty.handler.ssl.util.SelfSignedCertificate cert = new io.netty.handler.ssl.util.SelfSignedCertificate("localhost");
      try {
        server = TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), limits(1, 1, 300, 5000, 5000),
            Optional.of(io.netty.handler.ssl.SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build()), ContactDirectory.none());
        Socket silent = raw("127.0.0.1");
        awaitOpenConnections(1);
        long t0 = System.nanoTime();
        assertThat(untilClosed(raw("127.0.0.1"))).as("over the cap on wss://: closed, no plaintext answer").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(250);
        assertThat(untilClosed(silent)).as("no TLS handshake: closed without an answer").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(200L, 2500L);
        awaitOpenConnections(0);
      } finally {
        cert.delete();
      }
    }
  }

  /** A good pairing keeps working while idle, slowloris, NUL and over-cap clients hammer the server from another address. */
  @Test
  void aGoodPairing_keepsWorkingThroughoutTheAbuse() throws Exception {
    start(limits(64, 40, 300, 1000, 2000));
    AtomicBoolean abusing = new AtomicBoolean(true);
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    AtomicInteger badRequest = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> abuse = new ArrayList<>();
    // idle floods: more connections than the per-address cap, kept open until the server closes them
    for (int w = 0; w < 3; w++) {
      abuse.add(pool.submit(() -> {
        while (abusing.get()) {
          List<Socket> batch = new ArrayList<>();
          try {
            for (int i = 0; i < 20; i++) {
              batch.add(rawUnchecked());
            }
            for (Socket s : batch) {
              String a = untilClosed(s);
              if (a.startsWith("HTTP/1.1 503")) {
                refused.incrementAndGet();
              } else if (a.startsWith("HTTP/1.1 408")) {
                timedOut.incrementAndGet();
              }
            }
          } catch (IOException e) {
            // a reset or a refused connect is what abuse earns
          } finally {
            batch.forEach(TunnelServerLimitsTest::closeQuietly);
          }
        }
        return null;
      }));
    }
    // slowloris: one byte every 50 ms on 2 threads
    for (int w = 0; w < 2; w++) {
      abuse.add(pool.submit(() -> {
        while (abusing.get()) {
          try (Socket s = rawUnchecked()) {
            Thread dripper = new Thread(() -> drip(s, new AtomicInteger(), 50));
            dripper.start();
            if (untilClosed(s).startsWith("HTTP/1.1 408")) {
              timedOut.incrementAndGet();
            }
            dripper.interrupt();
          } catch (IOException e) {
            // as above
          }
        }
        return null;
      }));
    }
    // NUL requests as fast as they are answered
    abuse.add(pool.submit(() -> {
      while (abusing.get()) {
        try (Socket s = rawUnchecked()) {
          s.getOutputStream().write(new byte[500]);
          if (untilClosed(s).startsWith("HTTP/1.1 400")) {
            badRequest.incrementAndGet();
          }
        } catch (IOException e) {
          // as above
        }
      }
      return null;
    }));
    try {
      Thread.sleep(300);
      // One tunnel kept busy for 3 s (well past the request timeout and the idle floods' cycles), then fresh pairings.
      pairAndExchange(0x50, 30);
      for (int i = 0; i < 5; i++) {
        pairAndExchange(0x51 + i, 2);
      }
    } finally {
      abusing.set(false);
      for (Future<?> f : abuse) {
        f.get(20, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
    assertThat(refused.get()).as("over-cap connections refused with 503").isPositive();
    assertThat(timedOut.get()).as("idle and slow requests answered 408").isPositive();
    assertThat(badRequest.get()).as("NUL requests answered 400").isPositive();
  }

  private Socket rawUnchecked() throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(OTHER_ADDRESS, 0));
    s.connect(server.address());
    s.setSoTimeout((int) T.toMillis());
    return s;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** Sends an upgrade request one byte every {@code everyMs} until the socket fails or the thread is interrupted. */
  private static void drip(Socket s, AtomicInteger sent, long everyMs) {
    byte[] request = ("GET /cable/new/" + hex16(9) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: fido.cable\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    try {
      OutputStream out = s.getOutputStream();
      for (byte b : request) {
        out.write(b);
        out.flush();
        sent.incrementAndGet();
        Thread.sleep(everyMs);
      }
    } catch (IOException | InterruptedException e) {
      // closed by the server, or stopped
    }
  }

  /** Phone on /cable/new, desktop on /cable/connect, {@code rounds} messages each way 100 ms apart. */
  private void pairAndExchange(int fill, int rounds) throws Exception {
    String tunnel = hex16(fill);
    try (TunnelClient phone = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T);
        TunnelClient desktop = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
      for (int i = 0; i < rounds; i++) {
        desktop.send(new byte[] {(byte) i, 1});
        byte[] expectedAtPhone = {(byte) i, 1};
        assertThat(phone.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(expectedAtPhone));
        phone.send(new byte[] {(byte) i, 2});
        byte[] expectedAtDesktop = {(byte) i, 2};
        assertThat(desktop.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(expectedAtDesktop));
        if (rounds > 2) {
          Thread.sleep(100);
        }
      }
    }
  }
}
