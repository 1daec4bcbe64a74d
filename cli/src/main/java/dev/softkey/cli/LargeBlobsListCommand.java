package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.platform.credman.CredentialManager.Credential;
import dev.softkey.platform.largeblob.LargeBlobs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey large-blobs list}: the entries of the large-blob array and whose they are (fido2-token -L -b). */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the entries of the large-blob array: index, size before and after compression, and the discoverable credential"
            + " whose largeBlobKey opens it (RP ID, user name, credential ID); '-' for an entry no credential on the key opens.",
    footerHeading = "%n",
    footer = {
      "--json prints one object:",
      "  {\"serializedLength\": 120, \"maxSerializedLargeBlobArray\": 4096,",
      "   \"entries\": [{\"index\": 0, \"origSize\": 18, \"ciphertextLength\": 42,",
      "     \"rpId\": \"example.com\", \"userName\": \"alice\", \"credentialId\": \"...\"}, ...]}",
      "Credential IDs are base64url without padding; an entry no credential opens has no rpId, userName or credentialId."
    })
final class LargeBlobsListCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Option(names = "--json", description = "Print JSON (shape below) instead of the table. Default: table.")
  boolean json;

  LargeBlobsListCommand(SoftkeyCommand root) {
    this.root = root;
  }

  /** One entry and the credential it belongs to, if any. */
  private record Row(int index, LargeBlobs.Entry entry, Optional<Credential> owner) {}

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      LargeBlobsAccess.Session s = LargeBlobsAccess.open(d, pin, "large-blobs list");
      List<Credential> withKey = s.all().stream().filter(c -> c.largeBlobKey().isPresent()).toList();
      int length = s.blobs().readSerialized().length();
      List<Row> rows = new ArrayList<>();
      List<LargeBlobs.Entry> entries = s.blobs().entries();
      for (int i = 0; i < entries.size(); i++) {
        LargeBlobs.Entry e = entries.get(i);
        rows.add(new Row(i, e, withKey.stream().filter(c -> e.open(c.largeBlobKey().orElseThrow()).isPresent()).findFirst()));
      }
      Optional<Long> max = s.info().response().maxSerializedLargeBlobArray();
      if (json) {
        Json.print(root.out(), json(length, max, rows));
      } else {
        table(root.out(), length, max, rows);
      }
    }
    return 0;
  }

  private static ObjectNode json(int length, Optional<Long> max, List<Row> rows) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("serializedLength", length);
    max.ifPresent(m -> n.put("maxSerializedLargeBlobArray", m));
    ArrayNode a = n.putArray("entries");
    for (Row r : rows) {
      ObjectNode o = a.addObject();
      o.put("index", r.index());
      o.put("origSize", r.entry().origSize());
      o.put("ciphertextLength", r.entry().ciphertext().length());
      r.owner().ifPresent(c -> {
        o.put("rpId", c.rpId());
        c.user().name().ifPresent(v -> o.put("userName", v));
        o.put("credentialId", c.credentialId().base64Url());
      });
    }
    return n;
  }

  private static void table(PrintStream out, int length, Optional<Long> max, List<Row> rows) {
    out.printf(
        "%d entr%s, the serialized array is %d bytes%s.%n",
        rows.size(), rows.size() == 1 ? "y" : "ies", length, max.map(m -> " of " + m).orElse(""));
    if (rows.isEmpty()) {
      return;
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"INDEX", "SIZE", "STORED", "RP ID", "USER NAME", "CREDENTIAL ID"});
    for (Row r : rows) {
      cells.add(new String[] {
        Integer.toString(r.index()),
        Long.toString(r.entry().origSize()),
        Integer.toString(r.entry().ciphertext().length()),
        r.owner().map(Credential::rpId).orElse("-"),
        r.owner().flatMap(c -> c.user().name()).orElse("-"),
        r.owner().map(c -> c.credentialId().base64Url()).orElse("-")
      });
    }
    int[] width = new int[cells.get(0).length];
    for (String[] c : cells) {
      for (int i = 0; i < c.length; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    for (String[] c : cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.length; i++) {
        sb.append(i == c.length - 1 ? c[i] : String.format("%-" + width[i] + "s  ", c[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
