package dev.softkey.cli;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.session.HybridAuthenticator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code softkey hybrid scan}: be the phone and answer a QR code with this key. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Be the phone: answer a QR code (FIDO:/ URL or screenshot) with this key and its store.",
      "Opens the tunnel, advertises, does the handshake, serves the desktop's CTAP requests."
    })
final class HybridScanCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Parameters(paramLabel = "FIDO:/...|IMAGE", description = "The QR code: its FIDO:/ URL, or a PNG/JPEG screenshot of it (required).")
  String qr;

  @Mixin HybridLinkOptions link = new HybridLinkOptions();

  @Option(names = "--name", paramLabel = "NAME", description = "The phone's name in linking information. Default: ${DEFAULT-VALUE}.")
  String name = "softkey";

  HybridScanCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    String url = HybridCommand.fidoUrl(qr);
    try {
      QrPayload.decode(url);
    } catch (HybridException e) {
      throw new IllegalArgumentException("not a valid hybrid QR code: " + e.getMessage());
    }
    try (DeviceFactory.Device d = root.openDevice(); Radio radio = link.radio()) {
      HybridAuthenticator phone =
          new HybridAuthenticator(d.authenticator().orElseThrow(), d.state().orElseThrow(), radio, RandomSource.secure(), link.options(root.out()::println), name);
      HybridAuthenticator.Outcome o = phone.serveQr(url);
      root.out().printf("softkey hybrid: served %d CTAP request(s)%s%n", o.ctapRequests(), o.linkingSent() ? ", sent linking information" : "");
    }
    return 0;
  }
}
