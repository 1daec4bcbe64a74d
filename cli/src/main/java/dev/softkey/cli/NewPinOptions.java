package dev.softkey.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The PIN to set: {@code --new-pin}, {@code --new-pin-env} or {@code --new-pin-file}. */
final class NewPinOptions {
  @Option(names = "--new-pin", paramLabel = "PIN",
      description = "The new PIN (4 or more characters, at most 63 bytes in UTF-8). Visible to other users in the process list: prefer --new-pin-env or --new-pin-file. Default: unset.")
  String newPin;

  @Option(names = "--new-pin-env", paramLabel = "VAR", description = "Read the new PIN from environment variable VAR. Default: unset.")
  String newPinEnv;

  @Option(names = "--new-pin-file", paramLabel = "FILE", description = "Read the new PIN from the first line of FILE. Default: unset.")
  Path newPinFile;

  /** The new PIN, which {@code command} needs. */
  String required(String command) {
    return SecretInput.read("the new PIN", List.of("--new-pin", "--new-pin-env", "--new-pin-file"), newPin, newPinEnv, newPinFile)
        .orElseThrow(() -> new UsageException(command + " needs the new PIN: give --new-pin-env VAR, --new-pin-file FILE or --new-pin PIN"));
  }
}
