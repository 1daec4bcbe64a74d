package dev.softkey.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The authenticator's current PIN: {@code --pin}, {@code --pin-env} or {@code --pin-file} (the file
 * {@code -} is a line of standard input).
 */
final class PinOptions {
  static final List<String> NAMES = List.of("--pin", "--pin-env", "--pin-file");

  @Option(names = "--pin", paramLabel = "PIN",
      description = "The authenticator's current PIN, for user verification. Other users can read it in /proc (the process's command line, as ps shows it): prefer --pin-env, --pin-file or --pin-file - (stdin). Default: no PIN.")
  String pin;

  @Option(names = "--pin-env", paramLabel = "VAR", description = "Read the current PIN from environment variable VAR. Default: unset.")
  String pinEnv;

  @Option(names = "--pin-file", paramLabel = "FILE|-",
      description = "Read the current PIN from the first line of FILE; '-' reads one line of stdin (before a new PIN given the same way). Default: unset.")
  Path pinFile;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  private Optional<String> read;

  /**
   * The PIN, empty when none is given. The command's device then warns on stderr if the key has no
   * PIN set, since the PIN would be silently unused.
   */
  Optional<String> pin() {
    Optional<String> p = read();
    if (p.isPresent()) {
      root().ifPresent(r -> r.pinGiven(given()));
    }
    return p;
  }

  /** The PIN, which {@code command} needs. */
  String required(String command) {
    return read().orElseThrow(() -> new UsageException(command + " needs the current PIN: give --pin-env VAR, --pin-file FILE, --pin-file - (stdin) or --pin PIN"));
  }

  /** Whether the PIN is to be read from standard input. */
  boolean readsStdin() {
    return SecretInput.isStdin(pinFile);
  }

  private Optional<String> read() {
    if (read == null) {
      read = SecretInput.read("the PIN", NAMES, pin, pinEnv, pinFile, () -> root().orElseThrow().stdinLine());
    }
    return read;
  }

  private String given() {
    return pin != null ? "--pin" : pinEnv != null ? "--pin-env" : "--pin-file";
  }

  /** The {@code softkey} command this mixin's command belongs to (absent outside {@link Main}). */
  private Optional<SoftkeyCommand> root() {
    return Optional.ofNullable(mixee).map(s -> s.root().userObject()).filter(SoftkeyCommand.class::isInstance).map(SoftkeyCommand.class::cast);
  }
}
