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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * QR code rendering and reading with zxing: a module matrix, Unicode half-block text for
 * terminals, PNG bytes, and decoding from PNG/JPEG bytes or an image. Decoding refuses files and
 * images over {@link ImageLimits} before it allocates them. Stateless.
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

  /**
   * How large an image {@link #decode(byte[], ImageLimits)} reads. The pixel count is checked from
   * the image header, before a raster is allocated: a 439 KB PNG declaring 20000x20000 pixels once
   * took a decode to 977 MB of heap. Decoding costs about {@code pixels x (bytes per pixel + 1)}
   * of heap (the image, then zxing's grey copy), so the default's worst case is about 200 MB for 8-bit
   * RGBA; a QR code screenshot is far below (a 4K screen is 8.3 megapixels).
   *
   * @param maxFileBytes largest file (or byte array) read at all
   * @param maxPixels largest width x height decoded
   */
  public record ImageLimits(long maxFileBytes, long maxPixels) {
    /** 20 MB and 40 megapixels. */
    public static final ImageLimits DEFAULT = new ImageLimits(20L * 1024 * 1024, 40_000_000L);

    public ImageLimits {
      if (maxFileBytes < 1 || maxPixels < 1) {
        throw new IllegalArgumentException("image limits must be positive: " + maxFileBytes + " bytes, " + maxPixels + " pixels");
      }
    }
  }

  /**
   * An image that was not scanned at all, as opposed to one scanned without finding a QR code (an
   * empty result): too large a file, too many pixels, or not an image ImageIO can read. The
   * message says which, with the figures; it never repeats the image's bytes.
   */
  public static final class ImageRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why the image was refused. */
    public enum Reason {
      FILE_TOO_LARGE,
      TOO_MANY_PIXELS,
      UNREADABLE
    }

    private final Reason reason;

    ImageRefusedException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /**
   * Decodes the QR code in an image file under {@code limits}: the file's size is checked before
   * it is read, its dimensions before it is decoded. Empty if the image holds no QR code.
   *
   * @throws ImageRefusedException the file is too large, has too many pixels or is not a readable image
   * @throws IOException the file cannot be read
   */
  public static Optional<String> decodeFile(Path file, ImageLimits limits) throws IOException {
    long size = Files.size(file);
    if (size > limits.maxFileBytes()) {
      throw tooLarge(size, limits);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // one byte over the limit at most: a file that grew since its size was read is refused too
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 9, limits.maxFileBytes()) + 1);
    }
    return decode(bytes, limits);
  }

  /** {@link #decode(byte[], ImageLimits)} under {@link ImageLimits#DEFAULT}. */
  public static Optional<String> decode(byte[] imageBytes) {
    return decode(imageBytes, ImageLimits.DEFAULT);
  }

  /**
   * Decodes the QR code in PNG, JPEG (any ImageIO format) bytes; empty if the image holds none.
   * The reader reports the dimensions from the header first ({@code ImageReader.getWidth/getHeight}
   * read no raster), and only an image within {@code limits} is decoded.
   *
   * @throws ImageRefusedException too many bytes or pixels, or not a readable image
   */
  public static Optional<String> decode(byte[] imageBytes, ImageLimits limits) {
    if (imageBytes.length > limits.maxFileBytes()) {
      throw tooLarge(imageBytes.length, limits);
    }
    BufferedImage image;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(imageBytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRefusedException(ImageRefusedException.Reason.UNREADABLE,
            "not an image (no reader for it; PNG, JPEG, GIF and BMP are read)");
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toUpperCase(Locale.ROOT);
      try {
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width * height > limits.maxPixels()) {
          throw new ImageRefusedException(ImageRefusedException.Reason.TOO_MANY_PIXELS,
              String.format(Locale.ROOT, "the image is %dx%d pixels (%.1f megapixels); images over %.1f megapixels are not scanned (a QR code needs far fewer)",
                  width, height, width * height / 1e6, limits.maxPixels() / 1e6));
        }
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        if (e instanceof ImageRefusedException r) {
          throw r;
        }
        if (causedByOutOfMemory(e)) {
          // under the pixel limit but over this heap (ImageIO wraps the error): say so, not "unreadable"
          throw new ImageRefusedException(ImageRefusedException.Reason.TOO_MANY_PIXELS,
              "the " + format + " image does not fit in memory (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                  + " MB heap); scan a smaller image or give the JVM more heap (-Xmx)");
        }
        // ImageIO's messages name the fault ("Error reading PNG image data"), not the data
        throw new ImageRefusedException(ImageRefusedException.Reason.UNREADABLE,
            "unreadable " + format + " image: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new ImageRefusedException(ImageRefusedException.Reason.UNREADABLE, "unreadable image: " + e.getMessage());
    }
    return decode(image);
  }

  private static boolean causedByOutOfMemory(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private static ImageRefusedException tooLarge(long size, ImageLimits limits) {
    return new ImageRefusedException(ImageRefusedException.Reason.FILE_TOO_LARGE,
        String.format(Locale.ROOT, "the file is %.1f MB; images over %.1f MB are not scanned (a QR code screenshot is far smaller)",
            size / (1024.0 * 1024), limits.maxFileBytes() / (1024.0 * 1024)));
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
