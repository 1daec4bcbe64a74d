package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.tunnel.TunnelServer;
import dev.softkey.platform.NoReplyException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dropped reply over a real hybrid tunnel (loopback tunnel server, the in-process radio, the real
 * engine behind a fault plan): the phone sends no frame, the desktop's wait ends in
 * NoReplyException, and the session goes on serving the next request.
 */
class HybridNoReplyTest {
  static byte[] makeCredential(byte userId) {
    byte[] body = CborEncoder.encode(CtapTestClient.makeCredential("example.com", new byte[] {userId}, List.of(-7L), CtapTestClient.map("rk", true)));
    byte[] req = new byte[body.length + 1];
    req[0] = (byte) CtapCommand.MAKE_CREDENTIAL.code();
    System.arraycopy(body, 0, req, 1, body.length);
    return req;
  }

  @Test
  void droppedMakeCredentialReply_sendsNothing_theDesktopTimesOut_andTheNextRequestIsServed() throws Exception {
    try (TunnelServer server = TunnelServer.startLoopback(0)) {
      URI base = URI.create("ws://127.0.0.1:" + server.port());
      // The phone waits long for the next frame; the desktop gives up on a reply soon.
      HybridOptions phoneOptions = HybridOptions.loopback(base);
      HybridOptions desktopOptions =
          new HybridOptions(phoneOptions.tunnelDomainId(), phoneOptions.tunnelOverride(), Duration.ofMillis(800), s -> {});
      InProcessRadio radio = new InProcessRadio();
      MemoryStore store = new MemoryStore();
      FaultPlan plan = new FaultPlan(Authenticator.builder().store(store).presence(Presence.approve()).seed(5).build());
      plan.add(FaultRule.dropReply(CtapCommand.MAKE_CREDENTIAL));
      HybridAuthenticator phone = new HybridAuthenticator(plan, store, radio, RandomSource.seeded(6), phoneOptions, "phone");
      HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), desktopOptions);
      HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, false);
      CompletableFuture<HybridAuthenticator.Outcome> served =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return phone.serveQr(pending.fidoUrl());
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      try (HybridChannel channel = pending.connect()) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> channel.transact(makeCredential((byte) 1)))
            .isInstanceOf(NoReplyException.class)
            .hasMessageContaining("did not answer");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(750);
        // The engine made the first credential; only its reply was lost.
        assertThat(store.count()).isEqualTo(1);
        // The next request gets the engine's answer, not a late copy of the dropped one.
        assertThat(channel.transact(makeCredential((byte) 2))[0]).isZero();
        assertThat(store.count()).isEqualTo(2);
      }
      assertThat(served.get(30, TimeUnit.SECONDS).ctapRequests()).isEqualTo(2);
    }
  }
}
