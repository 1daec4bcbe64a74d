package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile.UsbIdentity;
import dev.softkey.usb.backend.FidoReportDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The USB descriptors of a full-speed FIDO HID device: USB 2.0 section 9.6 (device,
 * configuration, interface, endpoint, string) and HID 1.11 section 6.2.1 (HID descriptor). One
 * configuration, one HID interface (class 3, subclass 0, protocol 0 as CTAP 2.1 section 11.2.8.1
 * requires: no boot protocol), interrupt IN 0x81 and interrupt OUT 0x01 with 64-byte packets and
 * bInterval 5 ms. Multi-byte fields inside descriptors are little-endian (USB byte order).
 */
final class FidoUsbDescriptors {
  static final int DT_DEVICE = 1;
  static final int DT_CONFIGURATION = 2;
  static final int DT_STRING = 3;
  static final int DT_INTERFACE = 4;
  static final int DT_ENDPOINT = 5;
  static final int DT_HID = 0x21;
  static final int DT_REPORT = 0x22;

  static final int EP_IN = 0x81;
  static final int EP_OUT = 0x01;
  static final int MAX_PACKET_SIZE = 64;
  static final int INTERVAL_MS = 5;
  static final int CONFIGURATION_VALUE = 1;
  static final int INTERFACE_CLASS_HID = 3;

  static final int STRING_MANUFACTURER = 1;
  static final int STRING_PRODUCT = 2;
  static final int STRING_SERIAL = 3;

  /** LANGID 0x0409, English (United States). */
  private static final int LANGID_EN_US = 0x0409;

  private final UsbIdentity usb;
  private final Optional<String> serialNumber;
  private final byte[] reportDescriptor = FidoReportDescriptor.bytes();

  FidoUsbDescriptors(UsbIdentity usb, Optional<String> serialNumber) {
    this.usb = usb;
    this.serialNumber = serialNumber;
  }

  /** bcdDevice from the profile's deviceVersion [major, minor, ...] as two BCD bytes. */
  int bcdDevice() {
    List<Integer> v = usb.deviceVersion();
    int major = v.isEmpty() ? 0 : Math.floorMod(v.get(0), 100);
    int minor = v.size() < 2 ? 0 : Math.floorMod(v.get(1), 100);
    return (major / 10) << 12 | (major % 10) << 8 | (minor / 10) << 4 | (minor % 10);
  }

  UsbIdentity usb() {
    return usb;
  }

  /** USB 2.0 table 9-8, standard device descriptor (18 bytes). */
  Bytes device() {
    Out o = new Out();
    o.u8(18).u8(DT_DEVICE).u16(0x0200); // bLength, bDescriptorType, bcdUSB 2.00
    o.u8(0).u8(0).u8(0); // class/subclass/protocol defined by the interface
    o.u8(MAX_PACKET_SIZE); // bMaxPacketSize0
    o.u16(usb.vendorId()).u16(usb.productId()).u16(bcdDevice());
    o.u8(STRING_MANUFACTURER).u8(STRING_PRODUCT);
    o.u8(serialNumber.isPresent() ? STRING_SERIAL : 0);
    o.u8(1); // bNumConfigurations
    return o.bytes();
  }

  /**
   * The configuration descriptor followed by the interface, HID and endpoint descriptors (USB 2.0
   * section 9.4.3: a GET_DESCRIPTOR(CONFIGURATION) returns all of them).
   */
  Bytes configuration() {
    Bytes iface = interfaceAndBelow();
    Out o = new Out();
    o.u8(9).u8(DT_CONFIGURATION).u16(9 + iface.length());
    o.u8(1); // bNumInterfaces
    o.u8(CONFIGURATION_VALUE);
    o.u8(0); // iConfiguration
    o.u8(0x80); // bmAttributes: bus powered, no remote wakeup
    o.u8(50); // bMaxPower: 100 mA in 2 mA units
    return Bytes.concat(o.bytes(), iface);
  }

  private Bytes interfaceAndBelow() {
    Out o = new Out();
    // USB 2.0 table 9-12, interface descriptor
    o.u8(9).u8(DT_INTERFACE).u8(0).u8(0); // bInterfaceNumber 0, bAlternateSetting 0
    o.u8(2); // bNumEndpoints
    o.u8(INTERFACE_CLASS_HID).u8(0).u8(0); // HID, no subclass, no protocol
    o.u8(0); // iInterface
    o.raw(hid());
    // USB 2.0 table 9-13, endpoint descriptors: interrupt IN then interrupt OUT
    o.u8(7).u8(DT_ENDPOINT).u8(EP_IN).u8(0x03).u16(MAX_PACKET_SIZE).u8(INTERVAL_MS);
    o.u8(7).u8(DT_ENDPOINT).u8(EP_OUT).u8(0x03).u16(MAX_PACKET_SIZE).u8(INTERVAL_MS);
    return o.bytes();
  }

  /** HID 1.11 section 6.2.1, HID descriptor (9 bytes). */
  Bytes hid() {
    Out o = new Out();
    o.u8(9).u8(DT_HID).u16(0x0111); // bcdHID 1.11
    o.u8(0); // bCountryCode: not localized
    o.u8(1); // bNumDescriptors
    o.u8(DT_REPORT).u16(reportDescriptor.length);
    return o.bytes();
  }

  /** The FIDO report descriptor (CTAP 2.1 section 11.2.8.1). */
  Bytes report() {
    return Bytes.of(reportDescriptor);
  }

  /** USB 2.0 section 9.6.7: index 0 is the LANGID list, others UTF-16LE strings. */
  Optional<Bytes> string(int index) {
    return switch (index) {
      case 0 -> Optional.of(new Out().u8(4).u8(DT_STRING).u16(LANGID_EN_US).bytes());
      case STRING_MANUFACTURER -> Optional.of(stringDescriptor(usb.manufacturer()));
      case STRING_PRODUCT -> Optional.of(stringDescriptor(usb.product()));
      case STRING_SERIAL -> serialNumber.map(FidoUsbDescriptors::stringDescriptor);
      default -> Optional.empty();
    };
  }

  private static Bytes stringDescriptor(String s) {
    byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
    int len = Math.min(utf16.length, 252); // bLength is one byte; keep whole code units
    return new Out().u8(2 + len).u8(DT_STRING).raw(Bytes.of(utf16, 0, len)).bytes();
  }

  /** Little-endian descriptor writer. */
  private static final class Out {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Out u8(int v) {
      buf.write(v & 0xFF);
      return this;
    }

    Out u16(int v) {
      return u8(v).u8(v >>> 8);
    }

    Out raw(Bytes b) {
      buf.writeBytes(b.toArray());
      return this;
    }

    Bytes bytes() {
      return Bytes.wrap(buf.toByteArray());
    }
  }
}
