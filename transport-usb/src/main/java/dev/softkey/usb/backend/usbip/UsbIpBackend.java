package dev.softkey.usb.backend.usbip;

import dev.softkey.core.profile.Profile.UsbIdentity;
import dev.softkey.usb.backend.BackendException;
import dev.softkey.usb.backend.HidDeviceBackend;
import dev.softkey.usb.backend.HidReportHandler;
import dev.softkey.usb.backend.HidReportSender;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A USB/IP server (Linux kernel Documentation/usb/usbip_protocol.rst, version 1.1.1) exporting
 * one or more full-speed FIDO HID devices, bound to 127.0.0.1:3240 unless told otherwise. A Linux
 * host attaches a device with {@code modprobe vhci-hcd; usbip attach -r 127.0.0.1 -b 1-1}; it then
 * appears as /dev/hidrawN.
 *
 * <pre>{@code
 * try (UsbIpBackend backend = UsbIpBackend.builder().export("1-1", profile.usb()).build()) {
 *   HidReportSender sender = backend.start(handler);
 *   ...
 * }
 * }</pre>
 *
 * <p>A detach (the client closing its connection) is reported to the handler as {@link
 * HidReportHandler#onPowerCycle()}.
 */
public final class UsbIpBackend implements HidDeviceBackend {
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The IANA-registered USB/IP port. */
  public static final int DEFAULT_PORT = 3240;

  private final String host;
  private final int port;
  private final List<UsbIpExport> exports;
  private EventLoopGroup group;
  private Channel serverChannel;
  private boolean closed;

  private UsbIpBackend(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.exports = List.copyOf(b.exports);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The exported devices, in OP_REP_DEVLIST order. */
  public List<UsbIpExport> exports() {
    return exports;
  }

  /**
   * Starts the server for a single exported device. With several exports use {@link #startAll}.
   */
  @Override
  public HidReportSender start(HidReportHandler handler) {
    if (exports.size() != 1) {
      throw new IllegalStateException(
          "start(handler) serves exactly one device; this backend exports " + exports.size()
              + ": use startAll");
    }
    return startAll(Map.of(exports.get(0).busId(), handler)).get(exports.get(0).busId());
  }

  /**
   * Starts the server for all exported devices. {@code handlers} maps every exported bus ID to the
   * handler of that device; the result maps each bus ID to the sender of that device.
   */
  public synchronized Map<String, HidReportSender> startAll(Map<String, HidReportHandler> handlers) {
    if (closed || serverChannel != null) {
      throw new IllegalStateException("a USB/IP backend starts once");
    }
    Set<String> busIds = exports.stream().map(UsbIpExport::busId).collect(Collectors.toSet());
    if (!handlers.keySet().equals(busIds)) {
      throw new IllegalArgumentException(
          "handlers must be given for exactly the bus IDs " + busIds + ", got " + handlers.keySet());
    }
    Map<String, ExportedDevice> devices = new LinkedHashMap<>();
    Map<String, HidReportSender> senders = new LinkedHashMap<>();
    int devnum = 2; // address 1 is the root hub's
    for (UsbIpExport e : exports) {
      ExportedDevice d = new ExportedDevice(e, devnum++, handlers.get(e.busId()));
      devices.put(e.busId(), d);
      senders.put(e.busId(), d.sender());
    }
    Map<String, ExportedDevice> ordered = Collections.unmodifiableMap(devices);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    UsbIpConnection.install(ch.pipeline(), ordered);
                  }
                });
    try {
      serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
    } catch (Exception e) { // BindException arrives unchecked through syncUninterruptibly
      shutdownGroup();
      throw new BackendException(
          "cannot listen for USB/IP on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is usbipd or another softkey already running? Choose another port.",
          e);
    }
    return Map.copyOf(senders);
  }

  /** The bound TCP port (differs from the configured one when that was 0), once started. */
  public synchronized Optional<Integer> boundPort() {
    if (serverChannel == null || !serverChannel.isActive()) {
      return Optional.empty();
    }
    return Optional.of(((InetSocketAddress) serverChannel.localAddress()).getPort());
  }

  @Override
  public String describe() {
    int p = boundPort().orElse(port);
    String ids = exports.stream().map(UsbIpExport::busId).collect(Collectors.joining(", "));
    return "USB/IP on "
        + host
        + ":"
        + p
        + ", bus ID "
        + ids
        + " (attach: modprobe vhci-hcd; usbip"
        + (p == DEFAULT_PORT ? "" : " --tcp-port " + p)
        + " attach -r "
        + host
        + " -b "
        + exports.get(0).busId()
        + ")";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    shutdownGroup();
  }

  private void shutdownGroup() {
    if (group != null) {
      // closes the client connections too
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }

  /** Host, port and exported devices. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private final List<UsbIpExport> exports = new ArrayList<>();

    private Builder() {}

    /** The address to listen on; loopback by default (design: network servers bind to loopback). */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host is required");
      }
      this.host = host;
      return this;
    }

    /** The TCP port; 3240 by default, 0 for any free port (see {@link #boundPort()}). */
    public Builder port(int port) {
      if (port < 0 || port > 0xFFFF) {
        throw new IllegalArgumentException("port must be 0..65535");
      }
      this.port = port;
      return this;
    }

    public Builder export(UsbIpExport export) {
      exports.add(export);
      return this;
    }

    public Builder export(String busId, UsbIdentity usb) {
      return export(UsbIpExport.of(busId, usb));
    }

    public UsbIpBackend build() {
      if (exports.isEmpty()) {
        throw new IllegalStateException("export at least one device");
      }
      Set<String> seen = new HashSet<>();
      for (UsbIpExport e : exports) {
        if (!seen.add(e.busId())) {
          throw new IllegalStateException("bus ID exported twice: " + e.busId());
        }
      }
      return new UsbIpBackend(this);
    }
  }
}
