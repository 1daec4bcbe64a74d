package dev.softkey.cli;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.credman.CredentialManager.Credential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey large-blobs put}: store one credential's large blob, replacing its old one (fido2-token -S -b). */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description =
        "Store a file as the large blob of one discoverable credential: compressed, encrypted under its largeBlobKey, and"
            + " written to the array in place of the credential's earlier blob. CTAP2_ERR_LARGE_BLOB_STORAGE_FULL when the"
            + " array would exceed the key's maxSerializedLargeBlobArray.")
final class LargeBlobsPutCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Mixin LargeBlobsAccess.Selection selection = new LargeBlobsAccess.Selection();

  @Option(names = "--file", paramLabel = "FILE|-", required = true,
      description = "The data to store; '-' reads all of stdin (then give the PIN with --pin-env or --pin-file FILE). Required.")
  Path file;

  LargeBlobsPutCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    Bytes data = read();
    String id;
    try (DeviceFactory.Device d = root.openDevice()) {
      LargeBlobsAccess.Session s = LargeBlobsAccess.open(d, pin, "large-blobs put");
      Credential c = selection.credential(s, "large-blobs put");
      s.blobs().put(c.largeBlobKey().orElseThrow(), data);
      id = c.credentialId().base64Url();
    }
    root.out().println("Large blob of credential " + id + " stored (" + data.length() + " bytes).");
    return 0;
  }

  private Bytes read() {
    if (SecretInput.isStdin(file)) {
      if (pin.readsStdin()) {
        throw new UsageException("--file - and --pin-file - both read stdin: give the PIN with --pin-env VAR or --pin-file FILE");
      }
      try {
        return Bytes.wrap(root.stdin().readAllBytes());
      } catch (IOException e) {
        throw new UsageException("cannot read stdin: " + IoErrors.reason(e));
      }
    }
    try {
      return Bytes.wrap(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.reason(e) + " (check --file)", e);
    }
  }
}
