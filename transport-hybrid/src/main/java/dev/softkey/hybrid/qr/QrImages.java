package dev.softkey.hybrid.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * QR code rendering and reading with zxing: a module matrix, Unicode half-block text for
 * terminals, PNG bytes, and decoding from PNG/JPEG bytes or an image. Stateless.
 */
public final class QrImages {
  /** Quiet-zone width in modules used by the renderers (the QR standard asks for 4). */
  public static final int QUIET_ZONE = 4;

  private QrImages() {}

  /**
   * The QR module matrix for {@code text}, with a {@link #QUIET_ZONE} margin and error correction
   * level L (a {@code FIDO:/} URL is upper-case letters, ':' '/' and digits, so zxing picks
   * alphanumeric mode for all of it).
   */
  public static BitMatrix matrix(String text) {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L);
    hints.put(EncodeHintType.MARGIN, QUIET_ZONE);
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit in a QR code", e);
    }
  }

  /**
   * Text for a terminal: two module rows per line with the half blocks ▀ ▄ █ and spaces. Light
   * modules are drawn (inked) and dark modules left blank, which reads correctly on the usual
   * light-on-dark terminal; pass {@code invert = true} for dark-on-light terminals.
   */
  public static String renderTerminal(String text, boolean invert) {
    BitMatrix m = matrix(text);
    StringBuilder out = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y += 2) {
      for (int x = 0; x < m.getWidth(); x++) {
        boolean top = inked(m, x, y, invert);
        // a row past an odd-height matrix is quiet zone (light)
        boolean bottom = y + 1 < m.getHeight() ? inked(m, x, y + 1, invert) : !invert;
        out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Whether the module is drawn: light modules normally, dark ones when inverted. */
  private static boolean inked(BitMatrix m, int x, int y, boolean invert) {
    return m.get(x, y) == invert;
  }

  /** Reads {@link #renderTerminal} output back into a module matrix (dark = set). */
  public static BitMatrix parseTerminal(String rendered, boolean invert) {
    String[] lines = rendered.split("\n");
    int width = lines[0].length();
    BitMatrix m = new BitMatrix(width, lines.length * 2);
    for (int row = 0; row < lines.length; row++) {
      for (int x = 0; x < width; x++) {
        char c = lines[row].charAt(x);
        boolean top = c == '█' || c == '▀';
        boolean bottom = c == '█' || c == '▄';
        if (top == invert) {
          m.set(x, 2 * row);
        }
        if (bottom == invert) {
          m.set(x, 2 * row + 1);
        }
      }
    }
    return m;
  }

  /** The QR code as an image, {@code scale} pixels per module. */
  public static BufferedImage image(String text, int scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be positive");
    }
    return image(matrix(text), scale);
  }

  /** The QR code as PNG bytes, {@code scale} pixels per module. */
  public static byte[] png(String text, int scale) {
    return write(image(text, scale), "png");
  }

  /** Encodes an image as {@code format} ("png", "jpg") with ImageIO. */
  public static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes the QR code in PNG or JPEG (any ImageIO format) bytes; empty if none is found. */
  public static Optional<String> decode(byte[] imageBytes) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(imageBytes));
    } catch (IOException e) {
      return Optional.empty();
    }
    return image == null ? Optional.empty() : decode(image);
  }

  /** Decodes the QR code in {@code image}; empty if none is found. */
  public static Optional<String> decode(BufferedImage image) {
    LuminanceSource source = new BufferedImageLuminanceSource(image);
    return decode(new BinaryBitmap(new HybridBinarizer(source)));
  }

  /** Decodes a module matrix (for example from {@link #parseTerminal}); empty if unreadable. */
  public static Optional<String> decode(BitMatrix modules) {
    return decode(image(modules, 4));
  }

  private static BufferedImage image(BitMatrix m, int scale) {
    BitMatrix scaled = new BitMatrix(m.getWidth() * scale, m.getHeight() * scale);
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        if (m.get(x, y)) {
          scaled.setRegion(x * scale, y * scale, scale, scale);
        }
      }
    }
    return MatrixToImageWriter.toBufferedImage(scaled);
  }

  private static Optional<String> decode(BinaryBitmap bitmap) {
    Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    try {
      Result r = new QRCodeReader().decode(bitmap, hints);
      return Optional.of(r.getText());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (ReaderException e) {
      return Optional.empty();
    }
  }
}
