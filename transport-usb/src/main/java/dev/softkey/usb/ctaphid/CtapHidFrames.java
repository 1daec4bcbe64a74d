package dev.softkey.usb.ctaphid;

import java.util.ArrayList;
import java.util.List;

/**
 * CTAPHID packet layout (CTAP 2.1 section 11.2.4 "Message and packet structure"), shared by the
 * device and by CTAPHID clients.
 *
 * <pre>
 * initialization packet: CID(4) CMD(1, bit 7 set) BCNTH(1) BCNTL(1) DATA(57)
 * continuation packet:   CID(4) SEQ(1, 0..0x7F)                     DATA(59)
 * </pre>
 *
 * Integers are big-endian; unused bytes are zero.
 */
public final class CtapHidFrames {
  /** HID report size of the FIDO interface (section 11.2.4: 64-byte reports at full speed). */
  public static final int REPORT_SIZE = 64;

  /** DATA bytes in an initialization packet. */
  public static final int INIT_DATA_SIZE = REPORT_SIZE - 7;

  /** DATA bytes in a continuation packet. */
  public static final int CONT_DATA_SIZE = REPORT_SIZE - 5;

  /** Highest continuation sequence number (section 11.2.4: SEQ is 0..0x7F). */
  public static final int MAX_SEQ = 0x7F;

  /** Largest message: 57 + 128 * 59 = 7609 bytes (section 11.2.4). */
  public static final int MAX_MESSAGE_SIZE = INIT_DATA_SIZE + (MAX_SEQ + 1) * CONT_DATA_SIZE;

  /** The broadcast channel, used only by CTAPHID_INIT to allocate a channel (section 11.2.9.1.3). */
  public static final int BROADCAST_CID = 0xFFFFFFFF;

  /** The reserved channel ID 0, never allocated (section 11.2.3). */
  public static final int RESERVED_CID = 0;

  /** Bit 7 of byte 4: set in initialization packets, clear in continuation packets. */
  public static final int TYPE_INIT = 0x80;

  private CtapHidFrames() {}

  /**
   * Splits one message into an initialization packet and as many continuation packets as needed,
   * each {@link #REPORT_SIZE} bytes and zero-padded.
   *
   * @param cid channel ID
   * @param cmd command byte with bit 7 set ({@link CtapHidCommand#code()})
   * @param payload message data, at most {@link #MAX_MESSAGE_SIZE} bytes
   * @throws IllegalArgumentException if the payload is too long or cmd lacks bit 7
   */
  public static List<byte[]> fragment(int cid, int cmd, byte[] payload) {
    if (payload.length > MAX_MESSAGE_SIZE) {
      throw new IllegalArgumentException(
          "CTAPHID message of " + payload.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
    }
    if ((cmd & TYPE_INIT) == 0 || cmd > 0xFF) {
      throw new IllegalArgumentException("command byte must have bit 7 set");
    }
    List<byte[]> packets = new ArrayList<>();
    byte[] init = new byte[REPORT_SIZE];
    putCid(init, cid);
    init[4] = (byte) cmd;
    init[5] = (byte) (payload.length >>> 8);
    init[6] = (byte) payload.length;
    int offset = Math.min(payload.length, INIT_DATA_SIZE);
    System.arraycopy(payload, 0, init, 7, offset);
    packets.add(init);
    int seq = 0;
    while (offset < payload.length) {
      byte[] cont = new byte[REPORT_SIZE];
      putCid(cont, cid);
      cont[4] = (byte) seq++;
      int n = Math.min(payload.length - offset, CONT_DATA_SIZE);
      System.arraycopy(payload, offset, cont, 5, n);
      offset += n;
      packets.add(cont);
    }
    return packets;
  }

  /** The channel ID of a packet (bytes 0..3, big-endian). */
  public static int cid(byte[] packet) {
    return ((packet[0] & 0xFF) << 24)
        | ((packet[1] & 0xFF) << 16)
        | ((packet[2] & 0xFF) << 8)
        | (packet[3] & 0xFF);
  }

  /** Whether a packet is an initialization packet (bit 7 of byte 4 set). */
  public static boolean isInit(byte[] packet) {
    return (packet[4] & TYPE_INIT) != 0;
  }

  /** The payload length BCNT of an initialization packet. */
  public static int bcnt(byte[] packet) {
    return ((packet[5] & 0xFF) << 8) | (packet[6] & 0xFF);
  }

  /** Writes a channel ID big-endian into bytes 0..3. */
  public static void putCid(byte[] packet, int cid) {
    packet[0] = (byte) (cid >>> 24);
    packet[1] = (byte) (cid >>> 16);
    packet[2] = (byte) (cid >>> 8);
    packet[3] = (byte) cid;
  }
}
