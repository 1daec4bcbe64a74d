package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;

/**
 * Decoded USB/IP messages (Linux Documentation/usb/usbip_protocol.rst, "Message Format"). Requests
 * come from the client (the kernel's vhci-hcd or the usbip tool), replies go back to it.
 */
sealed interface UsbIpMessage {

  /** OP_REQ_DEVLIST: retrieve the list of exported USB devices. */
  record OpReqDevlist(int version) implements UsbIpMessage {}

  /** OP_REQ_IMPORT: attach the device with this bus ID. */
  record OpReqImport(int version, String busId) implements UsbIpMessage {}

  /** A request with an op code this server does not know; the connection is closed. */
  record OpUnknown(int version, int code) implements UsbIpMessage {}

  /**
   * USBIP_CMD_SUBMIT. {@code setup} is the 8-byte USB setup packet (zeros when unused), {@code
   * data} the OUT transfer buffer (empty for IN).
   */
  record CmdSubmit(
      int seqnum,
      int devid,
      int direction,
      int ep,
      int transferFlags,
      int transferBufferLength,
      int startFrame,
      int numberOfPackets,
      int interval,
      Bytes setup,
      Bytes data)
      implements UsbIpMessage {
    boolean isIn() {
      return direction == UsbIpProtocol.USBIP_DIR_IN;
    }
  }

  /** USBIP_CMD_UNLINK: cancel the SUBMIT with {@code unlinkSeqnum}. */
  record CmdUnlink(int seqnum, int devid, int unlinkSeqnum) implements UsbIpMessage {}

  /** OP_REP_DEVLIST. */
  record OpRepDevlist(List<DeviceSummary> devices) implements UsbIpMessage {
    public OpRepDevlist {
      devices = List.copyOf(devices);
    }
  }

  /** OP_REP_IMPORT; {@code device} is present only when the status is OK. */
  record OpRepImport(int status, Optional<DeviceSummary> device)
      implements UsbIpMessage {}

  /** USBIP_RET_SUBMIT; {@code data} is the IN transfer buffer (empty for OUT). */
  record RetSubmit(
      int seqnum, int status, int actualLength, int startFrame, int numberOfPackets, Bytes data)
      implements UsbIpMessage {}

  /** USBIP_RET_UNLINK. */
  record RetUnlink(int seqnum, int status) implements UsbIpMessage {}

  /**
   * The device summary shared by OP_REP_DEVLIST and OP_REP_IMPORT (the latter without the
   * interface list).
   */
  record DeviceSummary(
      String path,
      String busId,
      int busnum,
      int devnum,
      int speed,
      int idVendor,
      int idProduct,
      int bcdDevice,
      int bDeviceClass,
      int bDeviceSubClass,
      int bDeviceProtocol,
      int bConfigurationValue,
      int bNumConfigurations,
      List<InterfaceSummary> interfaces) {
    public DeviceSummary {
      interfaces = List.copyOf(interfaces);
    }
  }

  /** One interface of OP_REP_DEVLIST: class, subclass, protocol (and a zero padding byte). */
  record InterfaceSummary(int bInterfaceClass, int bInterfaceSubClass, int bInterfaceProtocol) {}
}
