package dev.softkey.usb.client;

import dev.softkey.core.testing.CtapHidFraming;
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
 * before a CBOR answer, ERROR on demand. Reports in, reports out; no I/O. The framing is the shared
 * {@link CtapHidFraming}.
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
    int cid = CtapHidFraming.cid(report);
    List<byte[]> out = new ArrayList<>();
    if ((report[4] & 0x80) != 0) {
      int bcnt = CtapHidFraming.bcnt(report);
      Assembly a = new Assembly(report[4] & 0xFF, bcnt);
      a.data.write(report, 7, Math.min(57, bcnt));
      assemblies.put(cid, a);
    } else {
      Assembly a = assemblies.get(cid);
      if (a == null || (report[4] & 0xFF) != a.seq) {
        return List.of(CtapHidFraming.packets(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) CtapHidError.ERR_INVALID_SEQ.code()}).get(0));
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
      out.addAll(CtapHidFraming.packets(BROADCAST, CtapHidCommand.INIT.code(), stranger));
      out.addAll(CtapHidFraming.packets(0x77777777, CtapHidCommand.PING.code(), new byte[] {1, 2, 3}));
    }
    if (errorCode != null && a.cmd != CtapHidCommand.INIT.code()) {
      out.addAll(CtapHidFraming.packets(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) (int) errorCode}));
      return out;
    }
    byte[] answer;
    if (a.cmd == CtapHidCommand.INIT.code()) {
      int newCid = nextCid++;
      answer =
          CtapHidFraming.initResponse(payload, newCid, 5, 4, 3, InitResponse.CAPABILITY_WINK | InitResponse.CAPABILITY_CBOR);
    } else if (a.cmd == CtapHidCommand.CBOR.code()) {
      for (int i = 0; i < keepalivesBeforeCbor; i++) {
        out.addAll(CtapHidFraming.packets(cid, CtapHidCommand.KEEPALIVE.code(), new byte[] {KeepaliveListener.STATUS_UPNEEDED}));
      }
      answer = cbor.apply(payload);
    } else if (a.cmd == CtapHidCommand.MSG.code()) {
      answer = msg.apply(payload);
    } else if (a.cmd == CtapHidCommand.PING.code()) {
      answer = payload;
    } else if (a.cmd == CtapHidCommand.WINK.code() || a.cmd == CtapHidCommand.LOCK.code()) {
      answer = new byte[0];
    } else {
      out.addAll(CtapHidFraming.packets(cid, CtapHidCommand.ERROR.code(), new byte[] {(byte) CtapHidError.ERR_INVALID_CMD.code()}));
      return out;
    }
    List<byte[]> packets = CtapHidFraming.packets(cid, a.cmd, answer);
    if (scrambleSequence && packets.size() > 2) {
      byte[] first = packets.get(1);
      packets.set(1, packets.get(2));
      packets.set(2, first);
    }
    out.addAll(packets);
    return out;
  }
}
