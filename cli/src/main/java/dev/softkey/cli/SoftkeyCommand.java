package dev.softkey.cli;

import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.store.FileStore;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.WebAuthnClient;
import java.util.ArrayList;
import java.util.List;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code softkey} command: the global options (accepted before or after any
 * command) and what every command shares: the device factory, the standard streams, opening the
 * device the global options describe. Commands get it through their constructor.
 */
@Command(
    name = "softkey",
    mixinStandardHelpOptions = true,
    version = "softkey 0.1.0",
    description = "A software FIDO2 security key: CTAP 2.1 and U2F, as a USB HID key (serve), in cross-device sign-in (hybrid) and from the command line.",
    subcommands = {
      WebAuthnCommand.class,
      InfoCommand.class,
      PinCommand.class,
      BioCommand.class,
      ConfigCommand.class,
      ResetCommand.class,
      ProvisionCommand.class,
      CredentialsCommand.class,
      LargeBlobsCommand.class,
      ProfilesCommand.class,
      CaCommand.class,
      MdsCommand.class,
      RpCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      TunnelServerCommand.class,
      ServeCommand.class,
      CtlCommand.class,
      ProbeCommand.class,
      HybridCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a failed operation (a CTAP error such as a wrong PIN or a refused touch, an I/O or store failure)",
      "2:a usage error (unknown command or option, bad value, malformed options JSON)"
    },
    footerHeading = "%n",
    footer = {
      "Run 'softkey COMMAND --help' or 'softkey help COMMAND [SUBCOMMAND]' for a command's options.",
      "Errors are one line on stderr; --verbose adds the stack trace."
    })
