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

/** {@code softkey large-blobs get}: one credential's large blob, decrypted (fido2-token -G -b). */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Print (or write to a file) the large blob of one discoverable credential, decrypted and decompressed; exit code 1 when it has none.")
final class LargeBlobsGetCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Mixin LargeBlobsAccess.Selection selection = new LargeBlobsAccess.Selection();

  @Option(names = "--out", paramLabel = "FILE", description = "Write the blob to FILE. Default: stdout, as raw bytes.")
  Path outFile;

  LargeBlobsGetCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    Bytes data;
    try (DeviceFactory.Device d = root.openDevice()) {
      LargeBlobsAccess.Session s = LargeBlobsAccess.open(d, pin, "large-blobs get");
      Credential c = selection.credential(s, "large-blobs get");
      data =
          s.blobs()
              .get(c.largeBlobKey().orElseThrow())
              .orElseThrow(() -> new IllegalStateException("credential " + c.credentialId().base64Url() + " has no large blob"));
    }
    if (outFile != null) {
      try {
        Files.write(outFile, data.unsafeArray());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + outFile + ": " + IoErrors.reason(e) + " (check --out)", e);
      }
    } else {
      root.out().write(data.unsafeArray());
      root.out().flush();
    }
    return 0;
  }
}
