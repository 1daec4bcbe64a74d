package dev.softkey.cli;

import dev.softkey.platform.credman.CredentialManager.Credential;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey large-blobs delete}: remove one credential's large blob (fido2-token -D -b). */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Remove the large blob of one discoverable credential from the array; exit code 1 when it has none. The credential stays.")
final class LargeBlobsDeleteCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Mixin LargeBlobsAccess.Selection selection = new LargeBlobsAccess.Selection();

  LargeBlobsDeleteCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    String id;
    try (DeviceFactory.Device d = root.openDevice()) {
      LargeBlobsAccess.Session s = LargeBlobsAccess.open(d, pin, "large-blobs delete");
      Credential c = selection.credential(s, "large-blobs delete");
      id = c.credentialId().base64Url();
      if (!s.blobs().delete(c.largeBlobKey().orElseThrow())) {
        throw new IllegalStateException("credential " + id + " has no large blob");
      }
    }
    root.out().println("Large blob of credential " + id + " deleted.");
    return 0;
  }
}
