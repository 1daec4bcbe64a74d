package dev.softkey.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey large-blobs clear}: write the empty array, dropping every entry. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description =
        "Write the empty large-blob array, dropping every entry, also those of credentials deleted since (which no key opens)."
            + " The credentials and their largeBlobKeys stay.")
final class LargeBlobsClearCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  LargeBlobsClearCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    int n;
    try (DeviceFactory.Device d = root.openDevice()) {
      LargeBlobsAccess.Session s = LargeBlobsAccess.open(d, pin, "large-blobs clear");
      n = s.blobs().entries().size();
      s.blobs().write(List.of());
    }
    root.out().println("Large-blob array emptied (" + n + " entr" + (n == 1 ? "y" : "ies") + " removed).");
    return 0;
  }
}
