package dev.softkey.hybrid.qr;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a PNG that declares any size but carries only a few compressed rows of zeros (8-bit
 * grey), streaming them, so a test makes a "20000x20000" file of a few hundred bytes without
 * holding a row of the image in memory. Enough for a reader's header; a full decode fails on the
 * missing rows after it has allocated the raster, which is the cost the limit avoids.
 */
final class HugePng {
  private HugePng() {}

  static Path write(Path file, int width, int height, int rows) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
      byte[] zeros = new byte[Math.min(width, 4096)];
      for (int r = 0; r < rows; r++) {
        z.write(0); // filter type None
        for (int left = width; left > 0; left -= zeros.length) {
          z.write(zeros, 0, Math.min(left, zeros.length));
        }
      }
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(ihdr);
      d.writeInt(width);
      d.writeInt(height);
      d.write(new byte[] {8, 0, 0, 0, 0}); // bit depth 8, grey, deflate, adaptive filtering, no interlace
      chunk(out, "IHDR", ihdr.toByteArray());
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
    return file;
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
