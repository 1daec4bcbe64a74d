package dev.softkey.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The option checks of the servers that listen on loopback only ({@code mds serve}, {@code rp}). */
final class Loopback {
  private Loopback() {}

  /** {@code --port} is 0..65535 (0: any free one). */
  static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, not " + port);
    }
  }

  /**
   * The loopback address an option names; a usage error for a name that does not resolve or an
   * address that is not loopback ({@code what} says what is served on loopback only).
   */
  static InetAddress address(String option, String value, String what) {
    InetAddress address;
    try {
      address = InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new UsageException(option + " " + value + " is not an address; give a loopback address such as 127.0.0.1");
    }
    if (!address.isLoopbackAddress()) {
      throw new UsageException(option + " " + value + " is not a loopback address; " + what + " on loopback only (127.0.0.1 or ::1)");
    }
    return address;
  }
}
