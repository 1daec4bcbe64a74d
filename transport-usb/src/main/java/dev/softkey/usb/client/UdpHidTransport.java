package dev.softkey.usb.client;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * HID reports as UDP datagrams, the SoloKeys simulator convention: the client sends each output
 * report as one 64-byte datagram to the device (127.0.0.1:8111) and receives input reports on its
 * own port (127.0.0.1:7112). Datagrams of any other size are dropped.
 */
public final class UdpHidTransport implements HidTransport {
  /** The port the simulated device listens on. */
  public static final int DEFAULT_DEVICE_PORT = 8111;

  /** The port the simulated device answers to. */
  public static final int DEFAULT_REPLY_PORT = 7112;

  private final DatagramSocket socket;
  private final InetSocketAddress device;
  private final int localPort;

  private UdpHidTransport(DatagramSocket socket, InetSocketAddress device) {
    this.socket = socket;
    this.device = device;
    this.localPort = socket.getLocalPort();
  }

  /** Loopback with the default ports: to 127.0.0.1:8111, answers on 127.0.0.1:7112. */
  public static UdpHidTransport open() {
    return open(DEFAULT_DEVICE_PORT, DEFAULT_REPLY_PORT);
  }

  /**
   * Loopback: sends to 127.0.0.1:{@code devicePort}, receives on 127.0.0.1:{@code replyPort}
   * (0 picks a free port, see {@link #localPort()}).
   */
  public static UdpHidTransport open(int devicePort, int replyPort) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return open(new InetSocketAddress(loopback, devicePort), new InetSocketAddress(loopback, replyPort));
  }

  /** Sends to {@code device}, receives on {@code local}. */
  public static UdpHidTransport open(InetSocketAddress device, InetSocketAddress local) {
    checkPort(device.getPort(), "device");
    if (local.getPort() < 0 || local.getPort() > 0xFFFF) {
      throw new IllegalArgumentException("reply port must be 0 to 65535, not " + local.getPort());
    }
    try {
      DatagramSocket s = new DatagramSocket(null);
      s.setReuseAddress(false);
      try {
        s.bind(local);
      } catch (BindException e) {
        s.close();
        throw new HidTransportException(
            "cannot listen on UDP " + hostPort(local) + " (in use by another client?): " + e.getMessage(), e);
      }
      return new UdpHidTransport(s, device);
    } catch (SocketException e) {
      throw new HidTransportException("cannot open a UDP socket: " + e.getMessage(), e);
    }
  }

  private static void checkPort(int port, String what) {
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException(what + " port must be 1 to 65535, not " + port);
    }
  }

  /** The port input reports arrive on. */
  public int localPort() {
    return localPort;
  }

  @Override
  public void write(byte[] report) {
    if (report.length != REPORT_SIZE) {
      throw new IllegalArgumentException("a HID report has 64 bytes, not " + report.length);
    }
    try {
      socket.send(new DatagramPacket(report, report.length, device));
    } catch (IOException e) {
      throw new HidTransportException("cannot send to UDP " + hostPort(device) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> read(Duration timeout) {
    // A 0 socket timeout would mean "forever"; round anything below 1 ms up.
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    byte[] buf = new byte[REPORT_SIZE + 1];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    try {
      while (true) {
        socket.setSoTimeout(millis);
        socket.receive(packet);
        if (packet.getLength() == REPORT_SIZE) {
          return Optional.of(Arrays.copyOf(buf, REPORT_SIZE));
        }
        packet.setLength(buf.length);
      }
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new HidTransportException("cannot receive on UDP " + localPort() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "udp " + hostPort(device) + " (replies on port " + localPort + ")";
  }

  @Override
  public void close() {
    socket.close();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return host + ":" + a.getPort();
  }
}
