package dev.softkey.hybrid.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.ForwardingCtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.OperationContext.KeepaliveStatus;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.tunnel.TunnelServer;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A phone request waiting for the user ends when its tunnel closes (OperationContext: "a cancel
 * flag (CTAPHID_CANCEL, a closed tunnel)"): the presence call sees the cancel, the core answers
 * CTAP2_ERR_KEEPALIVE_CANCEL, and the session ends, long before any presence timeout.
 */
class HybridCancelTest {
  /** Failure bound only; a working cancel ends in milliseconds. */
  static final long BOUND_SECONDS = 30;

  /** Blocks until the request's context is cancelled (or the test ends). */
  static final class BlockingPresence implements UserPresence {
    final CountDownLatch waiting = new CountDownLatch(1);
    final CountDownLatch sawCancel = new CountDownLatch(1);
    volatile boolean released;

    @Override
    public Result requestPresence(UserRequest request, OperationContext ctx) {
      waiting.countDown();
      while (!released) {
        if (ctx.isCancelled()) {
          sawCancel.countDown();
          return Result.CANCELLED;
        }
        ctx.keepalive(KeepaliveStatus.UP_NEEDED);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Result.CANCELLED;
        }
      }
      return Result.TIMEOUT;
    }
  }

  /** Keeps the device's answer to makeCredential, which never reaches the gone initiator. */
  static final class Recording extends ForwardingCtapDevice {
    final CompletableFuture<byte[]> makeCredentialResponse = new CompletableFuture<>();

    Recording(CtapDevice delegate) {
      super(delegate);
    }

    @Override
    public byte[] process(byte[] request, OperationContext ctx) {
      byte[] r = super.process(request, ctx);
      if (request.length > 0 && request[0] == CtapCommand.MAKE_CREDENTIAL.code()) {
        makeCredentialResponse.complete(r);
      }
      return r;
    }
  }

  final TunnelServer server = TunnelServer.startLoopback(0);
  final InProcessRadio radio = new InProcessRadio();
  final HybridOptions options = HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port()));
  final BlockingPresence presence = new BlockingPresence();
  final MemoryStore store = new MemoryStore();
  final Recording device = new Recording(Authenticator.builder().store(store).presence(presence).seed(3).build());
  final HybridAuthenticator phone = new HybridAuthenticator(device, store, radio, RandomSource.seeded(4), options, "phone");
  final HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), options);

  CompletableFuture<HybridAuthenticator.Outcome> phoneRun;
  HybridChannel channel;
  CompletableFuture<byte[]> desktopRequest;
  boolean serverClosed;

  @AfterEach
  void stop() {
    presence.released = true; // a failed test must not leave the phone waiting
    if (channel != null) {
      channel.close();
    }
    if (!serverClosed) {
      server.close(); // TunnelServer.close() is not idempotent
    }
  }

  static byte[] makeCredential() {
    byte[] body = CborEncoder.encode(CtapTestClient.makeCredential("example.com", new byte[] {1}, List.of(-7L), null));
    byte[] req = new byte[body.length + 1];
    req[0] = (byte) CtapCommand.MAKE_CREDENTIAL.code();
    System.arraycopy(body, 0, req, 1, body.length);
    return req;
  }

  /** The phone scans, the desktop connects and sends makeCredential; returns once the phone waits for the user. */
  void makeCredentialWaitingForTheUser() throws Exception {
    HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, false);
    phoneRun =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return phone.serveQr(pending.fidoUrl());
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    channel = pending.connect();
    desktopRequest = CompletableFuture.supplyAsync(() -> channel.transact(makeCredential()));
    assertThat(presence.waiting.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the phone asks for presence").isTrue();
  }

  void assertCancelledPromptly() throws Exception {
    assertThat(presence.sawCancel.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the presence call saw the cancel").isTrue();
    assertThat(device.makeCredentialResponse.get(BOUND_SECONDS, TimeUnit.SECONDS))
        .containsExactly(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL.code());
    // The session ends with the tunnel: no answer can be delivered any more.
    try {
      phoneRun.get(BOUND_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("the phone session should fail with the closed tunnel");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).hasRootCauseInstanceOf(IOException.class).hasMessageContaining("tunnel closed");
    }
    assertThat(store.count()).as("no credential was made").isZero();
  }

  @Nested
  class WhileThePhoneWaitsForTheUser {
    @Test
    void initiatorClosesTheTunnel_requestEndsWithKeepaliveCancel() throws Exception {
      makeCredentialWaitingForTheUser();
      channel.close(); // the desktop gives up, from another thread than the waiting transact
      assertCancelledPromptly();
      try {
        desktopRequest.get(BOUND_SECONDS, TimeUnit.SECONDS);
        throw new AssertionError("the desktop's request should fail once it closed the session");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(CtapException.class);
        assertThat(((CtapException) e.getCause()).status()).isEqualTo(CtapStatus.CTAP1_ERR_OTHER);
      }
    }

    @Test
    void tunnelServerGoes_requestEndsWithKeepaliveCancel() throws Exception {
      makeCredentialWaitingForTheUser();
      serverClosed = true;
      server.close(); // closes both WebSockets ("server shutting down")
      assertCancelledPromptly();
    }
  }

  @Test
  void withoutAClose_thePhoneKeepsWaiting_andAnswersWhatThePresenceSays() throws Exception {
    // The control case: nothing closes, so the presence is not cancelled; released, it answers
    // TIMEOUT and the desktop receives CTAP2_ERR_USER_ACTION_TIMEOUT through the open tunnel.
    makeCredentialWaitingForTheUser();
    assertThat(presence.sawCancel.getCount()).isEqualTo(1);
    presence.released = true;
    assertThat(desktopRequest.get(BOUND_SECONDS, TimeUnit.SECONDS)).containsExactly(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT.code());
    assertThat(presence.sawCancel.getCount()).as("nothing cancelled the request").isEqualTo(1);
  }
}
