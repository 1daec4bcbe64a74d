package dev.softkey.hybrid.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.testvectors.HybridVectors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image limits of {@link QrImages}: header dimensions before decoding, file size, unreadable files, over real files. */
class QrImagesLimitsTest {
  private static final String URL = HybridVectors.rowsByName("qr-urls.tsv").get("chrome").get(1);

  @TempDir Path dir;

  @Test
  void aHugePng_isRefusedFromItsHeader_withTheFigures() throws Exception {
    Path png = HugePng.write(dir.resolve("huge.png"), 20000, 20000, 4);
    assertThat(Files.size(png)).as("a small file declaring 400 megapixels").isLessThan(2000);
    assertThatThrownBy(() -> QrImages.decodeFile(png, QrImages.ImageLimits.DEFAULT))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.TOO_MANY_PIXELS))
        .hasMessage("the image is 20000x20000 pixels (400.0 megapixels); images over 40.0 megapixels are not scanned (a QR code needs far fewer)");
  }

  @Test
  void theRefusal_staysUnder64MbOfHeap_whileTheSameFileWithoutLimitsRunsOutOfIt() throws Exception {
    Path png = HugePng.write(dir.resolve("huge.png"), 20000, 20000, 4);
    Probe limited = probe(png, false);
    assertThat(limited.exitCode()).as(limited.out()).isZero();
    assertThat(limited.out()).contains("refused TOO_MANY_PIXELS");
    assertThat(limited.peakHeap()).as("peak heap of the refusing JVM").isLessThan(48L * 1024 * 1024);
    // The control: the header check is what keeps it small; without it the reader tries to allocate the 400 MB raster.
    Probe unlimited = probe(png, true);
    assertThat(unlimited.exitCode()).as(unlimited.out()).isZero();
    assertThat(unlimited.out()).contains("refused TOO_MANY_PIXELS: the PNG image does not fit in memory");
    System.out.printf("FIGURES huge PNG (%d bytes, 20000x20000): refused with peak heap %.1f MB under -Xmx64m; without limits: %s%n",
        Files.size(png), limited.peakHeap() / 1048576.0, unlimited.out().lines().findFirst().orElse(""));
  }

  @Test
  void aFileOverTheSizeLimit_isRefusedBeforeItIsRead() throws Exception {
    Path big = dir.resolve("big.png");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(21L * 1024 * 1024); // sparse: no 21 MB written
    }
    assertThatThrownBy(() -> QrImages.decodeFile(big, QrImages.ImageLimits.DEFAULT))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.FILE_TOO_LARGE))
        .hasMessage("the file is 21.0 MB; images over 20.0 MB are not scanned (a QR code screenshot is far smaller)");
    assertThatThrownBy(() -> QrImages.decode(new byte[2000], new QrImages.ImageLimits(1000, 1000)))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.FILE_TOO_LARGE));
  }

  @Test
  void notAnImage_andACorruptImage_areUnreadable_notNoQrCode() throws Exception {
    assertThatThrownBy(() -> QrImages.decode("just some text".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.UNREADABLE))
        .hasMessageStartingWith("not an image");
    byte[] png = QrImages.png(URL, 4);
    byte[] truncated = Arrays.copyOf(png, 60);
    assertThatThrownBy(() -> QrImages.decode(truncated))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.UNREADABLE))
        .hasMessageStartingWith("unreadable PNG image");
    // A small PNG with missing rows is read (under the limit) and refused as unreadable, not "no QR code".
    Path rowsMissing = HugePng.write(dir.resolve("rows.png"), 200, 200, 4);
    assertThatThrownBy(() -> QrImages.decodeFile(rowsMissing, QrImages.ImageLimits.DEFAULT))
        .isInstanceOfSatisfying(QrImages.ImageRefusedException.class, e -> assertThat(e.reason()).isEqualTo(QrImages.ImageRefusedException.Reason.UNREADABLE));
  }

  @Test
  void imagesUnderTheLimits_stillDecode_andABlankOneHasNoQrCode() throws Exception {
    Path good = Files.write(dir.resolve("qr.png"), QrImages.png(URL, 4));
    assertThat(QrImages.decodeFile(good, QrImages.ImageLimits.DEFAULT)).contains(URL);
    // at exactly the pixel limit: decoded
    int side = QrImages.matrix(URL).getWidth() * 4;
    assertThat(QrImages.decode(QrImages.png(URL, 4), new QrImages.ImageLimits(1 << 20, (long) side * side))).contains(URL);
    assertThatThrownBy(() -> QrImages.decode(QrImages.png(URL, 4), new QrImages.ImageLimits(1 << 20, (long) side * side - 1)))
        .isInstanceOf(QrImages.ImageRefusedException.class);
    byte[] blank = QrImages.write(new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB), "png");
    assertThat(QrImages.decode(blank)).isEmpty();
  }

  record Probe(int exitCode, String out, long peakHeap) {}

  private static Probe probe(Path file, boolean noLimits) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), HugePngProbe.class.getName(), file.toString()));
    if (noLimits) {
      cmd.add("--no-limits");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = Pattern.compile("peak heap bytes: (\\d+)").matcher(out);
    return new Probe(p.exitValue(), out, m.find() ? Long.parseLong(m.group(1)) : -1);
  }
}
