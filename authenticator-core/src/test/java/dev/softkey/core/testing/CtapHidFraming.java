package dev.softkey.core.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The device side of CTAPHID message framing (CTAP 2.1 section 11.2.4), for the fake HID keys in
 * transport and CLI tests: 64-byte reports, an initialization packet (CID, CMD with bit 7 set by
 * the caller, BCNT, 57 data bytes) then continuation packets (CID, SEQ 0..127, 59 data bytes).
 * Written independently of transport-usb's framing so that the fakes check it rather than mirror it.
 */
public final class CtapHidFraming {
  /** HID report size of a full-speed FIDO device (CTAP 2.1 section 11.2.4). */
  public static final int REPORT_SIZE = 64;

  /** Data bytes in an initialization packet. */
  public static final int INIT_DATA = REPORT_SIZE - 7;

  /** Data bytes in a continuation packet. */
  public static final int CONT_DATA = REPORT_SIZE - 5;

  private CtapHidFraming() {}

  /** A message as the device frames it: initialization packet then continuation packets. */
  public static List<byte[]> packets(int cid, int cmd, byte[] payload) {
    List<byte[]> out = new ArrayList<>();
    byte[] p = header(cid);
    p[4] = (byte) cmd;
    p[5] = (byte) (payload.length >>> 8);
    p[6] = (byte) payload.length;
    int n = Math.min(INIT_DATA, payload.length);
    System.arraycopy(payload, 0, p, 7, n);
    out.add(p);
    for (int seq = 0, off = n; off < payload.length; seq++) {
      byte[] c = header(cid);
      c[4] = (byte) seq;
      int m = Math.min(CONT_DATA, payload.length - off);
      System.arraycopy(payload, off, c, 5, m);
      out.add(c);
      off += m;
    }
    return out;
  }

  /** The channel ID of a report (big-endian, bytes 0..3). */
  public static int cid(byte[] report) {
    return ((report[0] & 0xFF) << 24) | ((report[1] & 0xFF) << 16) | ((report[2] & 0xFF) << 8) | (report[3] & 0xFF);
  }

  /** BCNT of an initialization packet (big-endian, bytes 5..6). */
  public static int bcnt(byte[] report) {
    return ((report[5] & 0xFF) << 8) | (report[6] & 0xFF);
  }

  /**
   * A CTAPHID_INIT response payload (CTAP 2.1 section 11.2.9.1.3): the request's 8-byte nonce, the
   * new channel ID, CTAPHID protocol version 2, the device version and the capability flags.
   */
  public static byte[] initResponse(byte[] nonce, int newCid, int major, int minor, int build, int capabilities) {
    byte[] answer = new byte[17];
    System.arraycopy(nonce, 0, answer, 0, Math.min(8, nonce.length));
    answer[8] = (byte) (newCid >>> 24);
    answer[9] = (byte) (newCid >>> 16);
    answer[10] = (byte) (newCid >>> 8);
    answer[11] = (byte) newCid;
    answer[12] = 2;
    answer[13] = (byte) major;
    answer[14] = (byte) minor;
    answer[15] = (byte) build;
    answer[16] = (byte) capabilities;
    return answer;
  }

  private static byte[] header(int cid) {
    byte[] p = new byte[REPORT_SIZE];
    p[0] = (byte) (cid >>> 24);
    p[1] = (byte) (cid >>> 16);
    p[2] = (byte) (cid >>> 8);
    p[3] = (byte) cid;
    return p;
  }
}
