package dev.softkey.cli;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.HidTimeoutException;
import dev.softkey.usb.client.HidTransport;
import dev.softkey.usb.client.HidTransportException;
import dev.softkey.usb.client.HidrawTransport;
import dev.softkey.usb.client.UdpHidTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A key that runs elsewhere, reached through a real transport, for {@code webauthn create|get
 * --device}: {@code udp://HOST:PORT[?reply=P]} (CTAPHID over UDP, as {@code softkey serve
 * --transport udp} or a Solo/OpenSK simulator speaks it) or {@code hidraw:/dev/hidrawN} (a Linux
 * hidraw node: a real key, or {@code serve --transport uhid}). No store is opened (so no store
 * lock is taken): the key keeps its own state. Hybrid is not offered here: reaching a phone needs
 * a QR code shown and scanned, which {@code softkey hybrid initiate} already does.
 */
final class RemoteDevice {
  static final String FORMS = "udp://HOST:PORT[?reply=P] or hidraw:/dev/hidrawN";

  private RemoteDevice() {}

  /** The transport {@code spec} names; a malformed spec is a {@link UsageException}. */
  static HidTransport transport(String spec) {
    if (spec.startsWith("hidraw:")) {
      String path = spec.substring("hidraw:".length());
      if (path.isEmpty() || !path.startsWith("/")) {
        throw usage(spec, "hidraw needs an absolute path, e.g. hidraw:/dev/hidraw0");
      }
      return HidrawTransport.open(Path.of(path));
    }
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw usage(spec, "not a URI (" + e.getReason() + ")");
    }
    if (!"udp".equalsIgnoreCase(uri.getScheme())) {
      throw usage(spec, "unknown scheme" + (uri.getScheme() == null ? "" : " '" + uri.getScheme() + "'"));
    }
    if (uri.getHost() == null) {
      throw usage(spec, "udp needs a host, e.g. udp://127.0.0.1:8111");
    }
    int port = uri.getPort() == -1 ? UdpHidTransport.DEFAULT_DEVICE_PORT : uri.getPort();
    int reply = UdpHidTransport.DEFAULT_REPLY_PORT;
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        if (!kv.startsWith("reply=")) {
          throw usage(spec, "unknown parameter '" + kv + "' (only reply=PORT)");
        }
        try {
          reply = Integer.parseInt(kv.substring("reply=".length()));
        } catch (NumberFormatException e) {
          throw usage(spec, "reply must be a port number, not '" + kv.substring("reply=".length()) + "'");
        }
        if (reply < 1 || reply > 0xFFFF) {
          throw usage(spec, "reply port must be 1 to 65535, not " + reply);
        }
      }
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty()) {
      throw usage(spec, "udp takes no path");
    }
    InetAddress host;
    try {
      host = InetAddress.getByName(uri.getHost());
    } catch (UnknownHostException e) {
      throw usage(spec, "unknown host '" + uri.getHost() + "'");
    }
    InetSocketAddress local = host.isLoopbackAddress() ? new InetSocketAddress(host, reply) : new InetSocketAddress(reply);
    return UdpHidTransport.open(new InetSocketAddress(host, port), local);
  }

  private static UsageException usage(String spec, String why) {
    return new UsageException("--device '" + spec + "': " + why + "; give " + FORMS);
  }

  /**
   * Opens the key: CTAPHID_INIT, getInfo (for the PIN protocol), and a PIN client over the same
   * channel. {@code timeout} bounds every reply (a key that stays silent is NotAllowedError).
   */
  static DeviceFactory.Device open(String spec, Duration timeout) {
    HidTransport transport = transport(spec);
    CtapHidClient client = CtapHidClient.builder(transport).timeout(timeout).build();
    try {
      client.init();
    } catch (HidTimeoutException e) {
      client.close();
      throw new HidTransportException(
          "no CTAPHID answer from " + transport.describe() + " within " + timeout.toMillis() + " ms (is the key or softkey serve running?)", e);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    AuthenticatorInfo info;
    try {
      info = WebAuthnClient.builder(client).timeout(timeout).build().getInfo();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    int protocol = info.pinUvAuthProtocols().isEmpty() ? 1 : info.pinUvAuthProtocols().get(0).intValue();
    PlatformPin pin = new PlatformPin(client::transact, protocol, info.supportsPinUvAuthToken(), RandomSource.secure());
    return new DeviceFactory.Device(
        client, Optional.of(PinTokenProvider.of(pin)), client::close, Optional.of(pin), Optional.empty(), Optional.empty(), Optional.empty(),
        new PinRefusals());
  }
}
