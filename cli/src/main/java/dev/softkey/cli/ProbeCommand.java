package dev.softkey.cli;

import dev.softkey.core.webauthn.AuthenticatorInfo;
import dev.softkey.core.webauthn.WebAuthnClient;
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
 * authenticatorGetInfo (section 6.4) in readable form.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Find FIDO HID devices (usage page 0xF1D0) and show CTAPHID INIT and authenticatorGetInfo for each.",
      "With --udp, probe the UDP simulator instead (SoloKeys convention; e.g. 'softkey serve')."
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
      probeAll(hid, timeout, out);
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
