package dev.softkey.hybrid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What 500 idle connections hold, in descriptors ({@code /proc/self/fd}) and threads, before and
 * after the request timeout; the figures printed here are the ones in docs/hardening.md. Client
 * and server share this JVM, so each open connection is two descriptors until both ends close.
 */
@EnabledOnOs(OS.LINUX)
class TunnelServerFootprintTest {
  private static final int N = 500;

  private static int descriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static List<Socket> open(TunnelServer server, int n) throws IOException {
    List<Socket> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      s.connect(server.address());
      s.setSoTimeout(10_000);
      out.add(s);
    }
    return out;
  }

  private static String firstLine(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] b = in.readNBytes(12);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static void awaitOpen(TunnelServer server, int n, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (server.openConnections() != n && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
  }

  @Test
  void fiveHundredIdleConnections_defaultCaps_holdOnlyThePerAddressCap() throws Exception {
    TunnelServer.Limits limits = TunnelServer.Limits.DEFAULT.withTimeouts(Duration.ofMillis(1000), Duration.ofSeconds(60), Duration.ofSeconds(120));
    try (TunnelServer server = TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), limits, Optional.empty(), ContactDirectory.none())) {
      int fd0 = descriptors();
      int th0 = threads();
      List<Socket> clients = open(server, N);
      awaitOpen(server, limits.maxConnectionsPerAddress(), 5000);
      int refused = 0;
      for (Socket s : clients.subList(limits.maxConnectionsPerAddress(), N)) {
        if (firstLine(s).equals("HTTP/1.1 503")) {
          refused++;
        }
      }
      Thread.sleep(200);
      int heldFds = descriptors() - fd0 - N; // minus the client ends
      System.out.printf("FIGURES default caps: %d idle connections from one address: %d admitted, %d refused 503; server descriptors held %d, threads %+d%n",
          N, server.openConnections(), refused, heldFds, threads() - th0);
      assertThat(server.openConnections()).isEqualTo(limits.maxConnectionsPerAddress());
      assertThat(refused).isEqualTo(N - limits.maxConnectionsPerAddress());
      assertThat(heldFds).isLessThanOrEqualTo(limits.maxConnectionsPerAddress() + 10);
      for (Socket s : clients) {
        s.close();
      }
    }
  }

  @Test
  void fiveHundredIdleConnections_underTheCaps_areAllClosedAtTheRequestTimeout_withNoThreadPerConnection() throws Exception {
    TunnelServer.Limits limits =
        TunnelServer.Limits.DEFAULT.withConnections(512, 1000).withTimeouts(Duration.ofMillis(1000), Duration.ofSeconds(60), Duration.ofSeconds(120));
    try (TunnelServer server = TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), limits, Optional.empty(), ContactDirectory.none())) {
      int fd0 = descriptors();
      int th0 = threads();
      long t0 = System.nanoTime();
      List<Socket> clients = open(server, N);
      awaitOpen(server, N, 5000);
      int held = server.openConnections();
      int heldFds = descriptors() - fd0 - N;
      int heldThreads = threads() - th0;
      int answered408 = 0;
      for (Socket s : clients) {
        if (firstLine(s).equals("HTTP/1.1 408")) {
          answered408++;
        }
      }
      awaitOpen(server, 0, 5000);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      for (Socket s : clients) {
        s.close();
      }
      Thread.sleep(200);
      int afterFds = descriptors() - fd0;
      System.out.printf("FIGURES raised per-address cap: %d idle connections: %d held (server descriptors %d, threads %+d); "
          + "%d answered 408, all closed within %d ms of the first connect; afterwards descriptors %+d, threads %+d%n",
          N, held, heldFds, heldThreads, answered408, ms, afterFds, threads() - th0);
      assertThat(held).isEqualTo(N);
      assertThat(answered408).isEqualTo(N);
      assertThat(server.openConnections()).isZero();
      assertThat(afterFds).isLessThanOrEqualTo(5);
      assertThat(heldThreads).as("the server's one event-loop thread serves them all").isLessThanOrEqualTo(2);
    }
  }
}
