package dev.softkey.usb.client;

import dev.softkey.usb.ctaphid.CtapHidCommand;
import dev.softkey.usb.ctaphid.CtapHidError;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Just enough of the device side of CTAPHID (CTAP 2.1 section 11.2) to test the client: INIT on
 * the broadcast channel, PING, WINK, LOCK, MSG and CBOR with fragmentation both ways, KEEPALIVE
 * before a CBOR answer, ERROR on demand. Reports in, reports out; no I/O.
 */
final class FakeCtapHidDevice {
  static final int BROADCAST = 0xFFFFFFFF;

  /** Handles a CBOR request (command byte + parameters); default: echo. */
  UnaryOperator<byte[]> cbor = r -> r.clone();
  /** Handles a MSG request (APDU); default: echo. */
  UnaryOperator<byte[]> msg = r -> r.clone();
  /** KEEPALIVE packets (STATUS_UPNEEDED) sent before each CBOR answer. */
  int keepalivesBeforeCbor;
  /** When set, every command except INIT answers CTAPHID_ERROR with this code. */
  Integer errorCode;
  /** Noise before each answer: an INIT response with someone else's nonce and a packet on a stranger's channel. */
  boolean noise;
  /** When set, answers go out with their continuation packets swapped. */
  boolean scrambleSequence;
  /** When set, nothing is answered. */
  boolean silent;

  int nextCid = 0x0A0B0C01;
  final List<byte[]> received = new ArrayList<>();
  final List<Message> messages = new ArrayList<>();

  record Message(int cid, int cmd, byte[] payload) {}

  private final Map<Integer, Assembly> assemblies = new HashMap<>();

  private static final class Assembly {
    final int cmd;
    final int bcnt;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    int seq;

    Assembly(int cmd, int bcnt) {
      this.cmd = cmd;
      this.bcnt = bcnt;
    }
  }

  /** One output report from the host; returns the input reports the device sends back. */
  List<byte[]> handle(byte[] report) {
    received.add(report.clone());
    int cid = cid(report);
    List<byte[]> out = new ArrayList<>();
    if ((report[4] & 0x80) != 0) {
      int bcnt = ((report[5] & 0xFF) << 8) | (report[6] & 0xFF);
      Assembly a = new Assembly(report[4] & 0xFF, bcnt);
      a.data.write(report, 7, Math.min(57, bcnt));
      assemblies.put(cid, a);
    } else {
      Assembly a = assemblies.get(cid);
      if (a == null || (report[4] & 0xFF) != a.seq) {
        return List.of(packet(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) CtapHidError.ERR_INVALID_SEQ.code()}).get(0));
      }
      a.seq++;
      a.data.write(report, 5, Math.min(59, a.bcnt - a.data.size()));
    }
    Assembly a = assemblies.get(cid);
    if (a.data.size() < a.bcnt) {
      return out;
    }
    assemblies.remove(cid);
    byte[] payload = a.data.toByteArray();
    messages.add(new Message(cid, a.cmd, payload));
    if (silent || a.cmd == CtapHidCommand.CANCEL.code()) {
      return out;
    }
    if (noise) {
      byte[] stranger = new byte[17];
      stranger[0] = 0x55;
      out.addAll(packet(BROADCAST, CtapHidCommand.INIT.code(), stranger));
      out.addAll(packet(0x77777777, CtapHidCommand.PING.code(), new byte[] {1, 2, 3}));
    }
    if (errorCode != null && a.cmd != CtapHidCommand.INIT.code()) {
      out.addAll(packet(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) (int) errorCode}));
      return out;
    }
    byte[] answer;
    if (a.cmd == CtapHidCommand.INIT.code()) {
      int newCid = nextCid++;
      answer = new byte[17];
      System.arraycopy(payload, 0, answer, 0, 8);
      answer[8] = (byte) (newCid >>> 24);
      answer[9] = (byte) (newCid >>> 16);
      answer[10] = (byte) (newCid >>> 8);
      answer[11] = (byte) newCid;
      answer[12] = 2;
      answer[13] = 5;
      answer[14] = 4;
      answer[15] = 3;
      answer[16] = (byte) (InitResponse.CAPABILITY_WINK | InitResponse.CAPABILITY_CBOR);
    } else if (a.cmd == CtapHidCommand.CBOR.code()) {
      for (int i = 0; i < keepalivesBeforeCbor; i++) {
        out.addAll(packet(cid, CtapHidCommand.KEEPALIVE.code(), new byte[] {KeepaliveListener.STATUS_UPNEEDED}));
      }
      answer = cbor.apply(payload);
    } else if (a.cmd == CtapHidCommand.MSG.code()) {
      answer = msg.apply(payload);
    } else if (a.cmd == CtapHidCommand.PING.code()) {
      answer = payload;
    } else if (a.cmd == CtapHidCommand.WINK.code() || a.cmd == CtapHidCommand.LOCK.code()) {
      answer = new byte[0];
    } else {
      out.addAll(packet(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) CtapHidError.ERR_INVALID_CMD.code()}));
      return out;
    }
    List<byte[]> packets = packet(cid, a.cmd, answer);
    if (scrambleSequence && packets.size() > 2) {
      byte[] first = packets.get(1);
      packets.set(1, packets.get(2));
      packets.set(2, first);
    }
    out.addAll(packets);
    return out;
  }

  /** A message as the device frames it: initialization packet then continuation packets. */
  static List<byte[]> packet(int cid, int cmd, byte[] payload) {
    List<byte[]> out = new ArrayList<>();
    byte[] p = header(cid);
    p[4] = (byte) cmd;
    p[5] = (byte) (payload.length >>> 8);
    p[6] = (byte) payload.length;
    int n = Math.min(57, payload.length);
    System.arraycopy(payload, 0, p, 7, n);
    out.add(p);
    for (int seq = 0, off = n; off < payload.length; seq++) {
      byte[] c = header(cid);
      c[4] = (byte) seq;
      int m = Math.min(59, payload.length - off);
      System.arraycopy(payload, off, c, 5, m);
      out.add(c);
      off += m;
    }
    return out;
  }

  private static byte[] header(int cid) {
    byte[] p = new byte[64];
    p[0] = (byte) (cid >>> 24);
    p[1] = (byte) (cid >>> 16);
    p[2] = (byte) (cid >>> 8);
    p[3] = (byte) cid;
    return p;
  }

  static int cid(byte[] p) {
    return ((p[0] & 0xFF) << 24) | ((p[1] & 0xFF) << 16) | ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
  }
}
