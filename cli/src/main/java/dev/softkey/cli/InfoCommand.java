package dev.softkey.cli;

import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.WebAuthnClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey info}: authenticatorGetInfo of the key the global options describe. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "authenticatorGetInfo of the key (profile and live state), one member per line.",
    footerHeading = "%n",
    footer = {
      "--json prints one object: the getInfo members under their CTAP 2.1 names",
      "(section 6.4) in the order the key sends them; the aaguid as a UUID, byte",
      "strings as hex; members the key does not send are absent. For example:",
      "  {\"versions\": [\"U2F_V2\", \"FIDO_2_0\", \"FIDO_2_1\"],",
      "   \"aaguid\": \"0a3a4a58-b35c-4a72-a1be-5c5cb1009e2c\",",
      "   \"options\": {\"rk\": true, \"up\": true, \"clientPin\": false, ...},",
      "   \"maxMsgSize\": 2048, \"pinUvAuthProtocols\": [2, 1],",
      "   \"maxCredentialCountInList\": 16, \"maxCredentialIdLength\": 384,",
      "   \"transports\": [\"usb\"], \"algorithms\": [{\"alg\": -7, \"type\": \"public-key\"}],",
      "   \"minPINLength\": 4, \"firmwareVersion\": 256, ...}"
    })
final class InfoCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--json", description = "Print JSON (shape below) instead of the readable list. Default: readable.")
  boolean json;

  InfoCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      AuthenticatorInfo info = WebAuthnClient.builder(d.transport()).build().getInfo();
      if (json) {
        Json.print(root.out(), Json.info(info));
      } else {
        root.out().print(info.describe());
      }
    }
    return 0;
  }
}
