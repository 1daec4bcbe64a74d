package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.softkey.core.profile.Profile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey profiles}: the built-in device profiles. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = "List the built-in device profiles (for --profile): ID and description.",
    footerHeading = "%n",
    footer = {
      "--json prints an array of whole profiles, each in the profile file format",
      "(one saved to a file and edited is a profile for --profile FILE):",
      "  [{\"id\": \"generic\", \"description\": \"...\", \"source\": \"...\",",
      "    \"aaguid\": \"0a3a4a58-b35c-4a72-a1be-5c5cb1009e2c\",",
      "    \"versions\": [\"U2F_V2\", \"FIDO_2_0\", \"FIDO_2_1\"],",
      "    \"algorithms\": [\"ES256\", \"EdDSA\", \"ES384\", \"RS256\"],",
      "    \"pinUvAuthProtocols\": [2, 1], \"builtInUv\": false, \"residentKeys\": true,",
      "    \"maxResidentCredentials\": 100, \"maxMsgSize\": 2048, ..., \"transports\": [\"usb\"],",
      "    \"usb\": {\"vendorId\": 4617, \"productId\": 46081, ...}}, ...]"
    })
final class ProfilesCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--json", description = "Print JSON (shape below) instead of the list. Default: readable.")
  boolean json;

  ProfilesCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (json) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      for (Profile p : root.factory().profiles()) {
        a.add(Json.profile(p));
      }
      Json.print(root.out(), a);
      return 0;
    }
    for (Profile p : root.factory().profiles()) {
      root.out().printf("%-12s %s%n", p.id(), p.description());
    }
    return 0;
  }
}
