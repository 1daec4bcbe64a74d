package dev.softkey.hybrid.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tunnel server over real loopback WebSockets, driven by softkey's own tunnel client. */
class TunnelServerTest {
  private static final Duration T = Duration.ofSeconds(5);
  private TunnelServer server = TunnelServer.startLoopback(0);

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  private static String hex(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void newThenConnect_relaysBinaryMessagesBothWays_andGivesTheRoutingId() throws Exception {
    String tunnel = hex(16, 0xAB);
    try (TunnelClient authenticator = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T)) {
      String routing = authenticator.responseHeader("X-caBLE-Routing-ID").orElseThrow();
      assertThat(routing).hasSize(6);
      // Chromium writes hex in upper case: the server must accept it.
      try (TunnelClient initiator = TunnelClient.connect(uri("/cable/connect/" + routing + "/" + tunnel.toUpperCase()), Map.of(), T)) {
        initiator.send(new byte[] {1, 2, 3});
        assertThat(authenticator.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(1, 2, 3));
        authenticator.send(new byte[] {4});
        assertThat(initiator.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(4));
      }
    }
  }

  @Test
  void messagesSentBeforeThePeerArrives_areDelivered() throws Exception {
    String tunnel = hex(16, 0x01);
    try (TunnelClient authenticator = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T)) {
      authenticator.send(new byte[] {9, 9});
      try (TunnelClient initiator = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
        assertThat(initiator.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(9, 9));
      }
    }
  }

  @Test
  void onClose_runsWhenThePeerLeaves_andAtOnceWhenRegisteredAfterwards() throws Exception {
    String tunnel = hex(16, 0x0C);
    try (TunnelClient authenticator = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T)) {
      CountDownLatch closed = new CountDownLatch(1);
      authenticator.onClose(closed::countDown);
      try (TunnelClient initiator = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
        initiator.send(new byte[] {1});
        assertThat(authenticator.receive(T)).isPresent();
        assertThat(closed.getCount()).as("open while both are there").isEqualTo(1);
      }
      // The initiator left: the server closes the other side too, and the callback runs.
      assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(authenticator.isOpen()).isFalse();
      CountDownLatch late = new CountDownLatch(1);
      authenticator.onClose(late::countDown);
      assertThat(late.getCount()).as("registered after the close: ran on this thread").isZero();
    }
  }

  @Test
  void unknownTunnel_is404_andTheServerKeepsServing() throws Exception {
    assertThatThrownBy(() -> TunnelClient.connect(uri("/cable/connect/000000/" + hex(16, 7)), Map.of(), T))
        .isInstanceOfSatisfying(TunnelClient.RefusedException.class, e -> assertThat(e.status()).isEqualTo(404));
    newThenConnect_relaysBinaryMessagesBothWays_andGivesTheRoutingId();
  }

  @Test
  void malformedPaths_are400_or404_andDuplicateTunnel_is409() throws Exception {
    assertThatThrownBy(() -> TunnelClient.connect(uri("/cable/new/xyz"), Map.of(), T))
        .isInstanceOfSatisfying(TunnelClient.RefusedException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> TunnelClient.connect(uri("/other/new/" + hex(16, 1)), Map.of(), T))
        .isInstanceOfSatisfying(TunnelClient.RefusedException.class, e -> assertThat(e.status()).isEqualTo(404));
    String tunnel = hex(16, 0x22);
    try (TunnelClient first = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T)) {
      assertThatThrownBy(() -> TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T))
          .isInstanceOfSatisfying(TunnelClient.RefusedException.class, e -> assertThat(e.status()).isEqualTo(409));
      assertThat(first.isOpen()).isTrue();
    }
  }

  @Test
  void tooManyMessages_closeTheTunnel() throws Exception {
    server.close();
    server =
        TunnelServer.start(new InetSocketAddress("127.0.0.1", 0),
            new TunnelServer.Limits(Duration.ofSeconds(60), 2, 1024, Duration.ofSeconds(60)), Optional.empty(), ContactDirectory.none());
    String tunnel = hex(16, 0x33);
    try (TunnelClient a = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T);
        TunnelClient i = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
      i.send(new byte[] {1});
      i.send(new byte[] {2});
      i.send(new byte[] {3});
      assertThat(a.receive(T)).isPresent();
      assertThat(a.receive(T)).isPresent();
      assertThatThrownBy(() -> a.receive(T)).isInstanceOf(IOException.class);
      assertThat(server.openTunnels()).isZero();
    }
  }

  @Test
  void oversizeMessage_closesThatTunnelOnly() throws Exception {
    server.close();
    server =
        TunnelServer.start(new InetSocketAddress("127.0.0.1", 0),
            new TunnelServer.Limits(Duration.ofSeconds(60), 16, 1024, Duration.ofSeconds(60)), Optional.empty(), ContactDirectory.none());
    String tunnel = hex(16, 0x44);
    try (TunnelClient a = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T);
        TunnelClient i = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T)) {
      i.send(new byte[4096]);
      assertThatThrownBy(() -> a.receive(T)).isInstanceOf(IOException.class);
    }
    messagesSentBeforeThePeerArrives_areDelivered();
  }

  @Test
  void unpairedTunnel_expires() throws Exception {
    server.close();
    server =
        TunnelServer.start(new InetSocketAddress("127.0.0.1", 0),
            new TunnelServer.Limits(Duration.ofSeconds(60), 16, 1024, Duration.ofMillis(300)), Optional.empty(), ContactDirectory.none());
    try (TunnelClient a = TunnelClient.connect(uri("/cable/new/" + hex(16, 0x55)), Map.of(), T)) {
      assertThatThrownBy(() -> a.receive(T)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void contact_knocksTheRegisteredAuthenticator_signalsAndRelays() throws Exception {
    byte[] contactId = {7, 7, 7, 7};
    CompletableFuture<ContactDirectory.Knock> knock = new CompletableFuture<>();
    server.close();
    server =
        TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), TunnelServer.Limits.DEFAULT, Optional.empty(),
            id -> java.util.Arrays.equals(id, contactId) ? Optional.of(knock::complete) : Optional.empty());
    assertThatThrownBy(() -> TunnelClient.connect(uri("/cable/contact/AAAA"), Map.of("X-caBLE-Client-Payload", "a0"), T))
        .isInstanceOfSatisfying(TunnelClient.RefusedException.class, e -> assertThat(e.status()).isEqualTo(410));
    try (TunnelClient initiator =
        TunnelClient.connect(uri("/cable/contact/BwcHBw"), Map.of("X-caBLE-Client-Payload", "A1016161", "X-caBLE-Signal-Connection", "true"), T)) {
      assertThat(initiator.responseHeader("X-caBLE-Signal-Connection")).contains("true");
      ContactDirectory.Knock k = knock.get(5, TimeUnit.SECONDS);
      assertThat(k.clientPayload()).containsExactly(0xA1, 0x01, 0x61, 0x61);
      String path = "/cable/connect/" + HexFormat.of().formatHex(k.routingId()) + "/" + HexFormat.of().formatHex(k.tunnelId());
      try (TunnelClient phone = TunnelClient.connect(uri(path), Map.of(), T)) {
        assertThat(initiator.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(0)); // connect signal
        phone.send(new byte[] {5});
        assertThat(initiator.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(5));
      }
    }
  }

  @Test
  void peerClosing_closesTheOtherEnd() throws Exception {
    String tunnel = hex(16, 0x66);
    try (TunnelClient a = TunnelClient.connect(uri("/cable/new/" + tunnel), Map.of(), T)) {
      TunnelClient i = TunnelClient.connect(uri("/cable/connect/000000/" + tunnel), Map.of(), T);
      i.close();
      assertThatThrownBy(() -> a.receive(T)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void tls_wssRelaysWithTheServersOwnCertificate_andUntrustedClientsFail() throws Exception {
    // A self-signed certificate made here with Bouncy Castle (netty's SelfSignedCertificate helper).
    io.netty.handler.ssl.util.SelfSignedCertificate cert = new io.netty.handler.ssl.util.SelfSignedCertificate("localhost");
    server.close();
    server =
        TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), TunnelServer.Limits.DEFAULT,
            Optional.of(io.netty.handler.ssl.SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build()), ContactDirectory.none());
    Optional<io.netty.handler.ssl.SslContext> trusting =
        Optional.of(io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(cert.certificate()).build());
    String tunnel = hex(16, 0x77);
    URI newUri = URI.create("wss://localhost:" + server.port() + "/cable/new/" + tunnel);
    assertThatThrownBy(() -> TunnelClient.connect(newUri, Map.of(), T)).isInstanceOf(IOException.class);
    try (TunnelClient a = TunnelClient.connect(newUri, Map.of(), T, trusting);
        TunnelClient i = TunnelClient.connect(URI.create("wss://localhost:" + server.port() + "/cable/connect/000000/" + tunnel), Map.of(), T, trusting)) {
      i.send(new byte[] {42});
      assertThat(a.receive(T)).hasValueSatisfying(m -> assertThat(m).containsExactly(42));
    }
    cert.delete();
  }
}
