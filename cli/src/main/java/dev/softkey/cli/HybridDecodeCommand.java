package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.qr.QrPayload;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code softkey hybrid decode}: a QR code's payload, every key named. */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Print a hybrid QR code's payload as JSON, every key named (0_publicKey, 1_qrSecret, ...).")
final class HybridDecodeCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Parameters(paramLabel = "FIDO:/...|IMAGE", description = "The QR code: its FIDO:/ URL, or a PNG/JPEG screenshot of it (required).")
  String qr;

  HybridDecodeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    QrPayload p;
    try {
      p = QrPayload.decode(HybridCommand.fidoUrl(qr));
    } catch (HybridException e) {
      throw new IllegalArgumentException("not a valid hybrid QR code: " + e.getMessage());
    }
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("0_publicKey", p.publicKey().compressed().hex());
    n.put("1_qrSecret", p.qrSecret().hex());
    p.knownDomainCount().ifPresent(v -> n.put("2_knownTunnelDomains", v));
    p.currentTime().ifPresent(v -> n.put("3_currentTime", v));
    p.currentInstant().ifPresent(v -> n.put("3_currentTimeIso", v.toString()));
    p.supportsStateAssisted().ifPresent(v -> n.put("4_supportsLinking", v));
    p.requestTypeHint().ifPresent(v -> n.put("5_requestType", v));
    p.supportsNonDiscoverableMakeCredential().ifPresent(v -> n.put("6_supportsNonDiscoverableMakeCredential", v));
    p.supportedChannels().ifPresent(v -> n.putPOJO("6_supportedChannels", v));
    p.unknownKeys().forEach((k, v) -> n.put("unknown_" + k, String.valueOf(v)));
    Json.print(root.out(), n);
    return 0;
  }
}
