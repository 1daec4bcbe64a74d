package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code webauthn create} and {@code webauthn get} share: origin, PIN, options, transports. */
abstract class CeremonyCommand implements Callable<Integer> {
  final SoftkeyCommand root;

  @Option(names = "--origin", required = true, paramLabel = "URL",
      description = "The calling page's origin, e.g. https://example.com (required; the RP ID defaults to its host).")
  String origin;

  @Mixin PinOptions pin = new PinOptions();

  @Option(names = "--options", paramLabel = "FILE",
      description = "The options JSON (PublicKeyCredential*OptionsJSON, bare or in {\"publicKey\": ...}). Default: read from stdin.")
  Path options;

  @Option(names = "--transport", paramLabel = "NAME", split = ",",
      description = "Transports reported for new credentials (response.transports), comma-separated. Default: usb.")
  List<String> transports = List.of("usb");

  @Option(names = "--device", paramLabel = "URI",
      description = "Use a key that runs elsewhere, through a real transport, instead of the store's key in process: "
          + "udp://HOST:PORT[?reply=P] (CTAPHID over UDP, as 'softkey serve --transport udp' serves it; replies arrive on P, default 7112) "
          + "or hidraw:/dev/hidrawN (a Linux hidraw node: a real key, or 'softkey serve --transport uhid'). "
          + "The store (--store) is not opened. Default: the store's key, in process.")
  String device;

  @Option(names = "--timeout", paramLabel = "MS",
      description = "How long to wait for the key's reply, in milliseconds, before the ceremony fails with NotAllowedError, "
          + "as a browser's timer does (a key that never answers). Default: ${DEFAULT-VALUE}.")
  long timeoutMillis = WebAuthnClient.DEFAULT_TIMEOUT.toMillis();

  CeremonyCommand(SoftkeyCommand root) {
    this.root = root;
  }

  /** The name of the options dictionary this ceremony takes, for messages. */
  abstract String optionsType();

  /** The options text; a usage error, before any device is opened, when it is not JSON at all. */
  String readOptions() {
    if (options == null && pin.readsStdin()) {
      throw new UsageException("--pin-file - reads the PIN from stdin, so the options cannot come from stdin too: give them with --options FILE");
    }
    String json;
    try {
      json = options != null ? Files.readString(options) : new String(root.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read options " + (options != null ? options : "from stdin") + ": "
          + IoErrors.reason(e) + " (check the --options path)", e);
    }
    if (json.isBlank()) {
      throw new UsageException("no options JSON " + (options != null ? "in " + options : "on stdin") + "; give "
          + optionsType() + " on stdin or with --options FILE");
    }
    try {
      Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UsageException("the options JSON " + where() + "is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")
          + "; give "
          + optionsType() + " (bare or as {\"publicKey\": ...}) on stdin or with --options FILE", e);
    }
    return json;
  }

  private String where() {
    return options != null ? "in " + options + " " : "on stdin ";
  }

  /** The key: the one at {@code --device}, else the store's key in process. */
  DeviceFactory.Device openDevice() {
    if (device == null) {
      timeout(); // a bad --timeout is a usage error before the store is opened
      return root.openDevice();
    }
    return root.remember(RemoteDevice.open(device, timeout()));
  }

  private Duration timeout() {
    if (timeoutMillis < 1) {
      throw new UsageException("--timeout must be at least 1 ms, not " + timeoutMillis);
    }
    return Duration.ofMillis(timeoutMillis);
  }

  WebAuthnClient client(DeviceFactory.Device d) {
    WebAuthnClient.Builder b = WebAuthnClient.builder(d.transport()).transports(transports).timeout(timeout());
    policy(b);
    d.pinTokenProvider().ifPresent(b::pinTokenProvider);
    return b.build();
  }

  /**
   * What the ceremony adds to the client's policy (create: the RP IDs allowed enterprise
   * attestation, keeping the attestation statement).
   */
  void policy(WebAuthnClient.Builder b) {}

  /**
   * Malformed options (not JSON, a missing or mistyped member, bad base64url: TypeError and
   * EncodingError in WebAuthn) are a usage error, exit code 2, with what to give instead.
   */
  RuntimeException optionsError(WebAuthnException e) {
    if (e.name() == WebAuthnException.Name.TypeError || e.name() == WebAuthnException.Name.EncodingError) {
      return new UsageException("the options JSON " + where() + "is not valid: "
          + e.getMessage() + "; give " + optionsType() + " (bare or as {\"publicKey\": ...}) on stdin or with --options FILE", e);
    }
    return e;
  }
}
