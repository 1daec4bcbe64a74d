package dev.softkey.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches what softkey logs at WARNING or above while a fuzz input runs. The engine and the
 * CTAPHID device turn an unexpected exception into a status and a log line (never a dropped
 * connection), so a fuzz target cannot see the bug through its output alone: an internal error
 * logged here is a finding. System.Logger goes to java.util.logging when no other backend is
 * present, as in this module's tests.
 */
final class InternalErrors implements AutoCloseable {
  private static final Logger ROOT = Logger.getLogger("dev.softkey");

  private final List<String> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            synchronized (records) {
              records.add(r.getLoggerName() + ": " + r.getMessage()
                  + (r.getParameters() == null ? "" : " " + java.util.Arrays.toString(r.getParameters())));
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private InternalErrors() {
    ROOT.addHandler(handler);
    ROOT.setUseParentHandlers(false); // 10^6 inputs must not flood the console
  }

  /** Starts watching; close to stop. */
  static InternalErrors watch() {
    return new InternalErrors();
  }

  /** Fails when anything was logged at WARNING or above since {@link #watch()}. */
  void assertNone() {
    synchronized (records) {
      if (!records.isEmpty()) {
        throw new AssertionError("internal error logged: " + records);
      }
    }
  }

  @Override
  public void close() {
    ROOT.removeHandler(handler);
    ROOT.setUseParentHandlers(true);
  }
}
