package dev.softkey.cli;

import dev.softkey.core.webauthn.WebAuthnClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What {@code webauthn create} and {@code webauthn get} share: origin, PIN, options, transports. */
abstract class CeremonyCommand implements Callable<Integer> {
  final SoftkeyCommand root;

  @Option(names = "--origin", required = true, paramLabel = "URL",
      description = "The calling page's origin, e.g. https://example.com (required; the RP ID defaults to its host).")
  String origin;

  @Option(names = "--pin", paramLabel = "PIN",
      description = "The authenticator's current PIN, for user verification. Visible to other users in the process list. Default: no PIN.")
  String pin;

  @Option(names = "--options", paramLabel = "FILE",
      description = "The options JSON (PublicKeyCredential*OptionsJSON, bare or in {\"publicKey\": ...}). Default: read from stdin.")
  Path options;

  @Option(names = "--transport", paramLabel = "NAME", split = ",",
      description = "Transports reported for new credentials (response.transports), comma-separated. Default: usb.")
  List<String> transports = List.of("usb");

  CeremonyCommand(SoftkeyCommand root) {
    this.root = root;
  }

  String readOptions() {
    try {
      return options != null ? Files.readString(options) : new String(root.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read options " + (options != null ? options : "from stdin") + ": "
          + IoErrors.reason(e) + " (check the --options path)", e);
    }
  }

  WebAuthnClient client(DeviceFactory.Device d) {
    WebAuthnClient.Builder b = WebAuthnClient.builder(d.transport()).transports(transports);
    d.pinTokenProvider().ifPresent(b::pinTokenProvider);
    return b.build();
  }
}
