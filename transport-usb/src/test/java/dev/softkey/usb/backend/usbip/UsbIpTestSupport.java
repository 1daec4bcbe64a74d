package dev.softkey.usb.backend.usbip;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile.UsbIdentity;
import dev.softkey.usb.backend.HidReportHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Client-side frames and fixtures for the USB/IP tests (layouts from usbip_protocol.rst). */
final class UsbIpTestSupport {
  private UsbIpTestSupport() {}

  /** The softkey profile's identity: pid.codes test VID 0x1209. */
  static final UsbIdentity USB =
      new UsbIdentity(0x1209, 0xB401, "softkey", "softkey FIDO2 security key", List.of(0, 1, 0), 5);

  /** A handler that records what reaches it. */
  static final class RecordingHandler implements HidReportHandler {
    final List<byte[]> reports = new CopyOnWriteArrayList<>();
    volatile int powerCycles;

    @Override
    public void onOutputReport(byte[] report) {
      reports.add(report.clone());
    }

    @Override
    public void onPowerCycle() {
      powerCycles++;
    }
  }

  static Map<String, ExportedDevice> devices(Map<String, HidReportHandler> handlers) {
    Map<String, ExportedDevice> m = new LinkedHashMap<>();
    int devnum = 2;
    for (Map.Entry<String, HidReportHandler> e : handlers.entrySet()) {
      m.put(e.getKey(), new ExportedDevice(UsbIpExport.of(e.getKey(), USB), devnum++, e.getValue()));
    }
    return m;
  }

  static EmbeddedChannel channel(Map<String, ExportedDevice> devices) {
    EmbeddedChannel ch = new EmbeddedChannel();
    UsbIpConnection.install(ch.pipeline(), devices);
    return ch;
  }

  static ByteBuf opReqDevlist() {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(0x0111).writeShort(0x8005).writeInt(0);
    return b;
  }

  static ByteBuf opReqImport(String busId) {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(0x0111).writeShort(0x8003).writeInt(0);
    byte[] id = busId.getBytes(StandardCharsets.US_ASCII);
    b.writeBytes(id).writeZero(32 - id.length);
    return b;
  }

  /** USBIP_CMD_SUBMIT with devid 1-2 as vhci-hcd sends it, number_of_packets 0, interval 5. */
  static ByteBuf cmdSubmit(int seqnum, int direction, int ep, int length, byte[] setup, byte[] out) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(1).writeInt(seqnum).writeInt(0x00010002).writeInt(direction).writeInt(ep);
    b.writeInt(direction == 1 ? 0x200 : 0).writeInt(length).writeInt(0).writeInt(0).writeInt(5);
    b.writeBytes(setup);
    b.writeBytes(out);
    return b;
  }

  static ByteBuf control(int seqnum, String setupHex, int length) {
    byte[] setup = HexFormat.of().parseHex(setupHex);
    int direction = (setup[0] & 0x80) != 0 ? 1 : 0;
    return cmdSubmit(seqnum, direction, 0, length, setup, new byte[0]);
  }

  static ByteBuf cmdUnlink(int seqnum, int unlinkSeqnum) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(2).writeInt(seqnum).writeInt(0x00010002).writeInt(0).writeInt(0);
    b.writeInt(unlinkSeqnum).writeZero(24);
    return b;
  }

  /** Everything the server wrote so far, as one byte string. */
  static Bytes written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    List<byte[]> parts = new ArrayList<>();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      parts.add(a);
    }
    return Bytes.concat(parts.stream().map(Bytes::wrap).toArray(Bytes[]::new));
  }

  /** A parsed USBIP_RET_SUBMIT / USBIP_RET_UNLINK header with what follows. */
  record Ret(int command, int seqnum, int status, int actualLength, Bytes data) {}

  /** Splits server output into URB replies (RET_SUBMIT carries actual_length bytes for IN). */
  static List<Ret> rets(Bytes out, List<Boolean> inFlags) {
    List<Ret> rets = new ArrayList<>();
    ByteBuf b = Unpooled.wrappedBuffer(out.toArray());
    int i = 0;
    while (b.isReadable()) {
      int command = b.readInt();
      int seqnum = b.readInt();
      b.skipBytes(12);
      int status = b.readInt();
      int actual = b.readInt();
      b.skipBytes(20);
      Bytes data = Bytes.EMPTY;
      if (command == 3 && inFlags.get(i)) {
        byte[] d = new byte[actual];
        b.readBytes(d);
        data = Bytes.wrap(d);
      }
      rets.add(new Ret(command, seqnum, status, actual, data));
      i++;
    }
    return rets;
  }

  static Map<String, Bytes> specExample() {
    Map<String, Bytes> m = new LinkedHashMap<>();
    try (InputStream in =
        UsbIpTestSupport.class.getResourceAsStream("usbip-protocol-hid-example.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        m.put(line.substring(0, colon), Bytes.fromHex(line.substring(colon + 1).replaceAll("\\s", "")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }
}
