package dev.softkey.cli;

import dev.softkey.hybrid.tunnel.ContactDirectory;
import dev.softkey.hybrid.tunnel.TunnelServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey tunnel-server}: a caBLE v2 tunnel server until Ctrl-C. */
@Command(
    name = "tunnel-server",
    mixinStandardHelpOptions = true,
    description = {
      "Run a caBLE v2 (hybrid) tunnel server until Ctrl-C: /cable/new, /cable/connect, /cable/contact.",
      "Prints one ready line with its URL; point 'hybrid' commands at it with --tunnel-url.",
      "Limits connections (in all and per address) and times out slow requests, idle and unpaired tunnels; each refusal is logged as one line."
    })
final class TunnelServerCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--port", paramLabel = "P", description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port = 8080;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind. Default: ${DEFAULT-VALUE} (loopback only).")
  String host = "127.0.0.1";

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve wss:// with this certificate chain (PEM); needs --tls-key. Default: plain ws://.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key (PKCS#8 PEM) for --tls-cert. Default: none.")
  Path tlsKey;

  @Option(names = "--max-connections", paramLabel = "N",
      description = "TCP connections open at once, in all; one more is answered 503 (ws://) or closed at once (wss://). Default: ${DEFAULT-VALUE}.")
  int maxConnections = TunnelServer.Limits.DEFAULT.maxConnections();

  @Option(names = "--max-connections-per-address", paramLabel = "N",
      description = "TCP connections open at once from one source address (clients behind one NAT share it). Default: ${DEFAULT-VALUE}.")
  int maxConnectionsPerAddress = TunnelServer.Limits.DEFAULT.maxConnectionsPerAddress();

  @Option(names = "--request-timeout", paramLabel = "MS",
      description = "Milliseconds from the accept (and TLS handshake) to a complete upgrade request; a slower client gets 408 and a close. Default: ${DEFAULT-VALUE}.")
  long requestTimeoutMillis = TunnelServer.Limits.DEFAULT.requestTimeout().toMillis();

  @Option(names = "--idle-timeout", paramLabel = "MS",
      description = "Milliseconds a paired tunnel may go without a message from either end before it is closed. Default: ${DEFAULT-VALUE}.")
  long idleTimeoutMillis = TunnelServer.Limits.DEFAULT.idleTimeout().toMillis();

  @Option(names = "--unpaired-timeout", paramLabel = "MS",
      description = "Milliseconds a /cable/new (or /cable/contact) tunnel waits for its peer before it is closed. Default: ${DEFAULT-VALUE}.")
  long unpairedTimeoutMillis = TunnelServer.Limits.DEFAULT.unpairedTimeout().toMillis();

  TunnelServerCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    TunnelServer.Limits limits = limits();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new UsageException("--tls-cert and --tls-key go together: give both for wss://, or neither for ws://");
    }
    Optional<SslContext> tls;
    try {
      tls = tlsCert == null ? Optional.empty() : Optional.of(SslContextBuilder.forServer(tlsCert.toFile(), tlsKey.toFile()).build());
    } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
      throw new UsageException("cannot use --tls-cert " + tlsCert + " / --tls-key " + tlsKey + ": " + e.getMessage()
          + " (give a PEM certificate chain and its PKCS#8 PEM private key)", e);
    }
    TunnelServer server = TunnelServer.start(new InetSocketAddress(host, port), limits, tls, ContactDirectory.none());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    root.out().printf("softkey tunnel server ready: %s://%s:%d (endpoints /cable/new, /cable/connect, /cable/contact; Ctrl-C stops)%n",
        tls.isPresent() ? "wss" : "ws", host, server.port());
    root.out().flush();
    stop.await();
    return 0;
  }

  /** The limits the options ask for; a zero or negative one is a usage error naming the option. */
  TunnelServer.Limits limits() {
    positive("--max-connections", maxConnections);
    positive("--max-connections-per-address", maxConnectionsPerAddress);
    positive("--request-timeout", requestTimeoutMillis);
    positive("--idle-timeout", idleTimeoutMillis);
    positive("--unpaired-timeout", unpairedTimeoutMillis);
    return TunnelServer.Limits.DEFAULT
        .withConnections(maxConnections, maxConnectionsPerAddress)
        .withTimeouts(Duration.ofMillis(requestTimeoutMillis), Duration.ofMillis(idleTimeoutMillis), Duration.ofMillis(unpairedTimeoutMillis));
  }

  private static void positive(String option, long value) {
    if (value < 1) {
      throw new UsageException(option + " must be at least 1, got " + value);
    }
  }
}
