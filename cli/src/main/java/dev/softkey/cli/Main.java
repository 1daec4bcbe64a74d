package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.platform.WebAuthnException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * {@code softkey}: the command line entry point. It only assembles the picocli {@link CommandLine}
 * (the command classes, the injecting factory, the help layout, the error handlers) and runs it;
 * the global options live in {@link SoftkeyCommand}, each command in its own class.
 */
public final class Main {
  /** Exit code of a failed operation: a CTAP error, an I/O or store failure. */
  static final int EXIT_FAILURE = 1;

  /** Exit code of a usage error: an unknown option, a bad value, malformed options JSON. */
  static final int EXIT_USAGE = 2;

  /** Help section with the global options, after the command's own options. */
  static final String SECTION_KEY_GLOBAL_OPTIONS = "globalOptions";

  private final DeviceFactory factory;
  private final InputStream in;

  public Main(DeviceFactory factory, InputStream in) {
    this.factory = factory;
    this.in = in;
  }

  /** Library chatter (dbus-java, netty) below WARNING stays out of the terminal. */
  private static final java.util.logging.Logger QUIET_DBUS = java.util.logging.Logger.getLogger("org.freedesktop");

  /**
   * The engine logs "internal error ... StoreFailure" when a store write fails; the CLI prints
   * the store's reason itself (the error line, or {@link ReportingStore}'s log), so that record
   * is dropped. Other internal errors are still logged.
   */
  private static final java.util.logging.Logger ENGINE = java.util.logging.Logger.getLogger(dev.softkey.core.Authenticator.class.getName());

  static {
    ENGINE.setFilter(r -> r.getParameters() == null || !java.util.Arrays.asList(r.getParameters()).contains(StoreFailure.class.getName()));
  }

  public static void main(String[] args) {
    QUIET_DBUS.setLevel(java.util.logging.Level.WARNING);
    System.exit(new Main(new DeviceFactory(), System.in).run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit code (0, 1 for failures, 2 for usage errors). */
  public int run(String[] args, PrintStream stdout, PrintStream stderr) {
    return commandLine(stdout, stderr).execute(args);
  }

  /**
   * The whole command tree, ready to execute: every command created through the injecting
   * factory, help and version options on each, {@code help} commands, global options in their own
   * help section, one-line errors with the exit codes of {@link SoftkeyCommand}'s help footer.
   */
  CommandLine commandLine(PrintStream stdout, PrintStream stderr) {
    SoftkeyCommand root = new SoftkeyCommand(factory, in, stdout, stderr);
    CommandLine cl = new CommandLine(root, new InjectingFactory(root));
    cl.setOut(new PrintWriter(stdout, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
    // "--profile bio" names the bio profile, although "bio" is also a command.
    cl.setAllowSubcommandsAsOptionParameters(true);
    String version = cl.getCommandSpec().version()[0];
    configure(cl, version);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          String name = ex.getCommandLine().getCommandSpec().qualifiedName();
          stderr.println("softkey: " + ex.getMessage() + " (see '" + name + " --help')");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean usage = isUsageError(ex);
          String line = line(ex, root.pinFailureLine(ex));
          if (usage && !(ex instanceof UsageException)) {
            line += " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')";
          }
          stderr.println("softkey: " + line);
          if (root.verbose) {
            printStackTrace(ex, stderr);
          }
          return usage ? EXIT_USAGE : EXIT_FAILURE;
        });
    return cl;
  }

  /** Per command: version, options in declaration order, the global options in their own section. */
  private static void configure(CommandLine cl, String version) {
    CommandSpec spec = cl.getCommandSpec();
    if (spec.version().length == 0) {
      spec.version(version);
    }
    spec.usageMessage().sortOptions(false);
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> optionList(help, false));
    sections.put(SECTION_KEY_GLOBAL_OPTIONS, help -> optionList(help, true));
    List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
    keys.remove(SECTION_KEY_GLOBAL_OPTIONS); // subcommands start with their parent's keys
    keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SECTION_KEY_GLOBAL_OPTIONS);
    cl.setHelpSectionKeys(keys);
    for (CommandLine sub : cl.getSubcommands().values()) {
      configure(sub, version);
    }
  }

  /** A global option: declared with scope INHERIT on {@link SoftkeyCommand}, or inherited from it. */
  static boolean isGlobal(OptionSpec o) {
    return o.inherited() || o.scopeType() == ScopeType.INHERIT;
  }

  private static String optionList(Help help, boolean global) {
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec o : help.commandSpec().options()) {
      if (isGlobal(o) == global && !o.hidden()) {
        options.add(o);
      }
    }
    if (options.isEmpty()) {
      return "";
    }
    String list = help.optionListExcludingGroups(options, help.createDefaultLayout(), null, help.createDefaultParamLabelRenderer());
    return global ? String.format("%nGlobal options (before or after the command):%n") + list : list;
  }

  /** Exit code 2: a value the user gave is wrong, not an operation that failed. */
  static boolean isUsageError(Exception ex) {
    if (ex instanceof UsageException) {
      return true;
    }
    return ex instanceof IllegalArgumentException && !(ex instanceof NumberFormatException);
  }

  /**
   * The error line: for a WebAuthn ceremony the DOMException name, what went wrong and the CTAP
   * status as the detail, e.g. {@code InvalidStateError: a credential in excludeCredentials is
   * already on the authenticator (CTAP2_ERR_CREDENTIAL_EXCLUDED, 0x19)}; where the PIN caused it,
   * the PIN line (retries left, what to do next) takes the message's place.
   */
  static String line(Exception ex, Optional<String> pinLine) {
    if (pinLine.isEmpty() && ex instanceof WebAuthnException w && PinRefusals.isForcedPinChange(w)) {
      return w.name() + ": " + PinRefusals.FORCED_PIN_CHANGE + " (" + w.detail().orElseThrow() + ")";
    }
    if (pinLine.isEmpty()) {
      return describe(ex);
    }
    if (ex instanceof WebAuthnException w && w.ctapStatus().isPresent()) {
      String tag = " (" + w.ctapStatus().get().name() + ")";
      String hint = pinLine.get().endsWith(tag) ? pinLine.get().substring(0, pinLine.get().length() - tag.length()) : pinLine.get();
      return w.name() + ": " + hint + " (" + w.detail().orElseThrow() + ")";
    }
    return pinLine.get();
  }

  /** One line for an error: the DOMException line, or CTAP status and meaning, or the message. */
  static String describe(Exception ex) {
    if (ex instanceof WebAuthnException w) {
      return w.toString();
    }
    if (ex instanceof CtapException c) {
      return c.status().name() + ": " + c.status().meaning();
    }
    if (ex.getMessage() != null) {
      return ex.getMessage();
    }
    return ex.getClass().getSimpleName();
  }

  /** The stack trace for {@code --verbose}; an exception made without one says so. */
  static void printStackTrace(Throwable ex, PrintStream err) {
    ex.printStackTrace(err);
    if (ex.getStackTrace().length == 0) {
      err.println("\t(no stack trace: " + ex.getClass().getName()
          + " is created without one; the status above is what the authenticator or the client reported)");
    }
  }

  /**
   * Creates command objects; those with a constructor taking the {@link SoftkeyCommand} get it
   * (the global options, the device factory, the streams). Usage of command groups, mixins and
   * the help command go through this factory as well.
   */
  private record InjectingFactory(SoftkeyCommand root) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == SoftkeyCommand.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(root));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
