package dev.softkey.cli;

import dev.softkey.hybrid.tunnel.ContactDirectory;
import dev.softkey.hybrid.tunnel.TunnelServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
      "Prints one ready line with its URL; point 'hybrid' commands at it with --tunnel-url."
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

  TunnelServerCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
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
    TunnelServer server = TunnelServer.start(new InetSocketAddress(host, port), TunnelServer.Limits.DEFAULT, tls, ContactDirectory.none());
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
}
