package dev.softkey.usb.backend;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The SoloKeys simulator convention for a HID device over UDP, which python-fido2 based tools
 * (solo1's {@code tools/ctap_test.py}, solo-python's {@code force_udp_backend}) speak with the
 * solo1 simulator: the device listens on 127.0.0.1:8111 and sends every input report to
 * 127.0.0.1:7112, one raw 64-byte report (no report ID) per datagram. Source: solokeys/solo1
 * {@code pc/device.c} ({@code udp_server} binds port 8111, {@code udp_send} sends to
 * 127.0.0.1:7112).
 *
 * <p>One daemon thread reads datagrams and hands each 64-byte one to the {@link HidReportHandler};
 * datagrams of another size are logged at debug level and dropped. The simulators' magic reboot
 * datagram ({@link #rebootPacket()}) is not passed on as a report: it becomes {@link
 * HidReportHandler#onPowerCycle()}.
 *
 * <p>Both addresses are configurable; by default the device binds the loopback interface only. The
 * device port may be 0 (an ephemeral port, see {@link #localAddress()}), which tests use.
 */
public final class UdpBackend implements HidDeviceBackend {
  private static final System.Logger LOG = System.getLogger(UdpBackend.class.getName());

  /** The port the device listens on in the SoloKeys convention. */
  public static final int DEFAULT_DEVICE_PORT = 8111;

  /** The port the host (client) listens on, where the device sends input reports. */
  public static final int DEFAULT_HOST_PORT = 7112;

  /**
   * The simulators' magic "reboot" datagram: these 64 bytes exactly, compared as a whole.
   *
   * <p>Source: solokeys/solo1 {@code pc/device.c}, {@code usbhid_recv()} ({@code magic_cmd},
   * answered with "MAGIC REBOOT command recieved!" and a process restart), sent by {@code
   * send_magic_reboot()} in solokeys/solo1 {@code tools/ctap_test.py}; canokey-core's
   * {@code virt-card/fido-hid-over-udp.c} recognises the same 64 bytes. Read as CTAPHID it would be an initialization packet on
   * channel 0xac1052ca with the unassigned command 0x95, so it cannot collide with a real request.
   */
  private static final String REBOOT_HEX =
      "ac1052ca95e569de69e02ebf"
          + "f333485f13f9b2da34c5a8a3"
          + "40526697a9ab2e0b394d8d04"
          + "973c134005be1a0140bff604"
          + "5bb26eb77a73eaa47813f6b4"
          + "9a7250dc";

  private static final byte[] REBOOT = HexFormat.of().parseHex(REBOOT_HEX);

  /** Large enough for any UDP payload, so that oversized datagrams are seen whole and dropped. */
  private static final int RECEIVE_BUFFER = 65_536;

  private final InetSocketAddress listenAddress;
  private final InetSocketAddress replyAddress;
  private final Object lock = new Object();
  private DatagramChannel channel;
  private Thread reader;
  private boolean started;
  private volatile boolean closed;

  /**
   * A back-end that listens on {@code listenAddress} and sends input reports to {@code
   * replyAddress}. Both must be resolved addresses.
   */
  public UdpBackend(InetSocketAddress listenAddress, InetSocketAddress replyAddress) {
    this.listenAddress = requireResolved(listenAddress, "listenAddress");
    this.replyAddress = requireResolved(replyAddress, "replyAddress");
  }

  /** The SoloKeys defaults: listen on 127.0.0.1:8111, reply to 127.0.0.1:7112. */
  public static UdpBackend withDefaults() {
    return onLoopback(DEFAULT_DEVICE_PORT, DEFAULT_HOST_PORT);
  }

  /** Listens on 127.0.0.1:{@code devicePort} and replies to 127.0.0.1:{@code hostPort}. */
  public static UdpBackend onLoopback(int devicePort, int hostPort) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return new UdpBackend(new InetSocketAddress(loopback, devicePort), new InetSocketAddress(loopback, hostPort));
  }

  /** A fresh copy of the 64-byte magic reboot datagram (see the constant's source note). */
  public static byte[] rebootPacket() {
    return REBOOT.clone();
  }

  /** Where the device listens (as configured; the port may be 0 before {@link #start}). */
  public InetSocketAddress listenAddress() {
    return listenAddress;
  }

  /** Where input reports go. */
  public InetSocketAddress replyAddress() {
    return replyAddress;
  }

  /** The address actually bound, once started and until closed (resolves a configured port 0). */
  public Optional<InetSocketAddress> localAddress() {
    synchronized (lock) {
      if (channel == null || !channel.isOpen()) {
        return Optional.empty();
      }
      try {
        return Optional.ofNullable((InetSocketAddress) channel.getLocalAddress());
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  @Override
  public HidReportSender start(HidReportHandler handler) {
    Objects.requireNonNull(handler, "handler");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the UDP back-end is closed");
      }
      if (started) {
        throw new IllegalStateException("the UDP back-end is already started");
      }
      DatagramChannel ch = bind();
      channel = ch;
      started = true;
      reader = new Thread(() -> readLoop(ch, handler), "softkey-udp-" + boundPort(ch));
      reader.setDaemon(true);
      reader.start();
      return report -> send(ch, report);
    }
  }

  private DatagramChannel bind() {
    DatagramChannel ch = null;
    try {
      ch = DatagramChannel.open();
      ch.bind(listenAddress);
      return ch;
    } catch (BindException e) {
      closeQuietly(ch);
      throw new BackendException(
          "UDP port " + listenAddress.getPort() + " on " + listenAddress.getAddress().getHostAddress()
              + " is in use: is another softkey or simulator running? use --port",
          e);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new BackendException(
          "cannot open UDP port " + listenAddress.getPort() + " on "
              + listenAddress.getAddress().getHostAddress() + ": " + e.getMessage(),
          e);
    }
  }

  private void readLoop(DatagramChannel ch, HidReportHandler handler) {
    ByteBuffer buf = ByteBuffer.allocate(RECEIVE_BUFFER);
    while (ch.isOpen()) {
      SocketAddress from;
      buf.clear();
      try {
        from = ch.receive(buf);
      } catch (PortUnreachableException e) {
        // An ICMP error for an earlier send (nobody on the reply port yet): not fatal.
        continue;
      } catch (ClosedChannelException e) {
        break;
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "UDP back-end stops reading: {0}", e.toString());
        }
        break;
      }
      if (from == null) {
        continue;
      }
      buf.flip();
      int length = buf.remaining();
      if (length != FidoReportDescriptor.REPORT_SIZE) {
        LOG.log(Level.DEBUG, "ignoring a {0}-byte datagram from {1}: reports are 64 bytes", length, from);
        continue;
      }
      byte[] report = new byte[length];
      buf.get(report);
      dispatch(handler, report);
    }
  }

  private static void dispatch(HidReportHandler handler, byte[] report) {
    try {
      if (Arrays.equals(report, REBOOT)) {
        LOG.log(Level.DEBUG, "magic reboot datagram: power cycle");
        handler.onPowerCycle();
      } else {
        handler.onOutputReport(report);
      }
    } catch (RuntimeException e) {
      // The reader must survive a faulty handler; the report content is not logged (it may carry a PIN).
      LOG.log(Level.ERROR, "the report handler failed: {0}", e.getClass().getName());
    }
  }

  private void send(DatagramChannel ch, byte[] report) {
    if (report.length != FidoReportDescriptor.REPORT_SIZE) {
      throw new IllegalArgumentException(
          "an input report is " + FidoReportDescriptor.REPORT_SIZE + " bytes, not " + report.length);
    }
    try {
      ch.send(ByteBuffer.wrap(report.clone()), replyAddress);
    } catch (ClosedChannelException e) {
      LOG.log(Level.DEBUG, "dropping an input report: the UDP back-end is closed");
    } catch (PortUnreachableException e) {
      LOG.log(Level.DEBUG, "dropping an input report: nobody listens on {0}", replyAddress);
    } catch (IOException e) {
      throw new BackendException("cannot send a report to " + hostPort(replyAddress) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    InetSocketAddress listening = localAddress().orElse(listenAddress);
    return "udp " + hostPort(listening) + " (replies to " + hostPort(replyAddress) + ")";
  }

  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(channel);
      t = reader;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int boundPort(DatagramChannel ch) {
    try {
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    } catch (IOException e) {
      return -1;
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static InetSocketAddress requireResolved(InetSocketAddress a, String name) {
    Objects.requireNonNull(a, name);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException(name + " is not resolved: " + a.getHostString());
    }
    return a;
  }

  private static void closeQuietly(DatagramChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the UDP channel: {0}", e.toString());
    }
  }
}
