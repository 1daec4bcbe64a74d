/**
 * A USB/IP server (Linux kernel Documentation/usb/usbip_protocol.rst, protocol version 1.1.1)
 * that exports software FIDO HID devices to a USB/IP client such as the Linux {@code vhci-hcd}
 * driver ({@code usbip attach -r 127.0.0.1 -b 1-1}).
 *
 * <p>Owns: the wire format (OP_REQ_DEVLIST, OP_REQ_IMPORT, USBIP_CMD_SUBMIT, USBIP_CMD_UNLINK and
 * their replies), a full-speed USB device model with one HID interface (standard and HID class
 * requests on endpoint 0, interrupt IN 0x81 and OUT 0x01), and the queueing of interrupt IN URBs
 * until the device has an input report. Does not own: CTAPHID framing ({@code usb.ctaphid}) or
 * anything CTAP; reports are opaque 64-byte packets handed to a {@link
 * dev.softkey.usb.backend.HidReportHandler}.
 *
 * <p>Entry point: {@link dev.softkey.usb.backend.usbip.UsbIpBackend}.
 */
package dev.softkey.usb.backend.usbip;
