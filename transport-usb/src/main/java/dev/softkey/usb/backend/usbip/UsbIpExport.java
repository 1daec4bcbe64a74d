package dev.softkey.usb.backend.usbip;

import dev.softkey.core.profile.Profile.UsbIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One FIDO HID device exported by a {@link UsbIpBackend}: the bus ID a client imports ({@code
 * usbip attach -b 1-1}), the USB identity (vendor, product, strings, device version) from the
 * profile, and an optional serial number string (most FIDO keys report none).
 *
 * <p>The bus ID is the OP_REP_DEVLIST/OP_REQ_IMPORT {@code busid} field (Linux
 * Documentation/usb/usbip_protocol.rst): at most 31 printable ASCII characters, conventionally
 * {@code <bus>-<port>}. Its number before the first '-' is reported as {@code busnum}.
 */
public record UsbIpExport(String busId, UsbIdentity usb, Optional<String> serialNumber) {
  public UsbIpExport {
    if (busId == null || busId.isEmpty() || busId.length() >= UsbIpProtocol.BUSID_LENGTH) {
      throw new IllegalArgumentException("bus ID must have 1 to 31 characters");
    }
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(busId)
        || busId.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("bus ID must be printable ASCII without spaces: " + busId);
    }
    if (usb == null) {
      throw new IllegalArgumentException("USB identity is required");
    }
    serialNumber = serialNumber == null ? Optional.empty() : serialNumber;
  }

  /** An export without a serial number string. */
  public static UsbIpExport of(String busId, UsbIdentity usb) {
    return new UsbIpExport(busId, usb, Optional.empty());
  }

  /** {@code busnum} for the device summary: the leading number of the bus ID, else 1. */
  int busnum() {
    int dash = busId.indexOf('-');
    String head = dash < 0 ? busId : busId.substring(0, dash);
    try {
      int n = Integer.parseInt(head);
      return n > 0 && n <= 0xFFFF ? n : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
