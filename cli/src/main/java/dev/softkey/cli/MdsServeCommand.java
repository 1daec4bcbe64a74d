package dev.softkey.cli;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.attestation.TlsServerCertificate;
import dev.softkey.metadata.MetadataServer;
import dev.softkey.metadata.PublishedMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey mds serve}: the BLOB, the root and the CRLs over HTTP(S) on loopback until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve softkey's metadata on a loopback address until Ctrl-C: the MDS3 BLOB at / and /mds.jwt, the root at /root.pem and /root.crt,"
          + " the CRLs at /crl/<name>.crl (listed at /crl/); POST /refresh re-exports with the next 'no'.",
      "Prints one ready line with the URL."
    })
final class MdsServeCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--port", paramLabel = "N", description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port = 8181;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Loopback address to bind (127.0.0.1, ::1, localhost). Default: ${DEFAULT-VALUE}.")
  String bind = "127.0.0.1";

  @Option(names = "--tls",
      description = "Serve HTTPS with a server certificate for localhost and the bound address issued by the installation's root"
          + " (trust the root for TLS, as for attestation). Default: plain HTTP.")
  boolean tls;

  @Option(names = "--fresh", description = "Re-export (the next 'no') on every BLOB request, not only on POST /refresh. Default: off.")
  boolean fresh;

  @Mixin MdsOptions mds;

  MdsServeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    Loopback.checkPort(port);
    InetAddress address = Loopback.address("--bind", bind, "softkey's test metadata is served");
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    AttestationCa ca = root.factory().attestationCa(o);
    PublishedMetadata content = new PublishedMetadata(ca, mds.blob(ca, o.seed()), mds.options(o.seed()));
    content.current(); // export now: a bad switch fails here, not on the first request
    Optional<TlsServerCertificate> cert =
        tls ? Optional.of(ca.tlsServer(List.of("localhost", address.getHostAddress()))) : Optional.empty();
    MetadataServer server;
    try {
      server = MetadataServer.start(new InetSocketAddress(address, port), cert, content, fresh);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bind + ":" + port + ": " + IoErrors.reason(e) + " (try another --port, or 0)", e);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    root.out().printf("softkey mds server ready: %s (BLOB no %d at /mds.jwt, root at /root.pem, CRLs at /crl/, POST /refresh re-exports; Ctrl-C stops)%n",
        server.baseUri(), content.current().no());
    root.out().flush();
    stop.await();
    return 0;
  }
}
