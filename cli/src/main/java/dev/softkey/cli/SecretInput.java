package dev.softkey.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A PIN given one of four ways: in the argument (other users can read it in /proc/PID/cmdline and
 * ps), in an environment variable, as the first line of a file, or as a line of standard input
 * (the file {@code -}). At most one may be given.
 */
final class SecretInput {
  /** The file name that stands for standard input. */
  static final String STDIN = "-";

  private SecretInput() {}

  /**
   * The secret, empty when none of the three options is given.
   *
   * @param what what the secret is, for messages ("the PIN")
   * @param options the three option names, in the order of the values
   * @param stdinLine the next line of standard input, for the file {@code -}
   */
  static Optional<String> read(
      String what, List<String> options, String value, String env, Path file, Supplier<Optional<String>> stdinLine) {
    List<String> given = new ArrayList<>();
    if (value != null) {
      given.add(options.get(0));
    }
    if (env != null) {
      given.add(options.get(1));
    }
    if (file != null) {
      given.add(options.get(2));
    }
    if (given.size() > 1) {
      throw new UsageException(String.join(" and ", given) + " both give " + what + "; use one of them");
    }
    if (value != null) {
      return Optional.of(value);
    }
    if (env != null) {
      String v = System.getenv(env);
      if (v == null) {
        throw new UsageException("environment variable " + env + " (" + options.get(1) + ") is not set; export it or use "
            + options.get(2));
      }
      return Optional.of(v);
    }
    if (file != null && file.toString().equals(STDIN)) {
      Optional<String> line = stdinLine.get();
      if (line.isEmpty() || line.get().isEmpty()) {
        throw new UsageException("no line on stdin for " + what + " (" + options.get(2) + " " + STDIN + "); give it on its own line");
      }
      return line;
    }
    if (file != null) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
          throw new UsageException(file + " (" + options.get(2) + ") is empty; put " + what + " on its first line");
        }
        return Optional.of(lines.get(0));
      } catch (IOException e) {
        throw new UsageException("cannot read " + what + " from " + file + " (" + options.get(2) + "): " + IoErrors.reason(e)
            + "; check the path");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code file} is {@code -}, standard input. */
  static boolean isStdin(Path file) {
    return file != null && file.toString().equals(STDIN);
  }
}
