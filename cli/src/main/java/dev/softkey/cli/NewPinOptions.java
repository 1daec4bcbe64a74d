package dev.softkey.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The PIN to set: {@code --new-pin}, {@code --new-pin-env} or {@code --new-pin-file} ({@code -}: a line of stdin). */
final class NewPinOptions {
  @Option(names = "--new-pin", paramLabel = "PIN",
      description = "The new PIN (4 or more characters, at most 63 bytes in UTF-8). Other users can read it in /proc (the process's command line, as ps shows it): prefer --new-pin-env, --new-pin-file or --new-pin-file - (stdin). Default: unset.")
  String newPin;

  @Option(names = "--new-pin-env", paramLabel = "VAR", description = "Read the new PIN from environment variable VAR. Default: unset.")
  String newPinEnv;

  @Option(names = "--new-pin-file", paramLabel = "FILE|-",
      description = "Read the new PIN from the first line of FILE; '-' reads one line of stdin (after the current PIN, if --pin-file - is given too). Default: unset.")
  Path newPinFile;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The new PIN, which {@code command} needs. */
  String required(String command) {
    return SecretInput.read("the new PIN", List.of("--new-pin", "--new-pin-env", "--new-pin-file"), newPin, newPinEnv, newPinFile,
            () -> ((SoftkeyCommand) mixee.root().userObject()).stdinLine())
        .orElseThrow(() -> new UsageException(command + " needs the new PIN: give --new-pin-env VAR, --new-pin-file FILE, --new-pin-file - (stdin) or --new-pin PIN"));
  }
}
