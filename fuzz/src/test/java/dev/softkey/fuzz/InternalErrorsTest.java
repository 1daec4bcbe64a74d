package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The targets' internal-error watch sees what the engine logs through System.Logger. */
class InternalErrorsTest {
  @Test
  void warningOfASoftkeyLogger_fails() {
    try (InternalErrors errors = InternalErrors.watch()) {
      System.getLogger("dev.softkey.core.Authenticator")
          .log(System.Logger.Level.ERROR, "internal error while processing command 0x{0}", "01");
      assertThatThrownBy(errors::assertNone).isInstanceOf(AssertionError.class).hasMessageContaining("internal error");
    }
  }

  @Test
  void infoAndOtherLoggers_pass() {
    try (InternalErrors errors = InternalErrors.watch()) {
      System.getLogger("dev.softkey.core.Authenticator").log(System.Logger.Level.INFO, "fine");
      System.getLogger("org.example").log(System.Logger.Level.ERROR, "not ours");
      assertThatCode(errors::assertNone).doesNotThrowAnyException();
    }
  }
}
