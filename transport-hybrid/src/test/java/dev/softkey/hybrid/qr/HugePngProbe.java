package dev.softkey.hybrid.qr;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Run in a child JVM with a small heap by {@link QrImagesLimitsTest}: decodes the file given
 * (with the default limits, or none with {@code --no-limits}) and prints the outcome and the peak
 * heap. Exit 0 refused, 1 decoded or "no QR code", 3 an OutOfMemoryError escaped.
 */
public final class HugePngProbe {
  private HugePngProbe() {}

  public static void main(String[] args) throws Exception {
    QrImages.ImageLimits limits =
        args.length > 1 && args[1].equals("--no-limits") ? new QrImages.ImageLimits(Long.MAX_VALUE, Long.MAX_VALUE) : QrImages.ImageLimits.DEFAULT;
    int code;
    try {
      System.out.println("result: " + QrImages.decodeFile(Path.of(args[0]), limits));
      code = 1;
    } catch (QrImages.ImageRefusedException e) {
      System.out.println("refused " + e.reason() + ": " + e.getMessage());
      code = 0;
    } catch (OutOfMemoryError e) {
      System.out.println("out of memory");
      code = 3;
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("peak heap bytes: " + peak);
    System.exit(code);
  }
}
