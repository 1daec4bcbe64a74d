package dev.softkey.usb.backend.usbip;

/**
 * Wire constants of the USB/IP protocol, Linux kernel Documentation/usb/usbip_protocol.rst
 * ("Message Format"). All fields are big-endian.
 */
final class UsbIpProtocol {
  private UsbIpProtocol() {}

  /** "The documented USBIP version is v1.1.1. The binary representation ... is 0x0111." */
  static final int VERSION = 0x0111;

  static final int OP_REQ_DEVLIST = 0x8005;
  static final int OP_REP_DEVLIST = 0x0005;
  static final int OP_REQ_IMPORT = 0x8003;
  static final int OP_REP_IMPORT = 0x0003;

  /** OP_REP_IMPORT status: 0 for OK, 1 for error. */
  static final int ST_OK = 0;

  static final int ST_ERROR = 1;

  static final int USBIP_CMD_SUBMIT = 0x00000001;
  static final int USBIP_CMD_UNLINK = 0x00000002;
  static final int USBIP_RET_SUBMIT = 0x00000003;
  static final int USBIP_RET_UNLINK = 0x00000004;

  static final int USBIP_DIR_OUT = 0;
  static final int USBIP_DIR_IN = 1;

  /** Length of the op-code header (version, code, status). */
  static final int OP_HEADER_LENGTH = 8;

  /** Length of every usbip_header (basic header plus command-specific part and padding). */
  static final int URB_HEADER_LENGTH = 48;

  /** Length of the path field in OP_REP_DEVLIST / OP_REP_IMPORT. */
  static final int PATH_LENGTH = 256;

  /** Length of the busid field. */
  static final int BUSID_LENGTH = 32;

  /** The kernel's enum usb_device_speed: USB_SPEED_FULL. */
  static final int USB_SPEED_FULL = 2;

  /** URB status values (negated Linux errno) used in RET_SUBMIT / RET_UNLINK. */
  static final int ECONNRESET = 104;

  static final int EPIPE = 32;

  /** Upper bound on a transfer buffer we accept (a guard against a corrupt length field). */
  static final int MAX_TRANSFER_LENGTH = 64 * 1024;
}