final class SoftkeyCommand implements Callable<Integer> {
  @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "DIR|memory",
      description = {
        "Where credentials and device state live: a directory (created with a notice on stderr if missing) or 'memory' (gone when the command ends).",
        "Default: ${DEFAULT-VALUE} ($SOFTKEY_HOME, else $XDG_DATA_HOME/softkey, else ~/.local/share/softkey)."
      })
  String store = DeviceFactory.defaultStoreDir().toString();

  @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "The attestation CA directory: one root, vendor intermediates and batch certificates shared by every store (--store memory too). Default: ca under the store home (${DEFAULT-VALUE}).")
  String ca = DeviceFactory.defaultCaDir().toString();

  @Option(names = "--passphrase-env", scope = ScopeType.INHERIT, paramLabel = "VAR",
      description = "Encrypt the store with the passphrase in environment variable VAR (Argon2id + AES-256-GCM). Default: not encrypted.")
  String passphraseEnv;

  @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "ID|FILE",
      description = "The emulated model: a built-in profile ID (see 'softkey profiles') or a profile JSON file. Default: ${DEFAULT-VALUE}.")
  String profile = "generic";

  @Option(names = "--seed", scope = ScopeType.INHERIT, paramLabel = "N",
      description = "Deterministic keys, credential IDs and signatures from seed N (tests only: predictable by design). Default: secure randomness.")
  Long seed;

  @Option(names = "--presence", scope = ScopeType.INHERIT, paramLabel = "approve|deny|prompt",
      description = "How the simulated user answers touch requests: approve, deny, or prompt on the console (Enter approves, 'n' refuses, 30 s). Default: ${DEFAULT-VALUE}.")
  String presence = "approve";

  @Option(names = "--no-fingerprint", scope = ScopeType.INHERIT,
      description = "A new key with a fingerprint sensor (e.g. --profile bio) starts with nothing enrolled, as a Bio key out of the box:"
          + " getInfo uv is false until 'softkey bio enroll'. A store that already holds fingerprints keeps them."
          + " Default: one pre-enrolled fingerprint.")
  boolean noFingerprint;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print the stack trace with an error. Default: off.")
  boolean verbose;

  @Spec CommandSpec spec;

  private final DeviceFactory factory;
  private final List<DeviceFactory.Device> opened = new ArrayList<>();
  private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
  private Optional<String> pinOption = Optional.empty();
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  SoftkeyCommand(DeviceFactory factory, InputStream in, PrintStream out, PrintStream err) {
    this.factory = factory;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /** Without a command: the usage, and exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return Main.EXIT_USAGE;
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
        Optional.ofNullable(passphraseEnv),
        !noFingerprint,
        Path.of(ca));
  }

  /** The device of the global options. */
  DeviceFactory.Device openDevice() {
    return openDevice(deviceOptions());
  }

  /**
   * A device; a store that did not exist before is announced on stderr, and so is a PIN given
   * (through {@link PinOptions}) to a key that has none, which would otherwise be silently unused.
   */
  DeviceFactory.Device openDevice(DeviceFactory.DeviceOptions o) {
    DeviceFactory.Device d = announcingNewStore(o, () -> factory.open(o));
    opened.add(d);
    pinOption.ifPresent(option -> warnIfNoPin(d, option));
    return d;
  }

  /**
   * {@link #openDevice(DeviceFactory.DeviceOptions)} with builder adjustments and a chain of its
   * own ({@link DeviceFactory#open(DeviceFactory.DeviceOptions, UnaryOperator, java.util.function.Function)}).
   */
  DeviceFactory.Device openDevice(DeviceFactory.DeviceOptions o, UnaryOperator<AuthenticatorBuilder> customize,
      java.util.function.Function<dev.softkey.core.Authenticator, dev.softkey.core.CtapDevice> chain) {
    DeviceFactory.Device d = announcingNewStore(o, () -> factory.open(o, customize, chain));
    opened.add(d);
    pinOption.ifPresent(option -> warnIfNoPin(d, option));
    return d;
  }

  /** Ends a long-running command ({@code serve}) as Ctrl-C would: for in-process callers. */
  void requestStop() {
    stop.countDown();
  }

  /** Waits for {@link #requestStop}. */
  void awaitStop() throws InterruptedException {
    stop.await();
  }

  /**
   * A device opened elsewhere (a key at {@code --device}): kept for the PIN error line and checked
   * for a PIN like {@link #openDevice}'s.
   */
  DeviceFactory.Device remember(DeviceFactory.Device d) {
    opened.add(d);
    pinOption.ifPresent(option -> warnIfNoPin(d, option));
    return d;
  }

  /** Remembers that the current PIN was given with {@code option}, for {@link #openDevice}. */
  void pinGiven(String option) {
    pinOption = Optional.of(option);
  }

  private void warnIfNoPin(DeviceFactory.Device d, String option) {
    AuthenticatorInfo info;
    try {
      info = WebAuthnClient.builder(d.transport()).build().getInfo();
    } catch (RuntimeException e) {
      return; // the command's own getInfo reports the failure
    }
    if (!info.isPinSet()) {
      err.println("softkey: warning: " + option + " was given but the key has no PIN set, so the PIN is not used"
          + " (set one with 'softkey pin set')");
    }
  }

  /**
   * The error line for a command that failed because of the PIN: the retries left after a wrong
   * PIN, what to do when the PIN is blocked or a power cycle is needed; empty for other failures.
   */
  Optional<String> pinFailureLine(Exception ex) {
    Optional<PinRefusals.Refusal> last = Optional.empty();
    for (DeviceFactory.Device d : opened) {
      if (d.pinRefusals().last().isPresent()) {
        last = d.pinRefusals().last();
      }
    }
    Optional<PinRefusals.Refusal> refusal = last;
    return PinRefusals.statusOf(ex).flatMap(s -> PinRefusals.explain(s, refusal));
  }

  /**
   * The next line of standard input (without its line terminator), empty at its end; for secrets
   * given as the file {@code -}. Reads byte by byte so that nothing after the line is consumed.
   */
  Optional<String> stdinLine() {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        line.write(b);
      }
      if (b == -1 && line.size() == 0) {
        return Optional.empty();
      }
    } catch (java.io.IOException e) {
      throw new UsageException("cannot read stdin: " + IoErrors.reason(e));
    }
    String s = line.toString(java.nio.charset.StandardCharsets.UTF_8);
    return Optional.of(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
  }

  /**
   * Runs {@code action} (which opens the store of {@code o}); if that created the store directory,
   * says so on stderr, so that a mistyped --store does not look like lost credentials.
   */
  <T> T announcingNewStore(DeviceFactory.DeviceOptions o, Supplier<T> action) {
    Optional<Path> dir = o.storeDir().filter(d -> !Files.exists(d));
    T result = action.get();
    dir.filter(d -> Files.exists(d.resolve(FileStore.STATE_FILE_NAME)))
        .ifPresent(d -> err.println("softkey: new store created at " + d.toAbsolutePath().normalize()
            + " (if you expected existing credentials, check --store)"));
    return result;
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

  PrintStream err() {
    return err;
  }

  String presence() {
    return presence;
  }

  /** The global --profile as given (an ID or a file). */
  String profileId() {
    return profile;
  }

  /** The global --seed. */
  OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }
}
