package dev.softkey.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The internal-error log line is a MessageFormat pattern with real arguments, not a printf one. */
class AuthenticatorLogTest {
  @Test
  void internalError_isLoggedWithTheCommandAndTheExceptionClass() {
    Authenticator key =
        Authenticator.builder()
            .presence((request, ctx) -> {
              throw new IllegalStateException("presence broke");
            })
            .build();
    List<String> lines = new CopyOnWriteArrayList<>();
    SimpleFormatter formatter = new SimpleFormatter();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            lines.add(formatter.formatMessage(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger jul = Logger.getLogger(Authenticator.class.getName());
    jul.addHandler(capture);
    try {
      byte[] resp = key.process(new byte[] {0x07}, OperationContext.INTERNAL); // authenticatorReset asks for a touch
      assertThat(resp).containsExactly((byte) CtapStatus.CTAP1_ERR_OTHER.code());
    } finally {
      jul.removeHandler(capture);
    }
    assertThat(lines).containsExactly("internal error while processing command 0x07: java.lang.IllegalStateException");
  }
}
