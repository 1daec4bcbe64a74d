package dev.softkey.cli;

import dev.softkey.core.OperationContext;
import dev.softkey.core.OperationContext.KeepaliveStatus;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code --presence prompt}: asks on the console ("touch the key: press Enter") and waits for a
 * line, with keepalives every 100 ms and a timeout, for interactive QA. A line starting with "n"
 * refuses. One reader thread owns the input stream, so lines typed between requests are dropped
 * before each new prompt.
 */
public final class ConsolePresence implements UserPresence {
  private final PrintStream out;
  private final Duration timeout;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private static ConsolePresence shared;

  /** The one console prompt of this process (System.in has one reader), 30 s per request. */
  public static synchronized ConsolePresence shared() {
    if (shared == null) {
      shared = new ConsolePresence(System.in, System.err, Duration.ofSeconds(30));
    }
    return shared;
  }

  public ConsolePresence(InputStream in, PrintStream out, Duration timeout) {
    this.out = out;
    this.timeout = timeout;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // console closed: every later request times out
              }
            },
            "softkey-console-presence");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public Result requestPresence(UserRequest request, OperationContext ctx) {
    lines.clear();
    out.printf(
        "softkey: %s%s: touch the key (press Enter; 'n' + Enter refuses) within %d s%n",
        describe(request.kind()),
        request.rpId().map(r -> " for " + r).orElse(""),
        timeout.toSeconds());
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (ctx.isCancelled()) {
        out.println("softkey: cancelled by the client");
        return Result.CANCELLED;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        out.println("softkey: no touch, timed out");
        return Result.TIMEOUT;
      }
      ctx.keepalive(KeepaliveStatus.UP_NEEDED);
      try {
        String line = lines.poll(Math.min(100_000_000L, left), TimeUnit.NANOSECONDS);
        if (line != null) {
          boolean refused = line.strip().toLowerCase(java.util.Locale.ROOT).startsWith("n");
          out.println(refused ? "softkey: refused" : "softkey: touched");
          return refused ? Result.DENIED : Result.APPROVED;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Result.CANCELLED;
      }
    }
  }

  private static String describe(UserRequest.Kind kind) {
    return switch (kind) {
      case MAKE_CREDENTIAL -> "register a credential";
      case GET_ASSERTION -> "sign in";
      case EXCLUDED_CREDENTIAL_FOUND -> "this key is already registered";
      case RESET -> "RESET the key (deletes everything)";
      case SELECTION -> "select this key";
      case U2F_REGISTER -> "U2F register";
      case U2F_AUTHENTICATE -> "U2F sign in";
      default -> kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }
}
