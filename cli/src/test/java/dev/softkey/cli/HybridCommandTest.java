package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import dev.softkey.hybrid.qr.QrImages;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

class HybridCommandTest {
  /** A real Chrome QR code, from webauthn-rs's handshake.rs tests (also in testvectors/hybrid/qr-urls.tsv). */
  record Result(int code, String out, String err) {}

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
        .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demo_registersSignsInAndSignsInAgainLinked() {
    Result r = run("hybrid", "demo");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("FIDO:/").contains("Noise KNpsk0 handshake done").contains("Demo complete: registered and signed in.")
        .contains("Noise NKpsk0 handshake done").contains("signed in with the discoverable credential").contains("Hybrid demo complete.");
  }

  @Test
  void demo_withAPhoneProviderProfile_servesThatProfileAsThePhone() {
    Result r = run("--profile", "ms-authenticator-android", "hybrid", "demo");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    // The phone verifies its user itself (built-in UV without bio enrollment).
    assertThat(r.out()).contains("user verified (UV flag)").contains("Demo complete: registered and signed in.").contains("Hybrid demo complete.");
  }

  @Test
  void decode_namesEveryKey_andRejectsGarbage() {
    Result demo = run("hybrid", "demo");
    String url = demo.out().lines().filter(l -> l.startsWith("FIDO:/")).findFirst().orElseThrow();
    Result r = run("hybrid", "decode", url);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"0_publicKey\"").contains("\"1_qrSecret\"").contains("\"4_supportsLinking\" : true").contains("\"5_requestType\" : \"mc\"");
    Result bad = run("hybrid", "decode", "FIDO:/123");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("softkey: not a valid hybrid QR code");
    Result missing = run("hybrid", "decode", "/nonexistent.png");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("neither a FIDO:/ URL nor an image file");
  }

  @Nested
  class DecodeImages {
    @TempDir Path dir;

    @Test
    void aQrScreenshot_decodes() throws Exception {
      Result demo = run("hybrid", "demo");
      String url = demo.out().lines().filter(l -> l.startsWith("FIDO:/")).findFirst().orElseThrow();
      Path png = Files.write(dir.resolve("qr.png"), QrImages.png(url, 4));
      Result r = run("hybrid", "decode", png.toString());
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("\"1_qrSecret\"");
    }

    @Test
    void aHugePng_isRefusedWithItsDimensions_exit2() throws Exception {
      Path png = hugePng(dir.resolve("huge.png"), 20000, 20000);
      Result r = run("hybrid", "decode", png.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: cannot scan " + png + ": the image is 20000x20000 pixels (400.0 megapixels); images over 40.0 megapixels are not scanned")
          .doesNotContain("no QR code");
    }

    @Test
    void aFileOver20Mb_isRefusedBeforeItIsRead_exit2() throws Exception {
      Path big = dir.resolve("big.png");
      try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
        f.setLength(25L * 1024 * 1024); // sparse
      }
      Result r = run("hybrid", "decode", big.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("the file is 25.0 MB; images over 20.0 MB are not scanned");
    }

    @Test
    void notAnImage_andAnImageWithoutACode_getDifferentMessages() throws Exception {
      Path text = Files.writeString(dir.resolve("notes.png"), "not a picture at all");
      Result r = run("hybrid", "decode", text.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("cannot scan").contains("not an image").doesNotContain("no QR code");
      Path blank = Files.write(dir.resolve("blank.png"), QrImages.write(new BufferedImage(120, 120, BufferedImage.TYPE_INT_RGB), "png"));
      Result none = run("hybrid", "decode", blank.toString());
      assertThat(none.code()).isEqualTo(2);
      assertThat(none.err()).contains("no QR code found in " + blank).doesNotContain("not an image");
    }

    /** A PNG declaring {@code w x h} 8-bit grey pixels with one compressed row of zeros: a header for the reader, tiny on disk. */
    private Path hugePng(Path file, int w, int h) throws Exception {
      ByteArrayOutputStream idat = new ByteArrayOutputStream();
      try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
        z.write(new byte[w + 1]);
      }
      ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0});
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
      }
      return file;
    }

    private void chunk(DataOutputStream out, String type, byte[] data) throws Exception {
      byte[] t = type.getBytes(StandardCharsets.US_ASCII);
      out.writeInt(data.length);
      out.write(t);
      out.write(data);
      CRC32 crc = new CRC32();
      crc.update(t);
      crc.update(data);
      out.writeInt((int) crc.getValue());
    }
  }
}
