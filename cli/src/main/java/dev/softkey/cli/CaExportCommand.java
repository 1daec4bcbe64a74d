package dev.softkey.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey ca export}: the attestation root certificate, PEM. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Print the attestation root certificate (PEM) of this store, for RP trust stores; made on first use and kept in the store.")
final class CaExportCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the PEM to FILE. Default: stdout.")
  Path outFile;

  CaExportCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    String pem = root.announcingNewStore(o, () -> root.factory().exportCaCertificatePem(o));
    if (outFile != null) {
      try {
        Files.writeString(outFile, pem);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + outFile + ": " + IoErrors.reason(e) + " (check --out)", e);
      }
    } else {
      root.out().print(pem);
    }
    return 0;
  }
}
