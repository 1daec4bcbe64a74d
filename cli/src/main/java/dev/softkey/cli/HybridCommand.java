package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.hybrid.ble.InProcessRadio;
import dev.softkey.hybrid.ble.LoopbackRadio;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.TunnelDomain;
import dev.softkey.hybrid.qr.QrImages;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.session.HybridAuthenticator;
import dev.softkey.hybrid.session.HybridChannel;
import dev.softkey.hybrid.session.HybridInitiator;
import dev.softkey.hybrid.session.HybridOptions;
import dev.softkey.hybrid.session.LinkInfo;
import dev.softkey.hybrid.tunnel.TunnelServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code softkey hybrid}: cross-device (QR) sign-in, both roles, offline or for real. */
@Command(
    name = "hybrid",
    description = "Cross-device sign-in (caBLE v2 / CTAP 2.2 hybrid): the phone, the desktop, a demo.",
    subcommands = {HybridCommand.Decode.class, HybridCommand.Scan.class, HybridCommand.Initiate.class, HybridCommand.HybridDemo.class})
final class HybridCommand implements Callable<Integer> {
  final Main main;

  HybridCommand(Main main) {
    this.main = main;
  }

  @Override
  public Integer call() {
    main.out().println("softkey hybrid: use decode, scan, initiate or demo (see 'softkey hybrid --help')");
    return Main.EXIT_USAGE;
  }

