package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;

/**
 * The 8-byte USB setup packet of a control transfer (USB 2.0 section 9.3, table 9-2). wValue,
 * wIndex and wLength are little-endian on the wire, unlike the USB/IP headers around them.
 */
record SetupPacket(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {
  static final int LENGTH = 8;

  static SetupPacket parse(Bytes setup) {
    if (setup.length() != LENGTH) {
      throw new IllegalArgumentException("setup packet must have 8 bytes");
    }
    return new SetupPacket(
        setup.get(0),
        setup.get(1),
        setup.get(2) | setup.get(3) << 8,
        setup.get(4) | setup.get(5) << 8,
        setup.get(6) | setup.get(7) << 8);
  }

  /** Bit 7 of bmRequestType: device-to-host. */
  boolean isDeviceToHost() {
    return (bmRequestType & 0x80) != 0;
  }

  /** Bits 6..5 of bmRequestType: 0 standard, 1 class, 2 vendor. */
  int type() {
    return (bmRequestType >> 5) & 0x03;
  }

  /** Bits 4..0 of bmRequestType: 0 device, 1 interface, 2 endpoint. */
  int recipient() {
    return bmRequestType & 0x1F;
  }
}
