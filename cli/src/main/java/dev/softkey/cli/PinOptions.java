package dev.softkey.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The authenticator's current PIN: {@code --pin}, {@code --pin-env} or {@code --pin-file}. */
final class PinOptions {
  @Option(names = "--pin", paramLabel = "PIN",
      description = "The authenticator's current PIN, for user verification. Visible to other users in the process list: prefer --pin-env or --pin-file. Default: no PIN.")
  String pin;

  @Option(names = "--pin-env", paramLabel = "VAR", description = "Read the current PIN from environment variable VAR. Default: unset.")
  String pinEnv;

  @Option(names = "--pin-file", paramLabel = "FILE", description = "Read the current PIN from the first line of FILE. Default: unset.")
  Path pinFile;

  /** The PIN, empty when none is given. */
  Optional<String> pin() {
    return SecretInput.read("the PIN", List.of("--pin", "--pin-env", "--pin-file"), pin, pinEnv, pinFile);
  }

  /** The PIN, which {@code command} needs. */
  String required(String command) {
    return pin().orElseThrow(() -> new UsageException(command + " needs the current PIN: give --pin-env VAR, --pin-file FILE or --pin PIN"));
  }
}
