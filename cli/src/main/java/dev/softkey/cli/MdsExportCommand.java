package dev.softkey.cli;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.metadata.StatementFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey mds export}: one MDS3 BLOB (and optionally the plain statements). */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write an MDS3 BLOB (a JWS signed under the installation's root, its x5c the metadata signer) with one statement per published"
          + " built-in model: authenticatorGetInfo as the model serves it, softkey's root as attestationRootCertificates,"
          + " status FIDO_CERTIFIED_L1. Each export has the next 'no' (kept in the CA directory).",
      "Give RPs the root ('softkey ca export') as the BLOB's trust root and the CRLs ('softkey ca export --crls')."
    })
final class MdsExportCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the BLOB to FILE. Default: stdout.")
  Path outFile;

  @Option(names = "--statements", paramLabel = "DIR",
      description = "Also write each statement as DIR/<aaguid>.json (the folder .NET RPs such as fido2-net-lib load); created if missing, and its other <aaguid>.json files removed. Default: none written.")
  Path statements;

  @Mixin MdsOptions mds;

  MdsExportCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    MetadataBlob.Options options = mds.options(o.seed());
    AttestationCa ca = root.factory().attestationCa(o);
    MetadataBlob.Export export = mds.blob(ca, o.seed()).export(options);
    if (statements != null) {
      try {
        StatementFiles.write(statements, export.statements());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write statements to " + statements + ": " + IoErrors.reason(e) + " (check --statements)", e);
      }
    }
    if (outFile != null) {
      try {
        Files.writeString(outFile, export.jwt());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + outFile + ": " + IoErrors.reason(e) + " (check --out)", e);
      }
      root.out().printf("MDS3 BLOB no %d, %d entries, nextUpdate %s: %s%n", export.no(), export.statements().size(), export.nextUpdate(), outFile);
    } else {
      root.out().println(export.jwt());
    }
    if (statements != null) {
      root.out().printf("%d statements: %s%n", export.statements().size(), statements);
    }
    return 0;
  }
}
