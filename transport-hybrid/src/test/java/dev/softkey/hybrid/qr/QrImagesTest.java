package dev.softkey.hybrid.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.common.BitMatrix;
import dev.softkey.testvectors.HybridVectors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QrImagesTest {
  private static final String URL = HybridVectors.rowsByName("qr-urls.tsv").get("chrome").get(1);

  @Test
  void pngRoundTrip() throws Exception {
    byte[] png = QrImages.png(URL, 4);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(QrImages.decode(png)).contains(URL);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(QrImages.matrix(URL).getWidth() * 4);
  }

  @Test
  void jpegRoundTrip() {
    BufferedImage image = QrImages.image(URL, 6);
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    byte[] jpeg = QrImages.write(rgb, "jpg");
    assertThat(jpeg).startsWith(0xFF, 0xD8);
    assertThat(QrImages.decode(jpeg)).contains(URL);
  }

  @Test
  void terminalRenderingReadsBack() {
    for (boolean invert : new boolean[] {false, true}) {
      String text = QrImages.renderTerminal(URL, invert);
      assertThat(text).containsAnyOf("▀", "▄", "█");
      BitMatrix m = QrImages.parseTerminal(text, invert);
      assertThat(QrImages.decode(m)).as("invert=%s", invert).contains(URL);
    }
  }

  @Test
  void decodedUrlParsesAsPayload() {
    String scanned = QrImages.decode(QrImages.png(URL, 3)).orElseThrow();
    assertThat(QrPayload.decode(scanned)).isEqualTo(QrPayload.decode(URL));
  }

  @Test
  void imagesWithoutACodeDecodeToEmpty_andNonImagesAreRefused() {
    BufferedImage blank = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    assertThat(QrImages.decode(blank)).isEmpty();
    assertThat(QrImages.decode(QrImages.write(blank, "png"))).isEmpty();
    assertThatThrownBy(() -> QrImages.decode(new byte[] {1, 2, 3})).isInstanceOf(QrImages.ImageRefusedException.class).hasMessageStartingWith("not an image");
  }
}
