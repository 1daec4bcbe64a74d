package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.UserPresence.Result;
import dev.softkey.core.presence.UserRequest;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsolePresenceTest {
  final ByteArrayOutputStream shown = new ByteArrayOutputStream();
  final AtomicInteger keepalives = new AtomicInteger();
  volatile boolean cancelled;
  final OperationContext ctx =
      new OperationContext() {
        @Override
        public void keepalive(KeepaliveStatus status) {
          keepalives.incrementAndGet();
        }

        @Override
        public boolean isCancelled() {
          return cancelled;
        }

        @Override
        public String transport() {
          return "usb";
        }
      };

  @Test
  void enterApproves_nRefuses_withKeepalivesWhileWaiting() throws Exception {
    PipedOutputStream typing = new PipedOutputStream();
    ConsolePresence p = new ConsolePresence(new PipedInputStream(typing), new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ofSeconds(5));
    CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> p.requestPresence(UserRequest.of(UserRequest.Kind.GET_ASSERTION, "example.com"), ctx));
    Thread.sleep(350);
    typing.write("\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(Result.APPROVED);
    assertThat(keepalives.get()).isGreaterThanOrEqualTo(2);
    assertThat(shown.toString(StandardCharsets.UTF_8)).contains("sign in for example.com");
    CompletableFuture<Result> second = CompletableFuture.supplyAsync(() -> p.requestPresence(UserRequest.of(UserRequest.Kind.RESET), ctx));
    Thread.sleep(150);
    typing.write("no\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(Result.DENIED);
  }

  @Test
  void noAnswer_timesOut_andCancelEndsTheWait() throws Exception {
    ConsolePresence p = new ConsolePresence(new PipedInputStream(new PipedOutputStream()), new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ofMillis(300));
    assertThat(p.requestPresence(UserRequest.of(UserRequest.Kind.SELECTION), ctx)).isEqualTo(Result.TIMEOUT);
    cancelled = true;
    assertThat(p.requestPresence(UserRequest.of(UserRequest.Kind.SELECTION), ctx)).isEqualTo(Result.CANCELLED);
  }
}
