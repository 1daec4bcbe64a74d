package dev.softkey.cli;

import dev.softkey.core.webauthn.CtapTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The device side of CTAPHID (CTAP 2.1 section 11.2), only as far as {@code softkey probe} needs:
 * INIT on the broadcast channel and single-packet CBOR requests, answered by a CTAP transport with
 * fragmented responses. Reports in, reports out.
 */
final class CtapHidTestKey {
  private final CtapTransport ctap;
  private final int capabilities;
  private int nextCid = 0x11223344;

  CtapHidTestKey(CtapTransport ctap, int capabilities) {
    this.ctap = ctap;
    this.capabilities = capabilities;
  }

  List<byte[]> handle(byte[] report) {
    int cid = ((report[0] & 0xFF) << 24) | ((report[1] & 0xFF) << 16) | ((report[2] & 0xFF) << 8) | (report[3] & 0xFF);
    int cmd = report[4] & 0xFF;
    int bcnt = ((report[5] & 0xFF) << 8) | (report[6] & 0xFF);
    byte[] payload = Arrays.copyOfRange(report, 7, 7 + Math.min(57, bcnt));
    if (cmd == 0x86) {
      int newCid = nextCid++;
      byte[] answer = Arrays.copyOf(payload, 17);
      answer[8] = (byte) (newCid >>> 24);
      answer[9] = (byte) (newCid >>> 16);
      answer[10] = (byte) (newCid >>> 8);
      answer[11] = (byte) newCid;
      answer[12] = 2;
      answer[13] = 1;
      answer[14] = 2;
      answer[15] = 3;
      answer[16] = (byte) capabilities;
      return frame(cid, cmd, answer);
    }
    if (cmd == 0x90) {
      return frame(cid, cmd, ctap.transact(payload));
    }
    return frame(cid, 0xBF, new byte[] {0x01});
  }

  private static List<byte[]> frame(int cid, int cmd, byte[] payload) {
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
}
