package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The endpoint-0 behaviour of one attached FIDO HID device: standard requests (USB 2.0 section
 * 9.4) and HID class requests (HID 1.11 section 7.2). One instance per import, used from the
 * connection's event loop only.
 *
 * <p>A request this device does not support answers with a STALL (USB 2.0 section 9.2.7, "Request
 * Error"), which USB/IP carries as the URB status -EPIPE.
 */
final class FidoUsbDevice {
  // USB 2.0 table 9-4, standard request codes
  static final int GET_STATUS = 0;
  static final int CLEAR_FEATURE = 1;
  static final int SET_FEATURE = 3;
  static final int SET_ADDRESS = 5;
  static final int GET_DESCRIPTOR = 6;
  static final int GET_CONFIGURATION = 8;
  static final int SET_CONFIGURATION = 9;
  static final int GET_INTERFACE = 10;
  static final int SET_INTERFACE = 11;

  // HID 1.11 section 7.2, class-specific requests
  static final int HID_GET_REPORT = 0x01;
  static final int HID_GET_IDLE = 0x02;
  static final int HID_GET_PROTOCOL = 0x03;
  static final int HID_SET_REPORT = 0x09;
  static final int HID_SET_IDLE = 0x0A;
  static final int HID_SET_PROTOCOL = 0x0B;

  private static final int TYPE_STANDARD = 0;
  private static final int TYPE_CLASS = 1;
  private static final int RECIPIENT_DEVICE = 0;
  private static final int RECIPIENT_INTERFACE = 1;
  private static final int RECIPIENT_ENDPOINT = 2;

  private final FidoUsbDescriptors descriptors;
  private final Consumer<byte[]> outputReports;
  private int configuration;
  private int idleRate;
  private int protocol = 1; // report protocol

  FidoUsbDevice(FidoUsbDescriptors descriptors, Consumer<byte[]> outputReports) {
    this.descriptors = descriptors;
    this.outputReports = outputReports;
  }

  int configuration() {
    return configuration;
  }

  /**
   * Handles one control transfer. Returns the data stage for IN requests (truncated to wLength),
   * an empty byte string for a successful OUT request, or empty when the request is stalled.
   */
  Optional<Bytes> control(SetupPacket setup, Bytes outData) {
    Optional<Bytes> reply =
        switch (setup.type()) {
          case TYPE_STANDARD -> standard(setup);
          case TYPE_CLASS -> hidClass(setup, outData);
          default -> Optional.empty();
        };
    return reply.map(b -> b.length() > setup.wLength() ? b.slice(0, setup.wLength()) : b);
  }

  private Optional<Bytes> standard(SetupPacket s) {
    int recipient = s.recipient();
    if (s.isDeviceToHost()) {
      return switch (s.bRequest()) {
        case GET_STATUS -> validRecipient(s) ? Optional.of(Bytes.of(new byte[2])) : none();
        case GET_DESCRIPTOR -> descriptor(s);
        case GET_CONFIGURATION -> recipient == RECIPIENT_DEVICE
            ? Optional.of(Bytes.of(new byte[] {(byte) configuration}))
            : none();
        case GET_INTERFACE -> recipient == RECIPIENT_INTERFACE && s.wIndex() == 0
            ? Optional.of(Bytes.of(new byte[1]))
            : none();
        default -> none();
      };
    }
    return switch (s.bRequest()) {
      case SET_CONFIGURATION -> {
        if (recipient != RECIPIENT_DEVICE
            || (s.wValue() != 0 && s.wValue() != FidoUsbDescriptors.CONFIGURATION_VALUE)) {
          yield none();
        }
        configuration = s.wValue();
        yield ok();
      }
      // bAlternateSetting 0 is the only one
      case SET_INTERFACE -> recipient == RECIPIENT_INTERFACE && s.wIndex() == 0 && s.wValue() == 0
          ? ok()
          : none();
      // ENDPOINT_HALT (0) on our endpoints, DEVICE_REMOTE_WAKEUP (1): accepted, nothing to do
      case CLEAR_FEATURE, SET_FEATURE -> validRecipient(s) ? ok() : none();
      // vhci-hcd answers SET_ADDRESS itself; accept it when it reaches us anyway
      case SET_ADDRESS -> ok();
      default -> none();
    };
  }

  private boolean validRecipient(SetupPacket s) {
    return switch (s.recipient()) {
      case RECIPIENT_DEVICE -> true;
      case RECIPIENT_INTERFACE -> (s.wIndex() & 0xFF) == 0;
      case RECIPIENT_ENDPOINT -> {
        int ep = s.wIndex() & 0xFF;
        yield ep == 0 || ep == 0x80 || ep == FidoUsbDescriptors.EP_IN
            || ep == FidoUsbDescriptors.EP_OUT;
      }
      default -> false;
    };
  }

  /** USB 2.0 section 9.4.3 plus HID 1.11 section 7.1.1 (HID and report descriptors). */
  private Optional<Bytes> descriptor(SetupPacket s) {
    int type = s.wValue() >> 8;
    int index = s.wValue() & 0xFF;
    if (s.recipient() == RECIPIENT_INTERFACE) {
      if (s.wIndex() != 0) {
        return none();
      }
      return switch (type) {
        case FidoUsbDescriptors.DT_HID -> Optional.of(descriptors.hid());
        case FidoUsbDescriptors.DT_REPORT -> Optional.of(descriptors.report());
        default -> none();
      };
    }
    if (s.recipient() != RECIPIENT_DEVICE) {
      return none();
    }
    return switch (type) {
      case FidoUsbDescriptors.DT_DEVICE -> Optional.of(descriptors.device());
      case FidoUsbDescriptors.DT_CONFIGURATION -> index == 0
          ? Optional.of(descriptors.configuration())
          : none();
      case FidoUsbDescriptors.DT_STRING -> descriptors.string(index);
      // DEVICE_QUALIFIER and OTHER_SPEED: a full-speed-only device stalls (USB 2.0 9.6.2)
      default -> none();
    };
  }

  private Optional<Bytes> hidClass(SetupPacket s, Bytes outData) {
    if (s.recipient() != RECIPIENT_INTERFACE || (s.wIndex() & 0xFF) != 0) {
      return none();
    }
    if (s.isDeviceToHost()) {
      return switch (s.bRequest()) {
        case HID_GET_IDLE -> Optional.of(Bytes.of(new byte[] {(byte) idleRate}));
        case HID_GET_PROTOCOL -> Optional.of(Bytes.of(new byte[] {(byte) protocol}));
        // input reports travel on the interrupt IN pipe only
        case HID_GET_REPORT -> none();
        default -> none();
      };
    }
    return switch (s.bRequest()) {
      case HID_SET_IDLE -> {
        idleRate = s.wValue() >> 8;
        yield ok();
      }
      case HID_SET_PROTOCOL -> {
        protocol = s.wValue() & 1;
        yield ok();
      }
      case HID_SET_REPORT -> {
        // wValue high byte 2 = output report; report ID 0 (the FIDO descriptor has none)
        if (s.wValue() >> 8 != 2) {
          yield none();
        }
        outputReports.accept(report(outData));
        yield ok();
      }
      default -> none();
    };
  }

  /** A 64-byte report from an OUT transfer buffer, zero-padded or truncated. */
  static byte[] report(Bytes data) {
    byte[] r = new byte[FidoUsbDescriptors.MAX_PACKET_SIZE];
    System.arraycopy(data.unsafeArray(), 0, r, 0, Math.min(r.length, data.length()));
    return r;
  }

  private static Optional<Bytes> ok() {
    return Optional.of(Bytes.EMPTY);
  }

  private static Optional<Bytes> none() {
    return Optional.empty();
  }
}
