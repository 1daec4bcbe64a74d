package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.usb.client.FidoHidDevice;
import dev.softkey.usb.client.HidTransport;
import dev.softkey.usb.client.HidTransportException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProbeCommandTest {
  /** A real in-memory authenticator with the generic profile behind the fake CTAPHID key. */
  final DeviceFactory.Device authenticator =
      new DeviceFactory()
          .open(new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.of(1), "approve", Optional.empty()));

  record Result(int code, String out, String err) {}

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
            .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Nested
  class Udp {
    final InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket deviceSocket;
    Thread thread;

    /** A UDP simulator on a free loopback port, answering to {@code replyPort}. */
    int startSimulator(int replyPort) throws IOException {
      deviceSocket = new DatagramSocket(new InetSocketAddress(loopback, 0));
      CtapHidTestKey key = new CtapHidTestKey(authenticator.transport(), 0x05);
      thread =
          new Thread(
              () -> {
                byte[] buf = new byte[64];
                try {
                  while (true) {
                    DatagramPacket p = new DatagramPacket(buf, 64);
                    deviceSocket.receive(p);
                    for (byte[] r : key.handle(buf.clone())) {
                      deviceSocket.send(new DatagramPacket(r, 64, new InetSocketAddress(loopback, replyPort)));
                    }
                  }
                } catch (IOException e) {
                  // closed: test over
                }
              });
      thread.setDaemon(true);
      thread.start();
      return deviceSocket.getLocalPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
      if (deviceSocket != null) {
        deviceSocket.close();
        thread.join(5000);
      }
    }

    int freePort() throws IOException {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        return s.getLocalPort();
      }
    }

    @Test
    void probeUdp_printsInitAndGetInfo() throws IOException {
      int replyPort = freePort();
      int port = startSimulator(replyPort);

      Result r = run("probe", "--udp", "--port", "" + port, "--reply-port", "" + replyPort);

      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      assertThat(r.out())
          .contains("UDP simulator at 127.0.0.1:" + port + " (replies on port " + replyPort + ")")
          .contains("CTAPHID_INIT")
          .containsPattern("CID: +0x11223344")
          .containsPattern("device version: +1\\.2\\.3")
          .containsPattern("capabilities: +0x05 \\[WINK, CBOR\\]")
          .contains("authenticatorGetInfo")
          .containsPattern("versions: +\\[")
          .containsPattern("aaguid: +[0-9a-f]{8}-")
          .containsPattern("algorithms: +\\[")
          .containsPattern("options: +\\{");
    }

    @Test
    void probeUdp_withoutSimulator_oneLineError_exit1() throws IOException {
      // A bound socket that never answers stands for "nothing listening".
      try (DatagramSocket mute = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        Result r = run("probe", "--udp", "--port", "" + mute.getLocalPort(), "--reply-port", "0", "--timeout", "0.2");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
            .startsWith("softkey: no CTAPHID_INIT answer from udp 127.0.0.1:" + mute.getLocalPort())
            .contains("within 200 ms")
            .doesNotContain("\n");
      }
    }
  }

  @Nested
  class Hid {
    final FidoHidDevice good = new FidoHidDevice("/dev/hidraw7", 0x1050, 0x0407, Optional.of("Yubico"), Optional.of("YubiKey FIDO"), Optional.empty());
    final FidoHidDevice broken = new FidoHidDevice("/dev/hidraw8", 0x20a0, 0x42b1, Optional.empty(), Optional.empty(), Optional.empty());
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Runs the HID listing over {@code devices}; each opens the fake key, except {@link #broken}. */
    void probe(List<FidoHidDevice> devices, int capabilities) {
      CtapHidTestKey key = new CtapHidTestKey(authenticator.transport(), capabilities);
      ProbeCommand.HidDevices hid =
          new ProbeCommand.HidDevices() {
            @Override
            public List<FidoHidDevice> list() {
              return devices;
            }

            @Override
            public HidTransport open(FidoHidDevice d) {
              if (d.equals(broken)) {
                throw new HidTransportException("cannot open /dev/hidraw8: Permission denied");
              }
              return new MemoryHid(key);
            }

            @Override
            public void close() {}
          };
      ProbeCommand.probeAll(hid, Duration.ofSeconds(1), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noDevice_isAClearError() {
      assertThatThrownBy(() -> probe(List.of(), 0x05))
          .isInstanceOf(HidTransportException.class)
          .hasMessageStartingWith("no FIDO HID device found");
    }

    @Test
    void eachDevice_isListedWithPathVidPidProduct_thenInitAndGetInfo() {
      probe(List.of(good), 0x05);

      assertThat(out())
          .startsWith("1 FIDO HID device")
          .contains("/dev/hidraw7  1050:0407  Yubico YubiKey FIDO")
          .containsPattern("CID: +0x11223344")
          .containsPattern("aaguid: +[0-9a-f]{8}-");
    }

    @Test
    void aBrokenDevice_isReported_theOthersStillProbed_andTheRunFails() {
      assertThatThrownBy(() -> probe(List.of(broken, good), 0x05)).hasMessage("1 of 2 devices could not be probed");
      assertThat(out())
          .contains("/dev/hidraw8  20a0:42b1  (no product string)")
          .contains("  error: cannot open /dev/hidraw8: Permission denied")
          .contains("/dev/hidraw7  1050:0407")
          .contains("authenticatorGetInfo");
    }

    @Test
    void u2fOnlyDevice_getsNoGetInfo() {
      probe(List.of(good), 0x01);

      assertThat(out()).contains("no CTAPHID_CBOR (U2F only)").doesNotContain("aaguid");
    }
  }

  /** The fake key as an in-memory HID device. */
  static final class MemoryHid implements HidTransport {
    final CtapHidTestKey key;
    final Deque<byte[]> in = new ArrayDeque<>();

    MemoryHid(CtapHidTestKey key) {
      this.key = key;
    }

    @Override
    public void write(byte[] report) {
      in.addAll(key.handle(Arrays.copyOf(report, 64)));
    }

    @Override
    public Optional<byte[]> read(Duration timeout) {
      return Optional.ofNullable(in.poll());
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {}
  }
}
