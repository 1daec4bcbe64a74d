package dev.softkey.core;

/**
 * What a transport lends the core for the duration of one request: a way to send keepalives while
 * the core waits for the user, a cancel flag (CTAPHID_CANCEL, a closed tunnel), and the transport's
 * name. The core never talks to HID or sockets itself.
 */
public interface OperationContext {
  /** Keepalive status values, as CTAPHID_KEEPALIVE carries them (CTAP 2.1 section 11.2.9.2.2). */
  enum KeepaliveStatus {
    PROCESSING(1),
    UP_NEEDED(2);

    private final int code;

    KeepaliveStatus(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /** Called at least every 100 ms while the core waits; transports may ignore it. */
  void keepalive(KeepaliveStatus status);

  /** True once the client asked to cancel this request. */
  boolean isCancelled();

  /** "usb", "hybrid", "nfc" or "internal" (in-process API and CLI). */
  String transport();

  /** A context for in-process calls: no keepalives, never cancelled. */
  OperationContext INTERNAL =
      new OperationContext() {
        @Override
        public void keepalive(KeepaliveStatus status) {}

        @Override
        public boolean isCancelled() {
          return false;
        }

        @Override
        public String transport() {
          return "internal";
        }
      };
}
