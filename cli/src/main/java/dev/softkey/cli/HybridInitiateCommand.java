package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.qr.QrImages;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.session.HybridChannel;
import dev.softkey.hybrid.session.HybridInitiator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey hybrid initiate}: be the desktop: show a QR code, run the request through the phone. */
@Command(
    name = "initiate",
    mixinStandardHelpOptions = true,
    description = {
      "Be the desktop: show a QR code (stderr, and --qr-png), wait for the phone, run the WebAuthn request.",
      "Creation options (with \"user\") register, request options sign in; the response JSON goes to stdout."
    })
final class HybridInitiateCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin HybridLinkOptions link = new HybridLinkOptions();

  @Option(names = "--origin", required = true, paramLabel = "URL", description = "The calling page's origin, e.g. https://example.com (required).")
  String origin;

  @Option(names = "--options", paramLabel = "FILE",
      description = "The options JSON (PublicKeyCredential*OptionsJSON, bare or in {\"publicKey\": ...}). Default: read from stdin.")
  Path options;

  @Option(names = "--qr-png", paramLabel = "FILE", description = "Also write the QR code as a PNG to FILE. Default: terminal only.")
  Path png;

  @Mixin PinOptions pin = new PinOptions();

  HybridInitiateCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    if (options == null && pin.readsStdin()) {
      throw new UsageException("--pin-file - reads the PIN from stdin, so the options cannot come from stdin too: give them with --options FILE");
    }
    String json = options != null ? Files.readString(options) : new String(root.stdin().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UsageException("the options JSON is not valid JSON: " + e.getOriginalMessage()
          + "; give PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON on stdin or with --options FILE", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new UsageException("no options JSON object " + (options != null ? "in " + options : "on stdin")
          + "; give PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON on stdin or with --options FILE");
    }
    JsonNode pk = tree.has("publicKey") ? tree.get("publicKey") : tree;
    boolean create = pk.has("user");
    Optional<String> p = pin.pin();
    try (Radio radio = link.radio()) {
      HybridInitiator desktop = new HybridInitiator(radio, RandomSource.secure(), link.options(root.err()::println));
      HybridInitiator.Pending pending = desktop.startQr(create ? RequestType.MAKE_CREDENTIAL : RequestType.GET_ASSERTION, false);
      root.err().println(QrImages.renderTerminal(pending.fidoUrl(), false));
      root.err().println(pending.fidoUrl());
      if (png != null) {
        Files.write(png, QrImages.png(pending.fidoUrl(), 8));
      }
      try (HybridChannel channel = pending.connect()) {
        WebAuthnClient client = WebAuthnClient.builder(channel).transports(List.of("hybrid")).build();
        String out = create ? client.create(json, origin, p).toJson() : client.get(json, origin, p).toJson();
        root.out().println(out);
      } catch (WebAuthnException e) {
        if (e.name() == WebAuthnException.Name.TypeError || e.name() == WebAuthnException.Name.EncodingError) {
          throw new UsageException("the options JSON is not valid: " + e.getMessage()
              + "; give PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON (bare or as {\"publicKey\": ...})", e);
        }
        throw e;
      }
    }
    return 0;
  }
}
