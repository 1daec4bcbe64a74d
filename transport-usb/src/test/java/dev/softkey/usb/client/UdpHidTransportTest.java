package dev.softkey.usb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.crypto.RandomSource;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP on loopback only, ephemeral ports, a device thread that stops when its socket closes. */
class UdpHidTransportTest {
  final InetAddress loopback = InetAddress.getLoopbackAddress();
  final DatagramSocket deviceSocket;
  final FakeCtapHidDevice device = new FakeCtapHidDevice();
  Thread deviceThread;

  UdpHidTransportTest() throws SocketException {
    deviceSocket = new DatagramSocket(new InetSocketAddress(loopback, 0));
  }

  /** Serves the fake device: each 64-byte datagram in, its answers out to {@code replyPort}. */
  void serve(int replyPort) {
    deviceThread =
        new Thread(
            () -> {
              byte[] buf = new byte[128];
              try {
                while (true) {
                  DatagramPacket p = new DatagramPacket(buf, buf.length);
                  deviceSocket.receive(p);
                  List<byte[]> answers;
                  synchronized (device) {
                    answers = device.handle(java.util.Arrays.copyOf(buf, p.getLength()));
                  }
                  for (byte[] a : answers) {
                    deviceSocket.send(new DatagramPacket(a, a.length, new InetSocketAddress(loopback, replyPort)));
                  }
                }
              } catch (java.io.IOException e) {
                // socket closed: the test is over
              }
            },
            "fake-udp-device");
    deviceThread.setDaemon(true);
    deviceThread.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    deviceSocket.close();
    if (deviceThread != null) {
      deviceThread.join(5000);
    }
  }

  @Test
  void ctapHidClient_runsOverUdp() {
    try (UdpHidTransport t = UdpHidTransport.open(deviceSocket.getLocalPort(), 0)) {
      serve(t.localPort());
      CtapHidClient c = CtapHidClient.builder(t).random(RandomSource.seeded(3)).timeout(Duration.ofSeconds(5)).build();

      InitResponse r = c.init();
      byte[] data = CtapHidClientTest.sequence(1000);
      byte[] echo = c.ping(data);
      device.keepalivesBeforeCbor = 2;
      byte[] cbor = c.cbor(new byte[] {0x04});

      assertThat(r.channelId()).isEqualTo(0x0A0B0C01);
      assertThat(echo).isEqualTo(data);
      assertThat(cbor).containsExactly(0x04);
    }
  }

  @Test
  void read_dropsDatagramsThatAreNotOneReport_andTimesOutEmpty() throws Exception {
    try (UdpHidTransport t = UdpHidTransport.open(deviceSocket.getLocalPort(), 0)) {
      InetSocketAddress client = new InetSocketAddress(loopback, t.localPort());
      deviceSocket.send(new DatagramPacket(new byte[10], 10, client));
      deviceSocket.send(new DatagramPacket(new byte[65], 65, client));
      byte[] report = CtapHidClientTest.sequence(64);
      deviceSocket.send(new DatagramPacket(report, 64, client));

      assertThat(t.read(Duration.ofSeconds(5))).hasValueSatisfying(r -> assertThat(r).isEqualTo(report));
      assertThat(t.read(Duration.ofMillis(50))).isEmpty();
    }
  }

  @Test
  void write_sendsOneDatagramPerReport() throws Exception {
    try (UdpHidTransport t = UdpHidTransport.open(deviceSocket.getLocalPort(), 0)) {
      byte[] report = CtapHidClientTest.sequence(64);
      t.write(report);
      deviceSocket.setSoTimeout(5000);
      DatagramPacket p = new DatagramPacket(new byte[128], 128);
      deviceSocket.receive(p);

      assertThat(p.getLength()).isEqualTo(64);
      assertThat(java.util.Arrays.copyOf(p.getData(), 64)).isEqualTo(report);
      assertThat(p.getPort()).isEqualTo(t.localPort());
      assertThatThrownBy(() -> t.write(new byte[63])).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void replyPortInUse_isAClearError() {
    int taken = deviceSocket.getLocalPort();

    assertThatThrownBy(() -> UdpHidTransport.open(8111, taken))
        .isInstanceOf(HidTransportException.class)
        .hasMessageContaining("cannot listen on UDP 127.0.0.1:" + taken);
  }

  @Test
  void noDevice_isATimeoutNamingTheAddress() {
    // deviceSocket is bound but never answers: what a client sees when no simulator runs.
    try (UdpHidTransport t = UdpHidTransport.open(deviceSocket.getLocalPort(), 0)) {
      CtapHidClient c = CtapHidClient.builder(t).timeout(Duration.ofMillis(200)).build();

      assertThatThrownBy(c::init)
          .isInstanceOf(HidTimeoutException.class)
          .hasMessageStartingWith("no CTAPHID_INIT answer from udp 127.0.0.1:" + deviceSocket.getLocalPort())
          .hasMessageEndingWith("within 200 ms");
    }
  }

  @Test
  void closedTransport_failsWithTransportException() {
    UdpHidTransport t = UdpHidTransport.open(deviceSocket.getLocalPort(), 0);
    t.close();
    t.close();

    assertThatThrownBy(() -> t.read(Duration.ofMillis(10))).isInstanceOf(HidTransportException.class);
    assertThat(Optional.of(t.describe())).hasValueSatisfying(d -> assertThat(d).startsWith("udp 127.0.0.1:"));
  }
}
