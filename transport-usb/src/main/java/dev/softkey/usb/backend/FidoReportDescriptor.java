package dev.softkey.usb.backend;

import java.util.HexFormat;

/**
 * The FIDO HID report descriptor (CTAP 2.1 section 11.2.8.1 "HID report descriptor and device
 * discovery"): usage page 0xF1D0, usage 0x01 (CTAPHID), 64-byte input and output reports.
 */
public final class FidoReportDescriptor {
  private FidoReportDescriptor() {}

  private static final String HEX =
      "06d0f1" // Usage Page (FIDO Alliance, 0xF1D0)
          + "0901" // Usage (CTAPHID)
          + "a101" // Collection (Application)
          + "0920" //   Usage (Input Report Data)
          + "1500" //   Logical Minimum (0)
          + "26ff00" //   Logical Maximum (255)
          + "7508" //   Report Size (8)
          + "9540" //   Report Count (64)
          + "8102" //   Input (Data, Var, Abs)
          + "0921" //   Usage (Output Report Data)
          + "1500" //   Logical Minimum (0)
          + "26ff00" //   Logical Maximum (255)
          + "7508" //   Report Size (8)
          + "9540" //   Report Count (64)
          + "9102" //   Output (Data, Var, Abs)
          + "c0"; // End Collection

  /** A fresh copy of the descriptor bytes. */
  public static byte[] bytes() {
    return HexFormat.of().parseHex(HEX);
  }

  /** Report size in bytes (without report ID). */
  public static final int REPORT_SIZE = 64;
}
