package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.CtapException;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.credman.CredentialManager.Credential;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey credentials list}: getCredsMetadata, enumerateRPs and enumerateCredentials (CTAP 2.1 sections 6.8.2 to 6.8.4). */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the discoverable credentials: RP ID, user name and display name, user ID, credential ID (base64url, as delete and update-user take it) and credProtect level.",
    footerHeading = "%n",
    footer = {
      "--json prints one object; without --rp it has the counts of getCredsMetadata:",
      "  {\"existing\": 2, \"remaining\": 98,",
      "   \"credentials\": [{\"rpId\": \"example.com\", \"rpName\": \"Example\",",
      "     \"userId\": \"AQ\", \"userName\": \"alice\", \"userDisplayName\": \"Alice\",",
      "     \"credentialId\": \"...\", \"credProtect\": 1,",
      "     \"credProtectPolicy\": \"userVerificationOptional\", \"algorithm\": -7}, ...]}",
      "Byte strings are base64url without padding; absent names are absent members."
    })
final class CredentialsListCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Option(names = "--rp", paramLabel = "ID", description = "Only the credentials of RP ID ID. Default: every RP's.")
  String rp;

  @Option(names = "--json", description = "Print JSON (shape below) instead of the table. Default: table.")
  boolean json;

  CredentialsListCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      CredentialManager m = CredentialsAccess.open(d, pin, "credentials list");
      Optional<CredentialManager.Metadata> metadata;
      List<Credential> credentials = new ArrayList<>();
      List<CredentialManager.Rp> rps;
      metadata = rp == null ? Optional.of(m.metadata()) : Optional.empty();
      rps = m.rps();
      for (CredentialManager.Rp r : rps) {
        if (rp == null || r.rp().id().equals(rp)) {
          credentials.addAll(m.credentials(r.rp().id()));
        }
      }
      if (json) {
        Json.print(root.out(), json(metadata, rps, credentials));
      } else {
        table(root.out(), metadata, credentials);
      }
    }
    return 0;
  }

  static String policy(long level) {
    return switch ((int) level) {
      case 1 -> "userVerificationOptional";
      case 2 -> "userVerificationOptionalWithCredentialIDList";
      case 3 -> "userVerificationRequired";
      default -> "unknown";
    };
  }

  private static ObjectNode json(Optional<CredentialManager.Metadata> metadata, List<CredentialManager.Rp> rps, List<Credential> credentials) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    metadata.ifPresent(md -> {
      n.put("existing", md.existing());
      n.put("remaining", md.remaining());
    });
    ArrayNode a = n.putArray("credentials");
    for (Credential c : credentials) {
      ObjectNode o = a.addObject();
      o.put("rpId", c.rpId());
      rps.stream().filter(r -> r.rp().id().equals(c.rpId())).findFirst().flatMap(r -> r.rp().name()).ifPresent(v -> o.put("rpName", v));
      o.put("userId", c.user().id().base64Url());
      c.user().name().ifPresent(v -> o.put("userName", v));
      c.user().displayName().ifPresent(v -> o.put("userDisplayName", v));
      o.put("credentialId", c.credentialId().base64Url());
      c.credProtect().ifPresent(v -> {
        o.put("credProtect", v);
        o.put("credProtectPolicy", policy(v));
      });
      c.publicKey().optLong(3L).ifPresent(v -> o.put("algorithm", v));
    }
    return n;
  }

  private void table(PrintStream out, Optional<CredentialManager.Metadata> metadata, List<Credential> credentials) {
    metadata.ifPresent(md -> out.printf("%d discoverable credential%s, room for %d more.%n", md.existing(), md.existing() == 1 ? "" : "s", md.remaining()));
    if (credentials.isEmpty()) {
      out.println(rp == null ? "No discoverable credentials." : "No discoverable credentials for " + rp + ".");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RP ID", "USER NAME", "DISPLAY NAME", "USER ID", "CREDENTIAL ID", "CREDPROTECT"});
    for (Credential c : credentials) {
      rows.add(new String[] {
        c.rpId(),
        c.user().name().orElse("-"),
        c.user().displayName().orElse("-"),
        c.user().id().base64Url(),
        c.credentialId().base64Url(),
        c.credProtect().map(v -> v + " " + policy(v)).orElse("-")
      });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
