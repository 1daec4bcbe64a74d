package dev.softkey.cli;

import dev.softkey.control.ControlServer;
import dev.softkey.usb.backend.BackendException;
import dev.softkey.usb.backend.HidDeviceBackend;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.ctaphid.CtapHidDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softkey serve}: the key as a USB HID device that real FIDO clients use. Prints one ready
 * line per device, serves until Ctrl-C, then destroys the devices and closes the stores.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the key over CTAPHID until Ctrl-C, for real FIDO clients (browsers, libfido2, python-fido2).",
      "Back-ends: udp (the SoloKeys simulator convention), uhid (a Linux HID device), usbip (a USB/IP server).",
      "Prints one ready line per device. With --count N or --profiles a,b each device has its own state (device i on UDP ports P+i, in <store>/device-i)."
    })
final class ServeCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--transport", paramLabel = "udp|uhid|usbip", description = "The HID back-end. Default: ${DEFAULT-VALUE}.")
  String transport = "udp";

  @Option(names = "--port", paramLabel = "P", description = "UDP: the device's port on 127.0.0.1; device i uses P+i. Default: ${DEFAULT-VALUE}.")
  int port = UdpBackend.DEFAULT_DEVICE_PORT;

  @Option(names = "--reply-port", paramLabel = "P", description = "UDP: the port reports are sent to; device i uses P+i. Default: ${DEFAULT-VALUE}.")
  int replyPort = UdpBackend.DEFAULT_HOST_PORT;

  @Option(names = "--usbip-port", paramLabel = "P", description = "USB/IP: the TCP port on 127.0.0.1 (bus IDs 1-1, 1-2, ...). Default: ${DEFAULT-VALUE}.")
  int usbipPort = dev.softkey.usb.backend.usbip.UsbIpBackend.DEFAULT_PORT;

  @Option(names = "--count", paramLabel = "N", description = "How many devices (1..16), each with its own state. Default: ${DEFAULT-VALUE}.")
  int count = 1;

  @Option(names = "--profiles", split = ",", paramLabel = "ID,...", description = "One device per profile, instead of --count. Default: one device of --profile.")
  List<String> profiles;

  @Option(names = "--control", paramLabel = "[HOST:]PORT",
      description = {
        "Also start the control API (HTTP/JSON, WebDriver-shaped, under /softkey/v1) on loopback: HOST is 127.0.0.1 (default), ::1 or localhost; PORT 0 picks a free one.",
        "Every device served here is listed and steered by it; 'softkey ctl' is its client. The bearer token goes to the file token in --control-dir (mode 0600), never to the terminal.",
        "Default: no control API."
      })
  String control;

  @Option(names = "--control-dir", paramLabel = "DIR",
      description = "Where --control writes the files token and endpoint that 'softkey ctl' reads. Default: control under the softkey home (${DEFAULT-VALUE}).")
  Path controlDir = ControlDir.defaultDir();

  ServeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  /** The control API, when --control is given; every device opened by {@link #open} joins it. */
  private ControlServer controlServer;

  /** The devices opened for the control API, registered once their transport serves them. */
  private final List<SteeredDevice> steered = new ArrayList<>();

  /** One running device: its engine wiring and what to close. */
  private record Running(String label, DeviceFactory.Device device, HidDeviceBackend backend, CtapHidDevice hid) {}

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > 16) {
      throw new UsageException("--count must be 1..16, not " + count);
    }
    DeviceFactory.DeviceOptions base = root.deviceOptions();
    Optional<ControlDir.Listen> listen = Optional.ofNullable(control).map(ControlDir::parseListen);
    List<DeviceFactory.DeviceOptions> plans = new ArrayList<>();
    int n = profiles != null ? profiles.size() : count;
    for (int i = 0; i < n; i++) {
      DeviceFactory.DeviceOptions o = profiles != null ? base.withProfile(profiles.get(i)) : base;
      if (n > 1 && o.storeDir().isPresent()) {
        // Each device keeps its own state: device 0 in the store itself, the others beside it.
        Path dir = o.storeDir().get();
        o = o.withStoreDir(Optional.of(i == 0 ? dir : dir.resolve("device-" + i)));
      }
      plans.add(o);
    }
    List<Running> running = new ArrayList<>();
    Runnable stopAll =
        () -> {
          if (controlServer != null) {
            // ctl then says that no serve --control runs, rather than "connection refused"
            new ControlDir(controlDir).removeEndpoint(controlServer.baseUri());
            controlServer.close();
          }
          for (Running r : running) {
            r.hid().close();
            r.backend().close();
            try {
              r.device().close();
            } catch (Exception e) {
              root.err().println("softkey: closing " + r.label() + ": " + e.getMessage());
            }
          }
        };
    try {
      if (listen.isPresent()) {
        controlServer = startControl(listen.get(), base);
      }
      if (transport.equals("usbip")) {
        startUsbIp(plans, running);
      } else for (int i = 0; i < plans.size(); i++) {
        DeviceFactory.DeviceOptions o = plans.get(i);
        DeviceFactory.Device device = open(o);
        HidDeviceBackend backend = backend(i, device);
        CtapHidDevice hid;
        try {
          hid = CtapHidDevice.builder(device.authenticator().orElseThrow()).start(backend);
        } catch (RuntimeException e) {
          backend.close();
          device.close();
          throw e;
        }
        String label = device.authenticator().orElseThrow().profile().id() + (plans.size() > 1 ? "#" + i : "");
        running.add(new Running(label, device, backend, hid));
      }
      register(running);
    } catch (BackendException e) {
      stopAll.run();
      throw new IllegalStateException(e.getMessage(), e);
    } catch (RuntimeException e) {
      stopAll.run();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopAll.run();
      stopped.countDown();
    }, "softkey-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (Running r : running) {
      String where = r.backend() == NO_BACKEND ? running.get(running.size() - 1).backend().describe() : r.backend().describe();
      root.out().printf("softkey ready: %s on %s (presence: %s; Ctrl-C stops)%n", r.label(), where, root.presence());
    }
    if (controlServer != null) {
      root.out().printf("softkey control: %s (token in %s)%n", controlServer.baseUri(),
          new ControlDir(controlDir).tokenFile().toAbsolutePath());
    }
    root.out().flush();
    // Ctrl-C runs the hook; an in-process caller's requestStop ends the wait here instead.
    root.awaitStop();
    if (stopped.getCount() > 0) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stopAll.run();
    }
    return 0;
  }

  /** One USB/IP server exporting every device under bus IDs 1-1, 1-2, ... */
  private void startUsbIp(List<DeviceFactory.DeviceOptions> plans, List<Running> running) throws Exception {
    var builder = dev.softkey.usb.backend.usbip.UsbIpBackend.builder().host("127.0.0.1").port(usbipPort);
    List<DeviceFactory.Device> devices = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      DeviceFactory.Device d = open(plans.get(i));
      devices.add(d);
      builder.export("1-" + (i + 1), d.authenticator().orElseThrow().profile().usb());
    }
    var backend = builder.build();
    java.util.Map<String, dev.softkey.usb.backend.HidReportHandler> handlers = new java.util.LinkedHashMap<>();
    java.util.Map<String, DeferredSender> senders = new java.util.LinkedHashMap<>();
    List<CtapHidDevice> hids = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      DeferredSender sender = new DeferredSender();
      CtapHidDevice hid = CtapHidDevice.builder(devices.get(i).authenticator().orElseThrow()).build(sender);
      hids.add(hid);
      handlers.put("1-" + (i + 1), hid);
      senders.put("1-" + (i + 1), sender);
    }
    try {
      backend.startAll(handlers).forEach((bus, real) -> senders.get(bus).target = real);
    } catch (RuntimeException e) {
      hids.forEach(CtapHidDevice::close);
      backend.close();
      for (DeviceFactory.Device d : devices) {
        d.close();
      }
      throw e;
    }
    for (int i = 0; i < devices.size(); i++) {
      String label = devices.get(i).authenticator().orElseThrow().profile().id() + " (bus ID 1-" + (i + 1) + ")";
      // the backend is shared: only the last entry closes it
      running.add(new Running(label, devices.get(i), i == devices.size() - 1 ? backend : NO_BACKEND, hids.get(i)));
    }
    register(running);
  }

  /**
   * The control API on {@code listen}, its token and endpoint files in --control-dir; the
   * authenticators it adds are the CLI's ({@link CliAuthenticatorHost}: in-memory, the installation
   * CA).
   */
  private ControlServer startControl(ControlDir.Listen listen, DeviceFactory.DeviceOptions base) throws Exception {
    ControlDir dir = new ControlDir(controlDir);
    ControlServer server = ControlServer.builder()
        .address(listen.host(), listen.port())
        .tokenFile(dir.tokenFile())
        .host(new CliAuthenticatorHost(root.factory(), base))
        .build();
    try {
      server.start();
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      dir.writeEndpoint(server.baseUri());
    } catch (java.io.IOException e) {
      server.close();
      throw new IllegalStateException("cannot write " + dir.endpointFile() + ": " + IoErrors.reason(e), e);
    }
    return server;
  }

  /** A device of {@code o}: steered by the control API when there is one. */
  private DeviceFactory.Device open(DeviceFactory.DeviceOptions o) {
    if (controlServer == null) {
      return root.openDevice(o);
    }
    SteeredDevice s = SteeredDevice.open(root::openDevice, o, "usb", b -> b);
    steered.add(s);
    return s.device();
  }

  /**
   * Puts the devices just started behind the control API, with the endpoint their back-end
   * describes. Their resources stay serve's: removing one from the API stops steering it, not
   * serving it.
   */
  private void register(List<Running> running) {
    if (controlServer == null) {
      return;
    }
    for (SteeredDevice s : steered) {
      int i = 0;
      while (running.get(i).device() != s.device()) {
        i++;
      }
      HidDeviceBackend b = running.get(i).backend() == NO_BACKEND ? running.get(running.size() - 1).backend() : running.get(i).backend();
      // udp://HOST:PORT?reply=P is what 'softkey webauthn --device' takes
      String endpoint = transport.equals("udp") ? "udp://127.0.0.1:" + (port + i) + "?reply=" + (replyPort + i) : b.describe();
      controlServer.register(s.served(Optional.of(endpoint), () -> {}).hosted());
    }
    steered.clear();
  }

  /** Reports a device sends before the host attached have nowhere to go. */
  private static final class DeferredSender implements dev.softkey.usb.backend.HidReportSender {
    volatile dev.softkey.usb.backend.HidReportSender target;

    @Override
    public void sendInputReport(byte[] report) {
      dev.softkey.usb.backend.HidReportSender t = target;
      if (t != null) {
        t.sendInputReport(report);
      }
    }
  }

  private static final HidDeviceBackend NO_BACKEND =
      new HidDeviceBackend() {
        @Override
        public dev.softkey.usb.backend.HidReportSender start(dev.softkey.usb.backend.HidReportHandler handler) {
          throw new IllegalStateException();
        }

        @Override
        public String describe() {
          return "";
        }

        @Override
        public void close() {}
      };

  private HidDeviceBackend backend(int i, DeviceFactory.Device device) {
    return switch (transport) {
      case "udp" -> UdpBackend.onLoopback(port + i, replyPort + i);
      case "uhid" -> new dev.softkey.usb.backend.UhidBackend(device.authenticator().orElseThrow().profile().usb());
      default -> throw new UsageException("--transport must be udp, uhid or usbip, not " + transport);
    };
  }
}
