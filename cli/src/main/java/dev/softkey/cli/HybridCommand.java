package dev.softkey.cli;

import dev.softkey.hybrid.qr.QrImages;
import dev.softkey.hybrid.qr.QrPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code softkey hybrid}: cross-device (QR) sign-in, both roles, offline or for real. */
@Command(
    name = "hybrid",
    mixinStandardHelpOptions = true,
    description = {
      "Cross-device (QR) sign-in, caBLE v2 / CTAP 2.2 hybrid: phone, desktop, demo, QR decoder.",
      "scan is the phone, initiate the desktop; 'softkey tunnel-server' runs a local tunnel server for --tunnel-url."
    },
    subcommands = {
      HybridDecodeCommand.class,
      HybridScanCommand.class,
      HybridInitiateCommand.class,
      HybridDemoCommand.class,
      HelpCommand.class
    })
final class HybridCommand extends CommandGroup {
  HybridCommand(SoftkeyCommand root) {
    super(root);
  }

  /**
   * A FIDO:/ URL given directly, or read from a PNG/JPEG screenshot of the QR code. A file that is
   * too large (bytes or pixels, {@link QrImages.ImageLimits#DEFAULT}), not an image, or without a
   * QR code is a bad value (exit 2), each with its own message; a file that cannot be read is an
   * I/O failure (exit 1).
   */
  static String fidoUrl(String arg) {
    if (arg.regionMatches(true, 0, QrPayload.PREFIX, 0, QrPayload.PREFIX.length())) {
      return arg;
    }
    Path p = Path.of(arg);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("'" + arg + "' is neither a FIDO:/ URL nor an image file");
    }
    try {
      return QrImages.decodeFile(p, QrImages.ImageLimits.DEFAULT)
          .orElseThrow(() -> new IllegalArgumentException("no QR code found in " + p + " (the image was read; it holds no readable QR code)"));
    } catch (QrImages.ImageRefusedException e) {
      throw new IllegalArgumentException("cannot scan " + p + ": " + e.getMessage());
    } catch (IOException e) {
      // an I/O failure (exit 1), not a bad value
      throw new UncheckedIOException("cannot read " + p + ": " + IoErrors.reason(e), e);
    }
  }
}
