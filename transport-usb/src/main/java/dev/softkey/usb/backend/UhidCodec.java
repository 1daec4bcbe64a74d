package dev.softkey.usb.backend;

import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of {@code struct uhid_event} from linux/uhid.h (include/uapi/linux/uhid.h in the
 * kernel tree; all structs are {@code __packed__}, fields in host order, little-endian on every
 * platform this runs on). Offsets below are from the start of the event and were checked with
 * {@code offsetof} against the header with gcc: sizeof(struct uhid_event) is 4380 (u32 type plus
 * a union padded to 4376 by the 8-byte alignment of uhid_start_req).
 */
final class UhidCodec {
  private UhidCodec() {}

  /** sizeof(struct uhid_event). */
  static final int EVENT_SIZE = 4380;

  /** UHID_DATA_MAX and HID_MAX_DESCRIPTOR_SIZE. */
  static final int DATA_MAX = 4096;

  // enum uhid_event_type in linux/uhid.h (values are the enum positions; 0, 7 and 8 are legacy).
  static final int UHID_DESTROY = 1;
  static final int UHID_START = 2;
  static final int UHID_STOP = 3;
  static final int UHID_OPEN = 4;
  static final int UHID_CLOSE = 5;
  static final int UHID_OUTPUT = 6;
  static final int UHID_GET_REPORT = 9;
  static final int UHID_GET_REPORT_REPLY = 10;
  static final int UHID_CREATE2 = 11;
  static final int UHID_INPUT2 = 12;
  static final int UHID_SET_REPORT = 13;
  static final int UHID_SET_REPORT_REPLY = 14;

  // enum uhid_report_type in linux/uhid.h.
  static final int UHID_FEATURE_REPORT = 0;
  static final int UHID_OUTPUT_REPORT = 1;
  static final int UHID_INPUT_REPORT = 2;

  /** BUS_USB from linux/input.h. */
  static final int BUS_USB = 0x03;

  /** EIO from asm-generic/errno-base.h: the error answered to GET_REPORT/SET_REPORT. */
  static final int EIO = 5;

  // struct uhid_create2_req, at offset 4.
  private static final int NAME_LEN = 128;
  private static final int PHYS_LEN = 64;
  private static final int UNIQ_LEN = 64;
  private static final int CREATE2_NAME = 4;
  private static final int CREATE2_PHYS = CREATE2_NAME + NAME_LEN; // 132
  private static final int CREATE2_UNIQ = CREATE2_PHYS + PHYS_LEN; // 196
  private static final int CREATE2_RD_SIZE = CREATE2_UNIQ + UNIQ_LEN; // 260
  private static final int CREATE2_BUS = CREATE2_RD_SIZE + 2; // 262
  private static final int CREATE2_VENDOR = CREATE2_BUS + 2; // 264
  private static final int CREATE2_PRODUCT = CREATE2_VENDOR + 4; // 268
  private static final int CREATE2_VERSION = CREATE2_PRODUCT + 4; // 272
  private static final int CREATE2_COUNTRY = CREATE2_VERSION + 4; // 276
  private static final int CREATE2_RD_DATA = CREATE2_COUNTRY + 4; // 280

  // struct uhid_output_req: data[4096] at 4, size u16 at 4100, rtype u8 at 4102.
  private static final int OUTPUT_SIZE = 4 + DATA_MAX;
  private static final int OUTPUT_RTYPE = OUTPUT_SIZE + 2;

  /** Length written for UHID_INPUT2: type, size and the data (the kernel zero-fills the rest). */
  static int input2Length(int dataLength) {
    return 4 + 2 + dataLength;
  }

