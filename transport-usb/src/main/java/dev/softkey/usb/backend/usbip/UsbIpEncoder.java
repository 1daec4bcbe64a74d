package dev.softkey.usb.backend.usbip;

import dev.softkey.usb.backend.usbip.UsbIpMessage.DeviceSummary;
import dev.softkey.usb.backend.usbip.UsbIpMessage.InterfaceSummary;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpRepDevlist;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpRepImport;
import dev.softkey.usb.backend.usbip.UsbIpMessage.RetSubmit;
import dev.softkey.usb.backend.usbip.UsbIpMessage.RetUnlink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the server's USB/IP replies (Linux Documentation/usb/usbip_protocol.rst): OP_REP_DEVLIST,
 * OP_REP_IMPORT, USBIP_RET_SUBMIT and USBIP_RET_UNLINK, big-endian. In the URB replies devid,
 * direction and ep "shall be set to 0" by the server.
 */
final class UsbIpEncoder extends MessageToByteEncoder<UsbIpMessage> {
  UsbIpEncoder() {
    super(UsbIpMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, UsbIpMessage msg, ByteBuf out) {
    if (msg instanceof OpRepDevlist d) {
      opHeader(out, UsbIpProtocol.OP_REP_DEVLIST, UsbIpProtocol.ST_OK);
      out.writeInt(d.devices().size());
      for (DeviceSummary dev : d.devices()) {
        device(out, dev);
        for (InterfaceSummary i : dev.interfaces()) {
          out.writeByte(i.bInterfaceClass());
          out.writeByte(i.bInterfaceSubClass());
          out.writeByte(i.bInterfaceProtocol());
          out.writeByte(0); // padding
        }
      }
    } else if (msg instanceof OpRepImport r) {
      opHeader(out, UsbIpProtocol.OP_REP_IMPORT, r.status());
      r.device().ifPresent(dev -> device(out, dev));
    } else if (msg instanceof RetSubmit r) {
      basic(out, UsbIpProtocol.USBIP_RET_SUBMIT, r.seqnum());
      out.writeInt(r.status());
      out.writeInt(r.actualLength());
      out.writeInt(r.startFrame());
      out.writeInt(r.numberOfPackets());
      out.writeInt(0); // error_count
      out.writeLong(0); // padding
      out.writeBytes(r.data().unsafeArray());
    } else if (msg instanceof RetUnlink r) {
      basic(out, UsbIpProtocol.USBIP_RET_UNLINK, r.seqnum());
      out.writeInt(r.status());
      out.writeZero(24); // padding
    } else {
      throw new EncoderException("not a server reply: " + msg.getClass().getSimpleName());
    }
  }

  private static void opHeader(ByteBuf out, int code, int status) {
    out.writeShort(UsbIpProtocol.VERSION);
    out.writeShort(code);
    out.writeInt(status);
  }

  private static void basic(ByteBuf out, int command, int seqnum) {
    out.writeInt(command);
    out.writeInt(seqnum);
    out.writeInt(0); // devid
    out.writeInt(0); // direction
    out.writeInt(0); // ep
  }

  /** The 0x138-byte device block shared by OP_REP_DEVLIST and OP_REP_IMPORT. */
  private static void device(ByteBuf out, DeviceSummary d) {
    cString(out, d.path(), UsbIpProtocol.PATH_LENGTH);
    cString(out, d.busId(), UsbIpProtocol.BUSID_LENGTH);
    out.writeInt(d.busnum());
    out.writeInt(d.devnum());
    out.writeInt(d.speed());
    out.writeShort(d.idVendor());
    out.writeShort(d.idProduct());
    out.writeShort(d.bcdDevice());
    out.writeByte(d.bDeviceClass());
    out.writeByte(d.bDeviceSubClass());
    out.writeByte(d.bDeviceProtocol());
    out.writeByte(d.bConfigurationValue());
    out.writeByte(d.bNumConfigurations());
    out.writeByte(d.interfaces().size());
  }

  private static void cString(ByteBuf out, String s, int length) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    int n = Math.min(b.length, length - 1);
    out.writeBytes(b, 0, n);
    out.writeZero(length - n);
  }
}