  /** A FIDO:/ URL given directly, or read from a PNG/JPEG screenshot of the QR code. */
  static String fidoUrl(String arg) {
    if (arg.regionMatches(true, 0, QrPayload.PREFIX, 0, QrPayload.PREFIX.length())) {
      return arg;
    }
    Path p = Path.of(arg);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("'" + arg + "' is neither a FIDO:/ URL nor an image file");
    }
    try {
      return QrImages.decode(Files.readAllBytes(p)).orElseThrow(() -> new IllegalArgumentException("no QR code found in " + p));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage());
    }
  }

  /** Options shared by the roles that talk to a tunnel and a radio. */
  static final class Link {
    @Option(names = "--tunnel-url", paramLabel = "URL", description = "Use this tunnel server (e.g. ws://127.0.0.1:8080) instead of the one the advert names.")
    URI tunnelUrl;

    @Option(names = "--radio", paramLabel = "loopback|bluez", description = "The radio: loopback (processes on this machine; default) or bluez (a real controller through BlueZ).")
    String radio = "loopback";

    @Option(names = "--adapter", paramLabel = "hciN", description = "BlueZ adapter (default: ${DEFAULT-VALUE}).")
    String adapter = "hci0";

    @Option(names = "--domain", paramLabel = "ID", description = "Tunnel domain ID the phone advertises (default: ${DEFAULT-VALUE}, Google's).")
    int domain = TunnelDomain.GOOGLE;

    @Option(names = "--timeout", paramLabel = "S", description = "Seconds each step may wait (default: ${DEFAULT-VALUE}).")
    int timeout = 60;

    HybridOptions options(java.util.function.Consumer<String> log) {
      return new HybridOptions(domain, Optional.ofNullable(tunnelUrl), Duration.ofSeconds(timeout), log);
    }

    Radio radio() {
      return switch (radio) {
        case "loopback" -> new LoopbackRadio();
        case "bluez" -> {
          try {
            yield dev.softkey.hybrid.ble.BluezRadio.open(adapter);
          } catch (dev.softkey.hybrid.ble.BluezException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        }
        default -> throw new IllegalArgumentException("--radio must be loopback or bluez");
      };
    }
  }

  @Command(name = "decode", description = "Print a QR code's payload as JSON (every key, named).")
  static final class Decode implements Callable<Integer> {
    @ParentCommand HybridCommand parent;

    @Parameters(paramLabel = "FIDO:/...|IMAGE")
    String qr;

    @Override
    public Integer call() throws Exception {
      QrPayload p;
      try {
        p = QrPayload.decode(fidoUrl(qr));
      } catch (HybridException e) {
        throw new IllegalArgumentException("not a valid hybrid QR code: " + e.getMessage());
      }
      ObjectNode n = Main.JSON.createObjectNode();
      n.put("0_publicKey", p.publicKey().compressed().hex());
      n.put("1_qrSecret", p.qrSecret().hex());
      p.knownDomainCount().ifPresent(v -> n.put("2_knownTunnelDomains", v));
      p.currentTime().ifPresent(v -> n.put("3_currentTime", v));
      p.currentInstant().ifPresent(v -> n.put("3_currentTimeIso", v.toString()));
      p.supportsStateAssisted().ifPresent(v -> n.put("4_supportsLinking", v));
      p.requestTypeHint().ifPresent(v -> n.put("5_requestType", v));
      p.supportsNonDiscoverableMakeCredential().ifPresent(v -> n.put("6_supportsNonDiscoverableMakeCredential", v));
      p.supportedChannels().ifPresent(v -> n.putPOJO("6_supportedChannels", v));
      p.unknownKeys().forEach((k, v) -> n.put("unknown_" + k, String.valueOf(v)));
      parent.main.out().println(Main.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
      return 0;
    }
  }

  @Command(name = "scan", description = "Be the phone: answer a QR code (FIDO:/ URL or screenshot) with this key.")
  static final class Scan implements Callable<Integer> {
    @ParentCommand HybridCommand parent;

    @Parameters(paramLabel = "FIDO:/...|IMAGE")
    String qr;

    @picocli.CommandLine.Mixin Link link = new Link();

    @Option(names = "--name", description = "The phone's name in linking information (default: ${DEFAULT-VALUE}).")
    String name = "softkey";

    @Override
    public Integer call() throws Exception {
      String url = fidoUrl(qr);
      try {
        QrPayload.decode(url);
      } catch (HybridException e) {
        throw new IllegalArgumentException("not a valid hybrid QR code: " + e.getMessage());
      }
      Main main = parent.main;
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions()); Radio radio = link.radio()) {
        HybridAuthenticator phone =
            new HybridAuthenticator(d.authenticator().orElseThrow(), d.state().orElseThrow(), radio, RandomSource.secure(), link.options(main.out()::println), name);
        HybridAuthenticator.Outcome o = phone.serveQr(url);
        main.out().printf("softkey hybrid: served %d CTAP request(s)%s%n", o.ctapRequests(), o.linkingSent() ? ", sent linking information" : "");
      }
      return 0;
    }
  }

  @Command(name = "initiate", description = "Be the desktop: show a QR code, wait for the phone, run the WebAuthn request from stdin.")
  static final class Initiate implements Callable<Integer> {
    @ParentCommand HybridCommand parent;

    @picocli.CommandLine.Mixin Link link = new Link();

    @Option(names = "--origin", required = true, paramLabel = "URL")
    String origin;

    @Option(names = "--options", paramLabel = "FILE", description = "Options JSON (default: stdin).")
    Path options;

    @Option(names = "--qr-png", paramLabel = "FILE", description = "Also write the QR code as a PNG.")
    Path png;

    @Option(names = "--pin", paramLabel = "PIN")
    String pin;

    @Override
    public Integer call() throws Exception {
      Main main = parent.main;
      String json = options != null ? Files.readString(options) : new String(main.stdin().readAllBytes(), StandardCharsets.UTF_8);
      JsonNode tree = Main.JSON.readTree(json);
      JsonNode pk = tree.has("publicKey") ? tree.get("publicKey") : tree;
      boolean create = pk.has("user");
      try (Radio radio = link.radio()) {
        HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), link.options(System.err::println));
        HybridInitiator.Pending pending = desktop.startQr(create ? RequestType.MAKE_CREDENTIAL : RequestType.GET_ASSERTION, false);
        System.err.println(QrImages.renderTerminal(pending.fidoUrl(), false));
        System.err.println(pending.fidoUrl());
        if (png != null) {
          Files.write(png, QrImages.png(pending.fidoUrl(), 8));
        }
        try (HybridChannel channel = pending.connect()) {
          WebAuthnClient client = WebAuthnClient.builder(channel).transports(List.of("hybrid")).build();
          Optional<String> p = Optional.ofNullable(pin);
          String out = create ? client.create(json, origin, p).toJson() : client.get(json, origin, p).toJson();
          main.out().println(out);
        }
      }
      return 0;
    }
  }

  @Command(name = "demo", description = "Both roles and a tunnel server in this process, offline: QR, advert, handshake, register, sign in, then a linked sign-in.")
  static final class HybridDemo implements Callable<Integer> {
    @ParentCommand HybridCommand parent;

    @Override
    public Integer call() throws Exception {
      Main main = parent.main;
      AtomicReference<HybridAuthenticator> phoneRef = new AtomicReference<>();
      try (TunnelServer server =
              TunnelServer.start(new InetSocketAddress("127.0.0.1", 0), TunnelServer.Limits.DEFAULT, Optional.empty(),
                  id -> Optional.ofNullable(phoneRef.get()).flatMap(p -> p.contacts(e -> null).find(id)));
          DeviceFactory.Device d = main.factory().open(main.deviceOptions().inMemory())) {
        main.out().println("softkey hybrid demo: tunnel server on ws://127.0.0.1:" + server.port() + ", in-process radio, in-memory phone");
        HybridOptions opts = HybridOptions.loopback(URI.create("ws://127.0.0.1:" + server.port())).withLog(s -> main.out().println("   " + s));
        InProcessRadio radio = new InProcessRadio();
        HybridAuthenticator phone = new HybridAuthenticator(d.authenticator().orElseThrow(), d.state().orElseThrow(), radio, RandomSource.secure(), opts, "softkey demo phone");
        phoneRef.set(phone);
        HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), opts);
        HybridInitiator.Pending pending = desktop.startQr(RequestType.MAKE_CREDENTIAL, true);
        main.out().println("The desktop shows this QR code; the phone scans it:");
        main.out().println(QrImages.renderTerminal(pending.fidoUrl(), false));
        main.out().println(pending.fidoUrl());
        CompletableFuture<HybridAuthenticator.Outcome> phoneRun =
            CompletableFuture.supplyAsync(() -> {
              try {
                return phone.serveQr(pending.fidoUrl());
              } catch (IOException e) {
                throw new HybridException(e.getMessage());
              }
            });
        Optional<LinkInfo> link;
        try (HybridChannel channel = pending.connect()) {
          new Demo(WebAuthnClient.builder(channel).transports(List.of("hybrid")).build(), main.out(), main.deviceOptions().seed()).run(Optional.empty());
          link = channel.linkInfo();
        }
        HybridAuthenticator.Outcome o = phoneRun.get(opts.timeout().toSeconds(), TimeUnit.SECONDS);
        main.out().printf("The phone served %d CTAP request(s) over the tunnel.%n", o.ctapRequests());
        if (link.isPresent()) {
          main.out().println();
          main.out().println("Linked sign-in: no QR code this time; the tunnel's contact endpoint wakes the phone.");
          try (HybridChannel channel = desktop.connectLinked(link.get(), RequestType.GET_ASSERTION)) {
            String get = "{\"challenge\":\"" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(RandomSource.secure().bytes(32))
                + "\",\"rpId\":\"demo.softkey.dev\",\"userVerification\":\"discouraged\"}";
            var auth = WebAuthnClient.builder(channel).transports(List.of("hybrid")).build().get(get, "https://demo.softkey.dev", Optional.empty());
            main.out().println("   signed in with the discoverable credential " + auth.rawId().base64Url().substring(0, 16) + "... (user handle "
                + auth.userHandle().map(u -> u.base64Url()).orElse("none") + ")");
          }
        }
        main.out().println();
        main.out().println("Hybrid demo complete.");
      }
      return 0;
    }
  }
}
