package dev.softkey.control;

import dev.softkey.core.CtapDevice;
import dev.softkey.usb.backend.HidDeviceBackend;
import dev.softkey.usb.backend.UdpBackend;
import dev.softkey.usb.backend.UhidBackend;
import dev.softkey.usb.ctaphid.CtapHidDevice;

/**
 * Where an added authenticator is also served over CTAPHID, as {@code softkey:serve} says it:
 * {@code udp:PORT} (replies to the simulator convention's port 7112), {@code udp:PORT:REPLYPORT},
 * or {@code uhid} (a HID device of the running Linux kernel). Every host parses the member here,
 * so the forms and their errors are the same whoever hosts the authenticator.
 *
 * @param uhid a uhid device rather than UDP
 * @param port the device's UDP port on 127.0.0.1 (0 for uhid)
 * @param replyPort the port reports go to (0 for uhid)
 * @param explicitReply whether the value named the reply port
 */
public record ServeTarget(boolean uhid, int port, int replyPort, boolean explicitReply) {
  /** Parses {@code softkey:serve}; IllegalArgumentException (invalid argument) for anything else. */
  public static ServeTarget parse(String serve) {
    if (serve.equals("uhid")) {
      return new ServeTarget(true, 0, 0, false);
    }
    String[] parts = serve.split(":", -1);
    if (!parts[0].equals("udp") || parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("softkey:serve must be udp:PORT, udp:PORT:REPLYPORT or uhid, not " + serve);
    }
    int port = port(parts[1]);
    return parts.length == 3
        ? new ServeTarget(false, port, port(parts[2]), true)
        : new ServeTarget(false, port, UdpBackend.DEFAULT_HOST_PORT, false);
  }

  /**
   * Serves {@code device} (the tapped, faulted chain) over CTAPHID on this target; closing the
   * result stops CTAPHID and the back-end. A back-end that starts but whose CTAPHID device does
   * not is closed again.
   */
  public AutoCloseable start(CtapDevice device) {
    HidDeviceBackend backend = uhid ? new UhidBackend(device.profile().usb()) : UdpBackend.onLoopback(port, replyPort);
    CtapHidDevice hid;
    try {
      hid = CtapHidDevice.builder(device).start(backend);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return () -> {
      hid.close();
      backend.close();
    };
  }

  private static int port(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("softkey:serve: port " + s + " is not 1..65535");
  }
}
