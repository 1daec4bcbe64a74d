package dev.softkey.usb.backend.usbip;

import dev.softkey.usb.backend.HidReportHandler;
import dev.softkey.usb.backend.HidReportSender;
import dev.softkey.usb.backend.FidoReportDescriptor;
import dev.softkey.usb.backend.usbip.UsbIpMessage.DeviceSummary;
import dev.softkey.usb.backend.usbip.UsbIpMessage.InterfaceSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One exported device at run time: its descriptors, the handler that receives its output reports,
 * and the connection that has imported it (at most one, as a real USB device is plugged into one
 * host at a time).
 */
final class ExportedDevice {
  private final UsbIpExport export;
  private final int devnum;
  private final FidoUsbDescriptors descriptors;
  private final HidReportHandler handler;
  private final AtomicReference<UsbIpConnection> attached = new AtomicReference<>();

  ExportedDevice(UsbIpExport export, int devnum, HidReportHandler handler) {
    this.export = export;
    this.devnum = devnum;
    this.descriptors = new FidoUsbDescriptors(export.usb(), export.serialNumber());
    this.handler = handler;
  }

  String busId() {
    return export.busId();
  }

  FidoUsbDescriptors descriptors() {
    return descriptors;
  }

  HidReportHandler handler() {
    return handler;
  }

  /** The summary for OP_REP_DEVLIST and OP_REP_IMPORT (usbip_protocol.rst, "Message Format"). */
  DeviceSummary summary() {
    return new DeviceSummary(
        "/sys/devices/platform/softkey-usbip/usb" + export.busnum() + "/" + export.busId(),
        export.busId(),
        export.busnum(),
        devnum,
        UsbIpProtocol.USB_SPEED_FULL,
        export.usb().vendorId(),
        export.usb().productId(),
        descriptors.bcdDevice(),
        0,
        0,
        0,
        // bConfigurationValue: the active configuration; a freshly plugged device has none
        0,
        1,
        List.of(new InterfaceSummary(FidoUsbDescriptors.INTERFACE_CLASS_HID, 0, 0)));
  }

  boolean attach(UsbIpConnection connection) {
    return attached.compareAndSet(null, connection);
  }

  boolean detach(UsbIpConnection connection) {
    return attached.compareAndSet(connection, null);
  }

  Optional<UsbIpConnection> attachedConnection() {
    return Optional.ofNullable(attached.get());
  }

  /**
   * The sender for this device: a report goes to the importing connection, which completes a
   * pending interrupt IN URB or queues it; with no importer the report is dropped, as a USB device
   * that is not plugged in cannot send.
   */
  HidReportSender sender() {
    return report -> {
      if (report.length != FidoReportDescriptor.REPORT_SIZE) {
        throw new IllegalArgumentException(
            "input report must have " + FidoReportDescriptor.REPORT_SIZE + " bytes");
      }
      byte[] copy = report.clone();
      UsbIpConnection c = attached.get();
      if (c != null) {
        c.offerInputReport(copy);
      }
    };
  }
}
