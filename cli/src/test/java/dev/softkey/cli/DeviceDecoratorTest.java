package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.ForwardingCtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.session.HybridAuthenticator;
import dev.softkey.hybrid.session.HybridChannel;
import dev.softkey.hybrid.session.HybridInitiator;
import dev.softkey.hybrid.session.HybridOptions;
import dev.softkey.hybrid.tunnel.TunnelServer;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.UdpHidTransport;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The factory's decorator is the one point a fault plan needs: a decorator that refuses
 * getAssertion with CTAP2_ERR_OPERATION_DENIED is what a real CTAPHID client over UDP and a hybrid
 * initiator through the phone session see, while the engine behind it would have signed.
 */
class DeviceDecoratorTest {
  static final String CREATE =
      "{\"publicKey\":{\"rp\":{\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
          + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"}}}";

  /** getAssertion for example.com without an allow list: the discoverable credential would sign. */
  static final byte[] GET_ASSERTION = getAssertion("example.com");

  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger decorated = new AtomicInteger();

  /** What a fault plan does, in its simplest form. */
  final class DenyGetAssertion extends ForwardingCtapDevice {
    DenyGetAssertion(CtapDevice delegate) {
      super(delegate);
      decorated.incrementAndGet();
    }

    @Override
    public byte[] process(byte[] request, OperationContext ctx) {
      if (request.length > 0 && request[0] == CtapCommand.GET_ASSERTION.code()) {
        refused.incrementAndGet();
        return new byte[] {(byte) CtapStatus.CTAP2_ERR_OPERATION_DENIED.code()};
      }
      return super.process(request, ctx);
    }
  }

  final DeviceFactory factory = new DeviceFactory(DenyGetAssertion::new);
  DeviceFactory.Device device;

  static byte[] getAssertion(String rpId) {
    Map<Object, Object> params = new LinkedHashMap<>();
    params.put(1L, rpId);
    params.put(2L, new byte[32]);
    byte[] body = CborEncoder.encode(params);
    byte[] req = new byte[body.length + 1];
    req[0] = (byte) CtapCommand.GET_ASSERTION.code();
    System.arraycopy(body, 0, req, 1, body.length);
    return req;
  }

  @BeforeEach
  void openAndRegister() {
    device = factory.open(new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.of(1), "approve", Optional.empty()));
    // makeCredential passes the decorator: the in-process transport registers a discoverable credential.
    WebAuthnClient.builder(device.transport()).build().create(CREATE, "https://example.com", Optional.empty());
    assertThat(decorated).hasValue(1);
  }

  @AfterEach
  void close() throws Exception {
    device.close();
  }

  @Test
  void inProcessTransport_seesTheDecorator() {
    assertThat(device.transport().transact(GET_ASSERTION)).containsExactly(CtapStatus.CTAP2_ERR_OPERATION_DENIED.code());
    assertThat(refused).hasValue(1);
  }

  @Nested
  class CtapHidOverUdp {
    @Test
    void getAssertion_isDenied_otherCommandsReachTheEngine() throws Exception {
      int devicePort = ServeCommandTest.freePort();
      int replyPort = ServeCommandTest.freePort();
      // What ServeCommand wires for --transport udp.
      UdpBackend backend = UdpBackend.onLoopback(devicePort, replyPort);
      try (CtapHidDevice hid = CtapHidDevice.builder(device.authenticator().orElseThrow()).start(backend);
          CtapHidClient client = CtapHidClient.of(UdpHidTransport.open(devicePort, replyPort))) {
        client.init();
        assertThat(client.cbor(new byte[] {0x04})[0]).isZero();
        assertThat(client.cbor(GET_ASSERTION)).containsExactly(CtapStatus.CTAP2_ERR_OPERATION_DENIED.code());
      } finally {
        backend.close();
      }
      assertThat(refused).hasValue(1);
    }
  }

  @Nested
  class HybridPhone {
    @Test
    void getAssertion_isDenied_overTheTunnel() throws Exception {
      try (TunnelServer server = TunnelServer.startLoopback(0)) {
        InProcessRadio radio = new InProcessRadio();
        HybridOptions options = HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port()));
        // What HybridCommand wires for "hybrid scan".
        HybridAuthenticator phone =
            new HybridAuthenticator(device.authenticator().orElseThrow(), device.state().orElseThrow(), radio, RandomSource.secure(), options, "phone");
        HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), options);
        HybridInitiator.Pending pending = desktop.startQr(RequestType.GET_ASSERTION, false);
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
          assertThat(channel.transact(GET_ASSERTION)).containsExactly(CtapStatus.CTAP2_ERR_OPERATION_DENIED.code());
        }
        assertThat(served.get(30, TimeUnit.SECONDS).ctapRequests()).isEqualTo(1);
      }
      assertThat(refused).hasValue(1);
    }
  }

  @Test
  void theEngineBehindTheDecorator_wouldHaveSigned() {
    // A factory without a decorator, same options and seed: the same request succeeds.
    try (DeviceFactory.Device plain =
        new DeviceFactory().open(new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.of(1), "approve", Optional.empty()))) {
      WebAuthnClient.builder(plain.transport()).build().create(CREATE, "https://example.com", Optional.empty());
      assertThat(plain.transport().transact(GET_ASSERTION)[0]).isZero();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(refused).hasValue(0);
    assertThat(decorated).as("only the decorating factory wraps its engines").hasValue(1);
  }
}
