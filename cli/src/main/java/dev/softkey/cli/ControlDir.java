package dev.softkey.cli;

import dev.softkey.control.TokenFile;
import dev.softkey.core.store.FileStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Where {@code softkey serve --control} leaves what {@code softkey ctl} needs to reach it: the
 * file {@code token} (the bearer token, mode 0600, written by the control server) and the file
 * {@code endpoint} (the API's base URI), in {@code --control-dir}, by default {@code control}
 * under the softkey home. The token never goes to the terminal or into process arguments.
 */
record ControlDir(Path dir) {
  static final String TOKEN = "token";
  static final String ENDPOINT = "endpoint";

  /** {@code control} under the softkey home ({@link FileStore#defaultDirectory()}). */
  static Path defaultDir() {
    return FileStore.defaultDirectory().resolve("control");
  }

  Path tokenFile() {
    return dir.resolve(TOKEN);
  }

  Path endpointFile() {
    return dir.resolve(ENDPOINT);
  }

  /** Writes the base URI (atomically: a reader sees the old or the new one). */
  void writeEndpoint(URI base) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".endpoint", ".tmp");
    try {
      Files.writeString(tmp, base + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, endpointFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Deletes the endpoint file if it still names {@code base} (another serve may have replaced it). */
  void removeEndpoint(URI base) {
    try {
      if (Files.readString(endpointFile(), StandardCharsets.US_ASCII).strip().equals(base.toString())) {
        Files.deleteIfExists(endpointFile());
      }
    } catch (IOException e) {
      // gone already, or unreadable: nothing of ours to remove
    }
  }

  /** The base URI a running serve wrote; a missing file is a usage error that says what to run. */
  URI readEndpoint() {
    try {
      return URI.create(Files.readString(endpointFile(), StandardCharsets.US_ASCII).strip());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UsageException("no control API endpoint in " + endpointFile()
          + ": start 'softkey serve --control PORT' (or give --endpoint, --control-dir)");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot read " + endpointFile() + ": " + e.getMessage());
    }
  }

  static String readToken(Path file) {
    try {
      return TokenFile.read(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UsageException("no control API token at " + file + " (--token-file, SOFTKEY_CONTROL_TOKEN or --control-dir)");
    } catch (IOException e) {
      throw new UsageException("cannot read the token file " + file + ": " + IoErrors.reason(e));
    }
  }

  /** Where {@code --control [HOST:]PORT} listens. */
  record Listen(InetAddress host, int port) {}

  /**
   * Parses {@code [HOST:]PORT}: HOST must be loopback (127.0.0.1, ::1, [::1] or localhost; default
   * 127.0.0.1), PORT 0..65535 (0: any free port). Anything else is a usage error.
   */
  static Listen parseListen(String s) {
    String host = "127.0.0.1";
    String port = s;
    int colon = s.lastIndexOf(':');
    if (colon >= 0) {
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new UsageException("--control must be [HOST:]PORT with a port number, not " + s);
    }
    if (p < 0 || p > 65535) {
      throw new UsageException("--control: port " + p + " is not 0..65535");
    }
    InetAddress a;
    switch (host.toLowerCase(Locale.ROOT)) {
      case "127.0.0.1", "localhost" -> a = v4Loopback();
      case "::1", "0:0:0:0:0:0:0:1" -> a = v6Loopback();
      default -> throw new UsageException("--control listens on loopback only (127.0.0.1, ::1 or localhost), not " + host);
    }
    return new Listen(a, p);
  }

  private static InetAddress v4Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InetAddress v6Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
