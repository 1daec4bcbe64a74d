package dev.softkey.usb.backend.usbip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.usb.backend.BackendException;
import dev.softkey.usb.backend.HidReportSender;
import dev.softkey.usb.backend.usbip.UsbIpTestSupport.RecordingHandler;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend over a real loopback socket. */
class UsbIpBackendTest {

  private static UsbIpBackend oneDevice() {
    return UsbIpBackend.builder().port(0).export("1-1", UsbIpTestSupport.USB).build();
  }

  @Test
  void defaultsToLoopbackAndTheUsbIpPort() {
    UsbIpBackend b = UsbIpBackend.builder().export("1-1", UsbIpTestSupport.USB).build();

    assertThat(b.describe()).contains("127.0.0.1:3240", "1-1", "usbip attach -r 127.0.0.1 -b 1-1");
  }

  @Test
  void importsAndExchangesReportsOverTcp() throws Exception {
    RecordingHandler handler = new RecordingHandler();
    try (UsbIpBackend backend = oneDevice()) {
      HidReportSender sender = backend.start(handler);
      int port = backend.boundPort().orElseThrow();
      assertThat(backend.describe()).contains(":" + port, "--tcp-port " + port);

      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = s.getOutputStream();
        DataInputStream in = new DataInputStream(s.getInputStream());
        out.write(bytes(UsbIpTestSupport.opReqImport("1-1")));
        byte[] rep = new byte[8 + 0x138];
        in.readFully(rep);
        assertThat(Arrays.copyOf(rep, 8)).containsExactly(1, 0x11, 0, 3, 0, 0, 0, 0);

        out.write(bytes(UsbIpTestSupport.cmdSubmit(1, 1, 1, 64, new byte[8], new byte[0])));
        byte[] packet = new byte[64];
        packet[0] = (byte) 0xAB;
        out.write(bytes(UsbIpTestSupport.cmdSubmit(2, 0, 1, 64, new byte[8], packet)));
        byte[] retOut = new byte[48];
        in.readFully(retOut);
        assertThat(retOut[7]).isEqualTo((byte) 2);
        awaitUntil(() -> handler.reports.size() == 1);
        assertThat(handler.reports).hasSize(1);

        sender.sendInputReport(packet);
        byte[] retIn = new byte[48 + 64];
        in.readFully(retIn);
        assertThat(retIn[7]).isEqualTo((byte) 1);
        assertThat(retIn[48]).isEqualTo((byte) 0xAB);
      }
      // the detach (client closes its socket) is seen as a power cycle
      awaitUntil(() -> handler.powerCycles > 0);
      assertThat(handler.powerCycles).isEqualTo(1);
    }
  }

  @Test
  void devlistConnectionIsClosedByTheServerAfterTheReply() throws Exception {
    try (UsbIpBackend backend = oneDevice()) {
      backend.start(new RecordingHandler());
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), backend.boundPort().orElseThrow())) {
        s.getOutputStream().write(bytes(UsbIpTestSupport.opReqDevlist()));
        InputStream in = s.getInputStream();
        byte[] all = in.readAllBytes(); // returns at EOF
        assertThat(all).hasSize(12 + 0x138 + 4);
      }
    }
  }

  @Test
  void portInUseIsABackendExceptionNamingThePort() {
    try (UsbIpBackend first = oneDevice()) {
      first.start(new RecordingHandler());
      int port = first.boundPort().orElseThrow();
      try (UsbIpBackend second =
          UsbIpBackend.builder().port(port).export("1-1", UsbIpTestSupport.USB).build()) {
        assertThatThrownBy(() -> second.start(new RecordingHandler()))
            .isInstanceOf(BackendException.class)
            .hasMessageContaining("127.0.0.1:" + port);
      }
    }
  }

  @Test
  void severalDevicesNeedStartAllWithAHandlerPerBusId() {
    try (UsbIpBackend b =
        UsbIpBackend.builder()
            .port(0)
            .export("1-1", UsbIpTestSupport.USB)
            .export("1-2", UsbIpTestSupport.USB)
            .build()) {
      assertThatThrownBy(() -> b.start(new RecordingHandler()))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> b.startAll(Map.of("1-1", new RecordingHandler())))
          .isInstanceOf(IllegalArgumentException.class);

      Map<String, HidReportSender> senders =
          b.startAll(Map.of("1-1", new RecordingHandler(), "1-2", new RecordingHandler()));

      assertThat(senders).containsOnlyKeys("1-1", "1-2");
    }
  }

  @Test
  void duplicateOrMalformedBusIdsAreRejected() {
    assertThatThrownBy(
            () ->
                UsbIpBackend.builder()
                    .export("1-1", UsbIpTestSupport.USB)
                    .export("1-1", UsbIpTestSupport.USB)
                    .build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> UsbIpExport.of("a b", UsbIpTestSupport.USB))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UsbIpExport.of("1-".repeat(16), UsbIpTestSupport.USB))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static byte[] bytes(io.netty.buffer.ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    b.release();
    return a;
  }
}
