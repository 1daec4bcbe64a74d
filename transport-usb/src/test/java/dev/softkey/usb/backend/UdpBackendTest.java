package dev.softkey.usb.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UdpBackendTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Echoes each output report back as an input report with byte 4 incremented; counts power cycles. */
  private static final class EchoHandler implements HidReportHandler {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final AtomicInteger powerCycles = new AtomicInteger();
    volatile HidReportSender sender;

    @Override
    public void onOutputReport(byte[] report) {
      received.add(report.clone());
      byte[] reply = report.clone();
      reply[4]++;
      sender.sendInputReport(reply);
    }

    @Override
    public void onPowerCycle() {
      powerCycles.incrementAndGet();
      received.add(new byte[0]);
    }
  }

  private DatagramSocket host;
  private UdpBackend backend;
  private EchoHandler handler;
  private InetSocketAddress device;

  @BeforeEach
  void start() throws IOException {
    host = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    host.setSoTimeout(5_000);
    backend = UdpBackend.onLoopback(0, host.getLocalPort());
    handler = new EchoHandler();
    handler.sender = backend.start(handler);
    device = backend.localAddress().orElseThrow();
  }

  @AfterEach
  void stop() {
    backend.close();
    host.close();
  }

  private static byte[] report(int seed) {
    byte[] r = new byte[64];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) (seed + i);
    }
    return r;
  }

  private void sendToDevice(byte[] datagram) throws IOException {
    host.send(new DatagramPacket(datagram, datagram.length, device));
  }

  private byte[] receiveFromDevice() throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    host.receive(p);
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  @Nested
  class Reports {
    @Test
    void outputReport_reachesHandler_andInputReportReachesHostPort() throws Exception {
      byte[] out = report(1);
      sendToDevice(out);

      assertThat(handler.received.poll(5, TimeUnit.SECONDS)).isEqualTo(out);
      byte[] expected = out.clone();
      expected[4]++;
      assertThat(receiveFromDevice()).isEqualTo(expected);
    }

    @Test
    void manyReports_arriveInOrder() throws Exception {
      for (int i = 0; i < 50; i++) {
        sendToDevice(report(i));
      }
      for (int i = 0; i < 50; i++) {
        byte[] expected = report(i);
        expected[4]++;
        assertThat(receiveFromDevice()).as("reply %d", i).isEqualTo(expected);
      }
    }

    @Test
    void datagramsNotOf64Bytes_areIgnored_andTheDeviceKeepsServing() throws Exception {
      sendToDevice(new byte[0]);
      sendToDevice(new byte[63]);
      sendToDevice(new byte[65]);
      sendToDevice(new byte[1500]);
      byte[] good = report(7);
      sendToDevice(good);

      assertThat(handler.received.poll(5, TimeUnit.SECONDS)).isEqualTo(good);
      assertThat(handler.received).isEmpty();
      byte[] expected = good.clone();
      expected[4]++;
      assertThat(receiveFromDevice()).isEqualTo(expected);
    }

    @Test
    void sender_rejectsReportsNotOf64Bytes() {
      assertThatThrownBy(() -> handler.sender.sendInputReport(new byte[65]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64");
    }

    @Test
    void aFailingHandler_doesNotStopTheReader() throws Exception {
      UdpBackend other = UdpBackend.onLoopback(0, host.getLocalPort());
      BlockingQueue<byte[]> seen = new LinkedBlockingQueue<>();
      HidReportSender[] sender = new HidReportSender[1];
      sender[0] =
          other.start(
              new HidReportHandler() {
                @Override
                public void onOutputReport(byte[] report) {
                  seen.add(report);
                  if (report[0] == 0) {
                    throw new IllegalStateException("boom");
                  }
                  sender[0].sendInputReport(report);
                }

                @Override
                public void onPowerCycle() {}
              });
      try {
        InetSocketAddress otherDevice = other.localAddress().orElseThrow();
        byte[] bad = new byte[64];
        byte[] good = report(9);
        host.send(new DatagramPacket(bad, 64, otherDevice));
        host.send(new DatagramPacket(good, 64, otherDevice));

        assertThat(receiveFromDevice()).isEqualTo(good);
        assertThat(seen).hasSize(2);
      } finally {
        other.close();
      }
    }
  }

  @Nested
  class Reboot {
    @Test
    void rebootPacket_isTheSolo1MagicCommand() {
      // solokeys/solo1 tools/ctap_test.py send_magic_reboot() (also pc/device.c usbhid_recv)
      String solo1 =
          "ac1052ca95e569de69e02ebff333485f13f9b2da34c5a8a340526697a9ab2e0b"
              + "394d8d04973c134005be1a0140bff6045bb26eb77a73eaa47813f6b49a7250dc";
      assertThat(UdpBackend.rebootPacket()).hasSize(64).isEqualTo(HexFormat.of().parseHex(solo1));
    }

    @Test
    void rebootPacket_isAPowerCycle_notAReport() throws Exception {
      sendToDevice(UdpBackend.rebootPacket());

      assertThat(handler.received.poll(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(handler.powerCycles).hasValue(1);
      host.setSoTimeout(200);
      assertThatThrownBy(UdpBackendTest.this::receiveFromDevice).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void rebootPacketWithOneByteChanged_isAnOrdinaryReport() throws Exception {
      byte[] almost = UdpBackend.rebootPacket();
      almost[63] ^= 1;
      sendToDevice(almost);

      assertThat(handler.received.poll(5, TimeUnit.SECONDS)).isEqualTo(almost);
      assertThat(handler.powerCycles).hasValue(0);
    }

    @Test
    void rebootPacket_returnsACopy() {
      UdpBackend.rebootPacket()[0] = 0;
      assertThat(UdpBackend.rebootPacket()[0]).isEqualTo((byte) 0xac);
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void portInUse_isABackendExceptionThatSaysWhatToDo() throws Exception {
      try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int port = squatter.getLocalPort();
        UdpBackend second = UdpBackend.onLoopback(port, host.getLocalPort());

        assertThatThrownBy(() -> second.start(new EchoHandler()))
            .isInstanceOf(BackendException.class)
            .hasMessage(
                "UDP port " + port + " on 127.0.0.1 is in use: is another softkey or simulator running? use --port");
        second.close();
      }
    }

    @Test
    void describe_namesBothAddresses() {
      UdpBackend defaults = UdpBackend.withDefaults();
      assertThat(defaults.describe()).isEqualTo("udp 127.0.0.1:8111 (replies to 127.0.0.1:7112)");
      assertThat(backend.describe())
          .isEqualTo("udp 127.0.0.1:" + device.getPort() + " (replies to 127.0.0.1:" + host.getLocalPort() + ")");
    }

    @Test
    void defaults_bindLoopbackOnly() {
      UdpBackend defaults = UdpBackend.withDefaults();
      assertThat(defaults.listenAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(defaults.listenAddress().getPort()).isEqualTo(8111);
      assertThat(defaults.replyAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, 7112));
    }

    @Test
    void close_releasesThePort_andIsIdempotent() throws Exception {
      int port = device.getPort();
      backend.close();
      backend.close();

      assertThat(backend.localAddress()).isEmpty();
      try (DatagramSocket rebind = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
        assertThat(rebind.getLocalPort()).isEqualTo(port);
      }
    }

    @Test
    void close_stopsDelivery() throws Exception {
      backend.close();
      sendToDevice(report(3));
      assertThat(handler.received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void sendingAfterClose_isDropped() {
      backend.close();
      handler.sender.sendInputReport(report(4));
      // no exception: a late reply from the engine after shutdown is not an error
      assertThat(backend.localAddress()).isEmpty();
    }

    @Test
    void start_twice_orAfterClose_isRefused() {
      assertThatThrownBy(() -> backend.start(new EchoHandler())).isInstanceOf(IllegalStateException.class);
      backend.close();
      assertThatThrownBy(() -> backend.start(new EchoHandler())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inputReports_goToTheHostPort_evenWithNoRequestPending() throws Exception {
      handler.sender.sendInputReport(report(5));
      assertThat(receiveFromDevice()).isEqualTo(report(5));
    }

    @Test
    void unresolvedAddresses_areRejected() {
      assertThatThrownBy(
              () ->
                  new UdpBackend(
                      InetSocketAddress.createUnresolved("nowhere.invalid", 1), new InetSocketAddress(LOOPBACK, 2)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
