package dev.softkey.usb.backend.usbip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seeds of {@link UsbIpDecoderFuzzTest}: what usbip(8) sends, each behind the two split bytes. */
public final class UsbIpSeeds {
  private UsbIpSeeds() {}

  /** The fuzz test class these seeds are for (package-private). */
  public static final Class<?> TARGET = UsbIpDecoderFuzzTest.class;

  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("op-req-devlist", withSplit(3, op(UsbIpProtocol.OP_REQ_DEVLIST)));
    byte[] imp = importRequest();
    m.put("op-req-import", withSplit(20, imp));
    byte[] out = submit(1, UsbIpProtocol.USBIP_DIR_OUT, 1, 64);
    byte[] in = submit(2, UsbIpProtocol.USBIP_DIR_IN, 1, 64);
    byte[] unlink = unlink(3, 2);
    m.put("import-submit-out-in-unlink", withSplit(60, concat(imp, out, in, unlink)));
    m.put("import-control-in", withSplit(45, concat(imp, submit(4, UsbIpProtocol.USBIP_DIR_IN, 0, 18))));
    m.put("op-unknown", withSplit(0, op(0x8001)));
    return m;
  }

  static byte[] op(int code) {
    return ByteBuffer.allocate(UsbIpProtocol.OP_HEADER_LENGTH)
        .putShort((short) UsbIpProtocol.VERSION).putShort((short) code).putInt(0).array();
  }

  static byte[] importRequest() {
    ByteBuffer b = ByteBuffer.allocate(UsbIpProtocol.OP_HEADER_LENGTH + UsbIpProtocol.BUSID_LENGTH);
    b.put(op(UsbIpProtocol.OP_REQ_IMPORT));
    b.put("1-1".getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  static byte[] submit(int seqnum, int direction, int ep, int length) {
    int payload = direction == UsbIpProtocol.USBIP_DIR_OUT ? length : 0;
    ByteBuffer b = ByteBuffer.allocate(UsbIpProtocol.URB_HEADER_LENGTH + payload);
    b.putInt(UsbIpProtocol.USBIP_CMD_SUBMIT).putInt(seqnum).putInt(0x10002).putInt(direction).putInt(ep);
    b.putInt(0).putInt(length).putInt(0).putInt(ep == 0 ? 0 : -1).putInt(0);
    if (ep == 0) {
      b.put(new byte[] {(byte) 0x80, 6, 0, 1, 0, 0, 18, 0}); // GET_DESCRIPTOR device
    } else {
      b.put(new byte[8]);
    }
    for (int i = 0; i < payload; i++) {
      b.put((byte) (i == 4 ? 0x86 : i < 4 ? 0xFF : i == 6 ? 8 : 0)); // a CTAPHID INIT report
    }
    return b.array();
  }

  static byte[] unlink(int seqnum, int victim) {
    ByteBuffer b = ByteBuffer.allocate(UsbIpProtocol.URB_HEADER_LENGTH);
    b.putInt(UsbIpProtocol.USBIP_CMD_UNLINK).putInt(seqnum).putInt(0x10002).putInt(0).putInt(0).putInt(victim);
    return b.array();
  }

  static byte[] withSplit(int split, byte[] stream) {
    byte[] out = new byte[stream.length + 2];
    out[0] = (byte) (split >>> 8);
    out[1] = (byte) split;
    System.arraycopy(stream, 0, out, 2, stream.length);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
