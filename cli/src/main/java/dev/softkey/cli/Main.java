package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.profile.Profile;
import dev.softkey.platform.CtapErrors;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code softkey}: the command line entry point. */
@Command(
    name = "softkey",
    mixinStandardHelpOptions = true,
    version = "softkey 0.1.0",
    description = "A software FIDO2 security key.",
    subcommands = {
      Main.WebAuthnCommand.class,
      Main.InfoCommand.class,
      Main.PinCommand.class,
      Main.ResetCommand.class,
      Main.ProfilesCommand.class,
      Main.CaCommand.class,
      Main.DemoCommand.class,
      Main.BenchCommand.class,
      Main.TunnelServerCommand.class,
      ServeCommand.class,
      ProbeCommand.class,
      HybridCommand.class
    })
public final class Main implements Callable<Integer> {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "DIR|memory",
      description = "Credential store directory, or 'memory' (default: ${DEFAULT-VALUE}).")
  String store = DeviceFactory.defaultStoreDir().toString();

  @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "ID",
      description = "Device profile id or JSON file (default: ${DEFAULT-VALUE}).")
  String profile = "generic";

  @Option(names = "--seed", scope = ScopeType.INHERIT, paramLabel = "N",
      description = "Seed for deterministic keys, IDs and signatures.")
  Long seed;

  @Option(names = "--presence", scope = ScopeType.INHERIT, paramLabel = "approve|deny|prompt",
      description = "How the simulated user answers presence checks: approve, deny, or prompt on the console (default: ${DEFAULT-VALUE}).")
  String presence = "approve";

  @Option(names = "--passphrase-env", scope = ScopeType.INHERIT, paramLabel = "VAR",
      description = "Environment variable holding the store passphrase.")
  String passphraseEnv;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean verbose;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private final DeviceFactory factory;
  private final InputStream in;
  private PrintStream out = System.out;

  public Main(DeviceFactory factory, InputStream in) {
    this.factory = factory;
    this.in = in;
  }

  /** Library chatter (dbus-java, netty) below WARNING stays out of the terminal. */
  private static final java.util.logging.Logger QUIET_DBUS = java.util.logging.Logger.getLogger("org.freedesktop");

  public static void main(String[] args) {
    QUIET_DBUS.setLevel(java.util.logging.Level.WARNING);
    System.exit(new Main(new DeviceFactory(), System.in).run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit code (0, 1 for failures, 2 for usage errors). */
  public int run(String[] args, PrintStream stdout, PrintStream stderr) {
    this.out = stdout;
    CommandLine cl = new CommandLine(this, new InjectingFactory(this));
    cl.setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          stderr.println("softkey: " + ex.getMessage() + " (see 'softkey --help')");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException && !(ex instanceof NumberFormatException)) {
            stderr.println("softkey: " + ex.getMessage());
            if (verbose) {
              ex.printStackTrace(stderr);
            }
            return EXIT_USAGE;
          }
          stderr.println("softkey: " + describe(ex));
          if (verbose) {
            ex.printStackTrace(stderr);
          }
          return EXIT_FAILURE;
        });
    return cl.execute(args);
  }

  /** One line for an error: CTAP status and meaning, or the DOMException name and message. */
  static String describe(Exception ex) {
    if (ex instanceof WebAuthnException w) {
      return w.ctapStatus().isPresent() ? w.getMessage() : w.name() + ": " + w.getMessage();
    }
    if (ex instanceof CtapException c) {
      return c.status().name() + ": " + c.status().meaning();
    }
    if (ex.getMessage() != null) {
      return ex.getMessage();
    }
    return ex.getClass().getSimpleName();
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return EXIT_USAGE;
  }

  DeviceFactory.DeviceOptions deviceOptions() {
    if (!presence.equals("approve") && !presence.equals("deny") && !presence.equals("prompt")) {
      throw new IllegalArgumentException("--presence must be approve, deny or prompt, not " + presence);
    }
    return new DeviceFactory.DeviceOptions(
        store.equals("memory") ? Optional.empty() : Optional.of(Path.of(store)),
        profile,
        seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
        presence,
        Optional.ofNullable(passphraseEnv));
  }

  DeviceFactory factory() {
    return factory;
  }

  InputStream stdin() {
    return in;
  }

  PrintStream out() {
    return out;
  }

  static void printJson(PrintStream out, JsonNode n) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a command without parameters and throws the status unless it is CTAP2_OK. */
  static void simpleCommand(DeviceFactory.Device d, int command) {
    byte[] resp = d.transport().transact(new byte[] {(byte) command});
    if (resp.length == 0 || (resp[0] & 0xFF) != CtapStatus.CTAP2_OK.code()) {
      throw CtapErrors.toException(resp.length == 0 ? CtapStatus.CTAP1_ERR_OTHER.code() : resp[0] & 0xFF);
    }
  }

  /** Creates command objects, handing them the {@link Main} instance. */
  private record InjectingFactory(Main main) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Main.class) {
          return cls.cast(c.newInstance(main));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Command(name = "webauthn", description = "Run WebAuthn ceremonies as a browser would.",
      subcommands = {WebAuthnCreate.class, WebAuthnGet.class})
  static final class WebAuthnCommand implements Callable<Integer> {
    private final Main main;

    WebAuthnCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      new CommandLine(this, new InjectingFactory(main)).usage(main.out());
      return EXIT_USAGE;
    }
  }

  /** Options shared by create and get. */
  abstract static class CeremonyOptions {
    @Option(names = "--origin", required = true, paramLabel = "URL", description = "The calling page's origin.")
    String origin;

    @Option(names = "--pin", paramLabel = "PIN", description = "The authenticator PIN, for user verification.")
    String pin;

    @Option(names = "--options", paramLabel = "FILE",
        description = "Options JSON (PublicKeyCredential*OptionsJSON, bare or in {\"publicKey\":...}); stdin if absent.")
    Path options;

    @Option(names = "--transport", paramLabel = "NAME", split = ",",
        description = "Transports to report for new credentials (default: usb).")
    List<String> transports = List.of("usb");

    String readOptions(InputStream in) {
      try {
        return options != null ? Files.readString(options) : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read options: " + e.getMessage(), e);
      }
    }

    WebAuthnClient client(DeviceFactory.Device d) {
      WebAuthnClient.Builder b = WebAuthnClient.builder(d.transport()).transports(transports);
      d.pinTokenProvider().ifPresent(b::pinTokenProvider);
      return b.build();
    }
  }

  @Command(name = "create", description = "navigator.credentials.create(): registration response JSON to stdout.")
  static final class WebAuthnCreate extends CeremonyOptions implements Callable<Integer> {
    private final Main main;

    WebAuthnCreate(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      String json = readOptions(main.in);
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        printJson(main.out(), client(d).create(json, origin, Optional.ofNullable(pin)).toJsonNode());
      }
      return 0;
    }
  }

  @Command(name = "get", description = "navigator.credentials.get(): authentication response JSON to stdout.")
  static final class WebAuthnGet extends CeremonyOptions implements Callable<Integer> {
    private final Main main;

    WebAuthnGet(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      String json = readOptions(main.in);
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        printJson(main.out(), client(d).get(json, origin, Optional.ofNullable(pin)).toJsonNode());
      }
      return 0;
    }
  }

  @Command(name = "info", description = "authenticatorGetInfo, readably.")
  static final class InfoCommand implements Callable<Integer> {
    private final Main main;

    InfoCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        main.out().print(WebAuthnClient.builder(d.transport()).build().getInfo().describe());
      }
      return 0;
    }
  }

  @Command(name = "pin", description = "Set or change the authenticator PIN.",
      subcommands = {PinSet.class, PinChange.class})
  static final class PinCommand implements Callable<Integer> {
    private final Main main;

    PinCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      new CommandLine(this, new InjectingFactory(main)).usage(main.out());
      return EXIT_USAGE;
    }
  }

  @Command(name = "set", description = "Set the first PIN (clientPIN setPIN).")
  static final class PinSet implements Callable<Integer> {
    private final Main main;

    @Option(names = "--new-pin", required = true, paramLabel = "PIN")
    String newPin;

    PinSet(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        main.factory().setPin(d, newPin);
      }
      main.out().println("PIN set.");
      return 0;
    }
  }

  @Command(name = "change", description = "Change the PIN (clientPIN changePIN).")
  static final class PinChange implements Callable<Integer> {
    private final Main main;

    @Option(names = "--pin", required = true, paramLabel = "PIN", description = "The current PIN.")
    String pin;

    @Option(names = "--new-pin", required = true, paramLabel = "PIN")
    String newPin;

    PinChange(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        main.factory().changePin(d, pin, newPin);
      }
      main.out().println("PIN changed.");
      return 0;
    }
  }

  @Command(name = "reset", description = "authenticatorReset: delete all credentials and the PIN.")
  static final class ResetCommand implements Callable<Integer> {
    private final Main main;

    ResetCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      try (DeviceFactory.Device d = main.factory().open(main.deviceOptions())) {
        simpleCommand(d, 0x07);
      }
      main.out().println("Authenticator reset.");
      return 0;
    }
  }

  @Command(name = "profiles", description = "List the built-in device profiles.")
  static final class ProfilesCommand implements Callable<Integer> {
    private final Main main;

    ProfilesCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      for (Profile p : main.factory().profiles()) {
        main.out().printf("%-12s %s%n", p.id(), p.description());
      }
      return 0;
    }
  }

  @Command(name = "ca", description = "The attestation CA.", subcommands = {CaExport.class})
  static final class CaCommand implements Callable<Integer> {
    private final Main main;

    CaCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() {
      new CommandLine(this, new InjectingFactory(main)).usage(main.out());
      return EXIT_USAGE;
    }
  }

  @Command(name = "export", description = "Print the attestation root certificate (PEM), for RP trust stores.")
  static final class CaExport implements Callable<Integer> {
    private final Main main;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path outFile;

    CaExport(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws IOException {
      String pem = main.factory().exportCaCertificatePem(main.deviceOptions());
      if (outFile != null) {
        Files.writeString(outFile, pem);
      } else {
        main.out().print(pem);
      }
      return 0;
    }
  }

  @Command(name = "demo", description = "Register and sign in against a built-in relying party, step by step.")
  static final class DemoCommand implements Callable<Integer> {
    private final Main main;

    @Option(names = "--pin", paramLabel = "PIN", description = "Use this PIN (the demo's key has none unless set).")
    String pin;

    DemoCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      DeviceFactory.DeviceOptions o = main.deviceOptions().inMemory();
      try (DeviceFactory.Device d = main.factory().open(o)) {
        WebAuthnClient.Builder b = WebAuthnClient.builder(d.transport());
        d.pinTokenProvider().ifPresent(b::pinTokenProvider);
        new Demo(b.build(), main.out(), o.seed()).run(Optional.ofNullable(pin));
      }
      return 0;
    }
  }

  @Command(name = "bench", description = "Operations per second of makeCredential and getAssertion next to the raw signature rate.")
  static final class BenchCommand implements Callable<Integer> {
    private final Main main;

    @Option(names = "--seconds", paramLabel = "S", description = "Measured seconds per round (default: ${DEFAULT-VALUE}).")
    double seconds = 2;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds per figure; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--no-udp", description = "Skip CTAPHID over UDP loopback.")
    boolean noUdp;

    @Option(names = "--no-hybrid", description = "Skip hybrid QR-to-assertion over loopback.")
    boolean noHybrid;

    BenchCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      if (seconds <= 0 || rounds < 1) {
        throw new IllegalArgumentException("--seconds must be positive and --rounds at least 1");
      }
      DeviceFactory.DeviceOptions o = main.deviceOptions().inMemory();
      java.time.Duration round = java.time.Duration.ofMillis((long) (seconds * 1000));
      java.util.List<AutoCloseable> opened = new java.util.ArrayList<>();
      try {
        new Bench(() -> {
              DeviceFactory.Device d = main.factory().open(o);
              opened.add(d);
              return d;
            }, round.dividedBy(2), round, rounds)
            .run(main.out());
        if (!noUdp) {
          new Bench(() -> {
                DeviceFactory.Device d = main.factory().open(o);
                opened.add(d);
                return d;
              }, round.dividedBy(2), round, rounds)
              .runUdp(main.out());
        }
        if (!noHybrid) {
          new Bench(() -> {
                DeviceFactory.Device d = main.factory().open(o);
                opened.add(d);
                return d;
              }, round.dividedBy(2), round, rounds)
              .runHybrid(main.out(), 50);
        }
      } finally {
        for (AutoCloseable c : opened) {
          try {
            c.close();
          } catch (Exception e) {
            // memory stores: nothing to release
          }
        }
      }
      return 0;
    }
  }

  @Command(name = "tunnel-server", description = "Run a caBLE v2 (hybrid) tunnel server until Ctrl-C.")
  static final class TunnelServerCommand implements Callable<Integer> {
    private final Main main;

    @Option(names = "--port", paramLabel = "P", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 8080;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
    String host = "127.0.0.1";

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve wss:// with this certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key (PKCS#8 PEM) for --tls-cert.")
    Path tlsKey;

    TunnelServerCommand(Main main) {
      this.main = main;
    }

    @Override
    public Integer call() throws Exception {
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      Optional<io.netty.handler.ssl.SslContext> tls =
          tlsCert == null
              ? Optional.empty()
              : Optional.of(io.netty.handler.ssl.SslContextBuilder.forServer(tlsCert.toFile(), tlsKey.toFile()).build());
      dev.softkey.hybrid.tunnel.TunnelServer server =
          dev.softkey.hybrid.tunnel.TunnelServer.start(
              new java.net.InetSocketAddress(host, port),
              dev.softkey.hybrid.tunnel.TunnelServer.Limits.DEFAULT,
              tls,
              dev.softkey.hybrid.tunnel.ContactDirectory.none());
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stop.countDown();
      }));
      main.out().printf("softkey tunnel server ready: %s://%s:%d (endpoints /cable/new, /cable/connect, /cable/contact; Ctrl-C stops)%n",
          tls.isPresent() ? "wss" : "ws", host, server.port());
      main.out().flush();
      stop.await();
      return 0;
    }
  }
}