  /**
   * UHID_CREATE2 (uhid_create2_req), a full 4380-byte event.
   *
   * @param name HID_NAME, at most 127 UTF-8 bytes are kept (NUL-terminated)
   * @param phys HID_PHYS, at most 63 bytes
   * @param uniq HID_UNIQ, at most 63 bytes
   */
  static byte[] create2(
      String name,
      String phys,
      String uniq,
      int bus,
      int vendor,
      int product,
      int version,
      int country,
      byte[] reportDescriptor) {
    if (reportDescriptor.length > DATA_MAX) {
      throw new IllegalArgumentException("report descriptor longer than " + DATA_MAX + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, UHID_CREATE2);
    putString(b, CREATE2_NAME, NAME_LEN, name);
    putString(b, CREATE2_PHYS, PHYS_LEN, phys);
    putString(b, CREATE2_UNIQ, UNIQ_LEN, uniq);
    b.putShort(CREATE2_RD_SIZE, (short) reportDescriptor.length);
    b.putShort(CREATE2_BUS, (short) bus);
    b.putInt(CREATE2_VENDOR, vendor);
    b.putInt(CREATE2_PRODUCT, product);
    b.putInt(CREATE2_VERSION, version);
    b.putInt(CREATE2_COUNTRY, country);
    b.put(CREATE2_RD_DATA, reportDescriptor);
    return b.array();
  }

  /** UHID_INPUT2 (uhid_input2_req: size u16, data): {@link #input2Length} bytes. */
  static byte[] input2(byte[] report) {
    if (report.length > DATA_MAX) {
      throw new IllegalArgumentException("input report longer than " + DATA_MAX + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(input2Length(report.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(UHID_INPUT2).putShort((short) report.length).put(report);
    return b.array();
  }

  /** UHID_DESTROY (no payload). */
  static byte[] destroy() {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(UHID_DESTROY).array();
  }

  /** UHID_GET_REPORT_REPLY (uhid_get_report_reply_req: id u32, err u16, size u16) with no data. */
  static byte[] getReportReply(long id, int err) {
    return ByteBuffer.allocate(12)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(UHID_GET_REPORT_REPLY)
        .putInt((int) id)
        .putShort((short) err)
        .putShort((short) 0)
        .array();
  }

  /** UHID_SET_REPORT_REPLY (uhid_set_report_reply_req: id u32, err u16). */
  static byte[] setReportReply(long id, int err) {
    return ByteBuffer.allocate(10)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(UHID_SET_REPORT_REPLY)
        .putInt((int) id)
        .putShort((short) err)
        .array();
  }

  /**
   * Decodes one event as read from /dev/uhid. The kernel may return fewer than 4380 bytes; missing
   * bytes count as zero ("If the kernel writes short events, user-space shall extend them with
   * 0s", linux/uhid.h).
   *
   * @throws IllegalArgumentException if fewer than 4 bytes were read
   */
  static UhidEvent decode(byte[] buf, int length) {
    if (length < 4) {
      throw new IllegalArgumentException("uhid event shorter than its type field: " + length);
    }
    byte[] full = new byte[EVENT_SIZE];
    System.arraycopy(buf, 0, full, 0, Math.min(length, EVENT_SIZE));
    ByteBuffer b = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN);
    int type = b.getInt(0);
    return switch (type) {
      case UHID_START -> new UhidEvent.Start(b.getLong(4));
      case UHID_STOP -> new UhidEvent.Stop();
      case UHID_OPEN -> new UhidEvent.Open();
      case UHID_CLOSE -> new UhidEvent.Close();
      case UHID_OUTPUT -> {
        int size = Math.min(Short.toUnsignedInt(b.getShort(OUTPUT_SIZE)), DATA_MAX);
        yield new UhidEvent.Output(Bytes.of(full, 4, size), Byte.toUnsignedInt(b.get(OUTPUT_RTYPE)));
      }
      // uhid_get_report_req: id u32 at 4, rnum u8 at 8, rtype u8 at 9.
      case UHID_GET_REPORT -> new UhidEvent.GetReport(
          Integer.toUnsignedLong(b.getInt(4)), Byte.toUnsignedInt(b.get(8)), Byte.toUnsignedInt(b.get(9)));
      // uhid_set_report_req: id u32 at 4, rnum u8 at 8, rtype u8 at 9, size u16 at 10, data at 12.
      case UHID_SET_REPORT -> {
        int size = Math.min(Short.toUnsignedInt(b.getShort(10)), DATA_MAX);
        yield new UhidEvent.SetReport(
            Integer.toUnsignedLong(b.getInt(4)),
            Byte.toUnsignedInt(b.get(8)),
            Byte.toUnsignedInt(b.get(9)),
            Bytes.of(full, 12, size));
      }
      default -> new UhidEvent.Other(type);
    };
  }

  /** Writes {@code s} as UTF-8, cut to whole characters so that a NUL terminator still fits. */
  private static void putString(ByteBuffer b, int offset, int fieldLength, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(utf8.length, fieldLength - 1);
    while (n > 0 && n < utf8.length && (utf8[n] & 0xC0) == 0x80) {
      n--; // do not split a multi-byte character
    }
    b.put(offset, utf8, 0, n);
  }
}
