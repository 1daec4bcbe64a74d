package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.usb.client.CtapHidClient;
import dev.softkey.usb.client.FidoHidDevice;
import dev.softkey.usb.client.Hid4JavaHost;
import dev.softkey.usb.client.HidTimeoutException;
import dev.softkey.usb.client.HidTransport;
import dev.softkey.usb.client.HidTransportException;
import dev.softkey.usb.client.InitResponse;
import dev.softkey.usb.client.UdpHidTransport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softkey probe}: finds FIDO HID devices (hid4java, usage page 0xF1D0) or the UDP
 * simulator, and for each shows the CTAPHID_INIT answer (CTAP 2.1 section 11.2.9.1.3) and
 * authenticatorGetInfo (section 6.4), readably or as JSON.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Find FIDO HID devices (usage page 0xF1D0) and show CTAPHID INIT and authenticatorGetInfo for each.",
      "With --udp, probe the UDP simulator instead (SoloKeys convention; e.g. 'softkey serve')."
    },
    footerHeading = "%n",
    footer = {
      "--json prints one array, one object per device; the exit code is still 1",
      "when no device was found or one failed:",
      "  [{\"transport\": \"hid\", \"path\": \"/dev/hidraw7\",",
      "    \"vendorId\": \"1050\", \"productId\": \"0407\",",
      "    \"manufacturer\": \"Yubico\", \"product\": \"YubiKey FIDO\",",
      "    \"init\": {\"cid\": \"11223344\", \"protocolVersion\": 2,",
      "             \"deviceVersion\": \"5.4.3\", \"capabilities\": 5,",
      "             \"capabilityNames\": [\"WINK\", \"CBOR\"]},",
      "    \"getInfo\": {... as in softkey info --json; null without CBOR},",
      "    \"error\": \"... (only when this device failed)\"}]",
      "With --udp the one device is {\"transport\": \"udp\", \"address\": \"127.0.0.1:8111\",",
      "\"replyPort\": 7112, \"init\": ..., \"getInfo\": ...}."
    })
final class ProbeCommand implements Callable<Integer> {
  /** Where the OS HID devices come from; tests put a fake here. */
  interface HidDevices extends AutoCloseable {
    List<FidoHidDevice> list();

    HidTransport open(FidoHidDevice device);

    @Override
    void close();
  }

  private final SoftkeyCommand root;

  @Option(names = "--udp", description = "Probe the UDP simulator instead of HID devices. Default: HID devices.")
  boolean udp;

  @Option(names = "--port", paramLabel = "PORT",
      description = "With --udp: the simulator's port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
  int port = UdpHidTransport.DEFAULT_DEVICE_PORT;

  @Option(names = "--reply-port", paramLabel = "PORT",
      description = "With --udp: the local port the simulator answers to. Default: ${DEFAULT-VALUE}.")
  int replyPort = UdpHidTransport.DEFAULT_REPLY_PORT;

  @Option(names = "--timeout", paramLabel = "S",
      description = "Seconds to wait for each answer. Default: ${DEFAULT-VALUE}.")
  double timeoutSeconds = 5;

  @Option(names = "--json", description = "Print JSON (shape below) instead of readable text. Default: readable.")
  boolean json;

  ProbeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (timeoutSeconds <= 0) {
      throw new UsageException("--timeout must be positive, not " + timeoutSeconds);
    }
    Duration timeout = Duration.ofMillis(Math.max(1, (long) (timeoutSeconds * 1000)));
    PrintStream out = root.out();
    if (udp) {
      try (UdpHidTransport t = UdpHidTransport.open(port, replyPort)) {
        String where = t.describe().substring("udp ".length());
        if (json) {
          ObjectNode n = Json.MAPPER.createObjectNode().put("transport", "udp").put("address", where.replaceFirst(" .*", ""));
          n.put("replyPort", replyPort);
          RuntimeException failure = probeJson(t, timeout, n);
          Json.print(out, Json.MAPPER.createArrayNode().add(n));
          if (failure != null) {
            throw udpFailure(failure);
          }
          return 0;
        }
        out.println("UDP simulator at " + where);
        try {
          probe(t, timeout, out);
        } catch (RuntimeException e) {
          throw udpFailure(e);
        }
      }
      return 0;
    }
    try (HidDevices hid = openHid4Java()) {
      if (json) {
        probeAllJson(hid, timeout, out);
      } else {
        probeAll(hid, timeout, out);
      }
    }
    return 0;
  }

  private static RuntimeException udpFailure(RuntimeException e) {
    return e instanceof HidTimeoutException
        ? new HidTransportException(e.getMessage() + " (is a simulator running? softkey serve --transport udp)", e)
        : e;
  }

