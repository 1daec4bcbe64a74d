package dev.softkey.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs one command line in-process through {@link Main#run}, as {@code softkey} would. */
final class CliRunner {
  record Result(int code, String out, String err) {}

  private CliRunner() {}

  static Result run(DeviceFactory factory, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Main(factory, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
            .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return run(new DeviceFactory(), "", args);
  }
}
