package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.usb.backend.usbip.UsbIpMessage.CmdSubmit;
import dev.softkey.usb.backend.usbip.UsbIpMessage.CmdUnlink;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpReqDevlist;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpReqImport;
import dev.softkey.usb.backend.usbip.UsbIpMessage.OpUnknown;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames a USB/IP connection (Linux Documentation/usb/usbip_protocol.rst). A connection starts in
 * the operation phase (8-byte op header: version, code, status; OP_REQ_IMPORT adds a 32-byte bus
 * ID). After an OP_REQ_IMPORT the same connection carries URB traffic: 48-byte usbip_header
 * messages, USBIP_CMD_SUBMIT followed by its OUT transfer buffer (and ISO packet descriptors, 16
 * bytes each, when number_of_packets is positive), USBIP_CMD_UNLINK without payload. The server
 * closes the connection after any other reply, so the decoder never has to go back.
 */
final class UsbIpDecoder extends ByteToMessageDecoder {
  private static final int ISO_PACKET_DESCRIPTOR_LENGTH = 16;

  private boolean urbPhase;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (urbPhase) {
      decodeUrb(in, out);
    } else {
      decodeOp(in, out);
    }
  }

  private void decodeOp(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < UsbIpProtocol.OP_HEADER_LENGTH) {
      return;
    }
    int start = in.readerIndex();
    int version = in.getUnsignedShort(start);
    int code = in.getUnsignedShort(start + 2);
    switch (code) {
      case UsbIpProtocol.OP_REQ_DEVLIST -> {
        in.skipBytes(UsbIpProtocol.OP_HEADER_LENGTH);
        out.add(new OpReqDevlist(version));
      }
      case UsbIpProtocol.OP_REQ_IMPORT -> {
        int length = UsbIpProtocol.OP_HEADER_LENGTH + UsbIpProtocol.BUSID_LENGTH;
        if (in.readableBytes() < length) {
          return;
        }
        in.skipBytes(UsbIpProtocol.OP_HEADER_LENGTH);
        String busId = cString(in, UsbIpProtocol.BUSID_LENGTH);
        urbPhase = true;
        out.add(new OpReqImport(version, busId));
      }
      default -> {
        in.skipBytes(UsbIpProtocol.OP_HEADER_LENGTH);
        out.add(new OpUnknown(version, code));
      }
    }
  }

  private void decodeUrb(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < UsbIpProtocol.URB_HEADER_LENGTH) {
      return;
    }
    int h = in.readerIndex();
    int command = in.getInt(h);
    int seqnum = in.getInt(h + 4);
    int devid = in.getInt(h + 8);
    int direction = in.getInt(h + 0x0C);
    int ep = in.getInt(h + 0x10);
    switch (command) {
      case UsbIpProtocol.USBIP_CMD_SUBMIT -> {
        int transferFlags = in.getInt(h + 0x14);
        int length = in.getInt(h + 0x18);
        int startFrame = in.getInt(h + 0x1C);
        int numberOfPackets = in.getInt(h + 0x20);
        int interval = in.getInt(h + 0x24);
        if (length < 0 || length > UsbIpProtocol.MAX_TRANSFER_LENGTH) {
          throw new CorruptedFrameException("transfer_buffer_length out of range: " + length);
        }
        if (direction != UsbIpProtocol.USBIP_DIR_IN && direction != UsbIpProtocol.USBIP_DIR_OUT) {
          throw new CorruptedFrameException("direction must be 0 or 1: " + direction);
        }
        int payload = direction == UsbIpProtocol.USBIP_DIR_OUT ? length : 0;
        // number_of_packets is 0xffffffff (or 0) when the transfer is not isochronous
        int iso = numberOfPackets > 0 ? numberOfPackets : 0;
        if (iso > UsbIpProtocol.MAX_TRANSFER_LENGTH / ISO_PACKET_DESCRIPTOR_LENGTH) {
          throw new CorruptedFrameException("number_of_packets out of range: " + iso);
        }
        int total =
            UsbIpProtocol.URB_HEADER_LENGTH + payload + iso * ISO_PACKET_DESCRIPTOR_LENGTH;
        if (in.readableBytes() < total) {
          return;
        }
        byte[] setup = new byte[SetupPacket.LENGTH];
        in.getBytes(h + 0x28, setup);
        byte[] data = new byte[payload];
        in.getBytes(h + UsbIpProtocol.URB_HEADER_LENGTH, data);
        in.skipBytes(total);
        out.add(
            new CmdSubmit(
                seqnum,
                devid,
                direction,
                ep,
                transferFlags,
                length,
                startFrame,
                numberOfPackets,
                interval,
                Bytes.wrap(setup),
                Bytes.wrap(data)));
      }
      case UsbIpProtocol.USBIP_CMD_UNLINK -> {
        int unlinkSeqnum = in.getInt(h + 0x14);
        in.skipBytes(UsbIpProtocol.URB_HEADER_LENGTH);
        out.add(new CmdUnlink(seqnum, devid, unlinkSeqnum));
      }
      default -> throw new CorruptedFrameException(
          "unknown USB/IP command 0x" + Integer.toHexString(command));
    }
  }

  /** A zero-terminated, zero-padded ASCII string field of {@code length} bytes. */
  private static String cString(ByteBuf in, int length) {
    byte[] raw = new byte[length];
    in.readBytes(raw);
    int end = 0;
    while (end < length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.US_ASCII);
  }
}