  /**
   * Lists the FIDO devices and probes each; one that fails is reported and the others still run.
   * Throws when there is no device or when any device failed.
   */
  static void probeAll(HidDevices hid, Duration timeout, PrintStream out) {
    List<FidoHidDevice> devices = hid.list();
    if (devices.isEmpty()) {
      throw new HidTransportException(
          "no FIDO HID device found (usage page 0xF1D0); for the simulator use 'softkey probe --udp'");
    }
    out.printf("%d FIDO HID device%s%n", devices.size(), devices.size() == 1 ? "" : "s");
    int failed = 0;
    for (FidoHidDevice d : devices) {
      out.println();
      out.println(d.path() + "  " + d.vidPid() + "  " + name(d));
      try (HidTransport t = hid.open(d)) {
        probe(t, timeout, out);
      } catch (RuntimeException e) {
        // One broken device does not hide the others; the exit code still says something failed.
        out.println("  error: " + Main.describe(e));
        failed++;
      }
    }
    if (failed > 0) {
      throw new HidTransportException(failed + " of " + devices.size() + " devices could not be probed");
    }
  }

  private static String name(FidoHidDevice d) {
    String m = d.manufacturer().orElse("");
    String p = d.product().orElse("");
    String both = p.startsWith(m) ? p : (m + " " + p).strip();
    return both.isEmpty() ? "(no product string)" : both;
  }

  /** INIT, then getInfo when the device speaks CBOR. */
  static void probe(HidTransport transport, Duration timeout, PrintStream out) {
    CtapHidClient client = CtapHidClient.builder(transport).timeout(timeout).build();
    InitResponse init = client.init();
    out.println("CTAPHID_INIT");
    out.print(indent(init.describe()));
    if (!init.hasCbor()) {
      out.println("authenticatorGetInfo: not asked, the device has no CTAPHID_CBOR (U2F only)");
      return;
    }
    AuthenticatorInfo info = WebAuthnClient.builder(client).build().getInfo();
    out.println("authenticatorGetInfo");
    out.print(indent(info.describe()));
  }

  /**
   * {@link #probeAll} as JSON: one array on {@code out}, one object per device, a failed device
   * with its "error"; then throws as probeAll does.
   */
  static void probeAllJson(HidDevices hid, Duration timeout, PrintStream out) {
    List<FidoHidDevice> devices = hid.list();
    ArrayNode all = Json.MAPPER.createArrayNode();
    int failed = 0;
    for (FidoHidDevice d : devices) {
      ObjectNode n = all.addObject().put("transport", "hid").put("path", d.path())
          .put("vendorId", String.format("%04x", d.vendorId())).put("productId", String.format("%04x", d.productId()));
      d.manufacturer().ifPresent(v -> n.put("manufacturer", v));
      d.product().ifPresent(v -> n.put("product", v));
      d.serialNumber().ifPresent(v -> n.put("serialNumber", v));
      RuntimeException failure;
      try (HidTransport t = hid.open(d)) {
        failure = probeJson(t, timeout, n);
      } catch (RuntimeException e) {
        n.put("error", Main.describe(e));
        failure = e;
      }
      if (failure != null) {
        failed++;
      }
    }
    Json.print(out, all);
    if (devices.isEmpty()) {
      throw new HidTransportException(
          "no FIDO HID device found (usage page 0xF1D0); for the simulator use 'softkey probe --udp'");
    }
    if (failed > 0) {
      throw new HidTransportException(failed + " of " + devices.size() + " devices could not be probed");
    }
  }

  /** INIT and getInfo into {@code n} ("init", "getInfo", or "error"); returns the failure, if any. */
  static RuntimeException probeJson(HidTransport transport, Duration timeout, ObjectNode n) {
    try {
      CtapHidClient client = CtapHidClient.builder(transport).timeout(timeout).build();
      InitResponse init = client.init();
      ObjectNode i = n.putObject("init");
      i.put("cid", String.format("%08x", init.channelId()));
      i.put("protocolVersion", init.protocolVersion());
      i.put("deviceVersion", init.deviceVersion());
      i.put("capabilities", init.capabilities());
      ArrayNode names = i.putArray("capabilityNames");
      init.capabilityNames().forEach(names::add);
      if (init.hasCbor()) {
        n.set("getInfo", Json.info(WebAuthnClient.builder(client).build().getInfo()));
      } else {
        n.putNull("getInfo");
      }
      return null;
    } catch (RuntimeException e) {
      n.put("error", Main.describe(e));
      return e;
    }
  }

  private static String indent(String lines) {
    StringBuilder sb = new StringBuilder();
    lines.lines().forEach(l -> sb.append("  ").append(l).append(System.lineSeparator()));
    return sb.toString();
  }

  private static HidDevices openHid4Java() {
    Hid4JavaHost host = Hid4JavaHost.open();
    return new HidDevices() {
      @Override
      public List<FidoHidDevice> list() {
        return host.fidoDevices();
      }

      @Override
      public HidTransport open(FidoHidDevice device) {
        return host.open(device);
      }

      @Override
      public void close() {
        host.close();
      }
    };
  }
}
