package dev.softkey.cli;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softkey ca export}: the installation's attestation CA (root, vendor intermediates, batch
 * certificates, CRLs), PEM. Without options: the root certificate, as before.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Print the attestation root certificate (PEM) of the installation's CA (--ca), for RP trust stores; made on first use and shared by every store.",
      "With --chain or --crls, print a model's chain or the CAs' CRLs instead; with --dir, write root, intermediates and CRLs as files."
    })
final class CaExportCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the PEM to FILE. Default: stdout.")
  Path outFile;

  @Option(names = "--chain", paramLabel = "PROFILE",
      description = "Print the chain of a model (a built-in profile ID or a profile file) as its packed attestation's x5c holds it:"
          + " its batch certificate, then its vendor's intermediate CA certificate (the root is not included). Default: the root only.")
  String chainProfile;

  @Option(names = "--crls",
      description = "Print the current CRL (PEM \"X509 CRL\") of the root and of every vendor intermediate (those of the built-in models are made first). Default: off.")
  boolean crls;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Write root.pem, intermediate-VENDOR.pem and crl-root.pem, crl-VENDOR.pem for the root and every vendor intermediate"
          + " (those of the built-in models are made first), and with --chain PROFILE also chain-PROFILE.pem; created if missing. Default: print to stdout instead.")
  Path dir;

  CaExportCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (dir != null && outFile != null) {
      throw new UsageException("--dir and --out do not go together (--dir writes one file per certificate and CRL)");
    }
    if (dir == null && chainProfile != null && crls) {
      throw new UsageException("give either --chain or --crls (or --dir to write both kinds of file)");
    }
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    AttestationCa ca = root.factory().attestationCa(o);
    if (dir != null) {
      writeDirectory(ca);
      return 0;
    }
    String pem;
    if (chainProfile != null) {
      Profile p = Profiles.load(chainProfile);
      pem = concat(ca.certificateChain(p).stream().map(AttestationCa::toPem).toList());
    } else if (crls) {
      builtInIntermediates(ca);
      pem = concat(ca.crls().stream().map(AttestationCa::crlToPem).toList());
    } else {
      pem = ca.rootCertificatePem();
    }
    if (outFile != null) {
      write(outFile, pem, "--out");
    } else {
      root.out().print(pem);
    }
    return 0;
  }

  private void writeDirectory(AttestationCa ca) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("root.pem", ca.rootCertificatePem());
    builtInIntermediates(ca);
    if (chainProfile != null) {
      Profile p = Profiles.load(chainProfile);
      files.put("chain-" + AttestationCa.storeName(p.id()) + ".pem",
          concat(ca.certificateChain(p).stream().map(AttestationCa::toPem).toList()));
    }
    List<String> vendors = ca.vendors();
    for (String v : vendors) {
      files.put("intermediate-" + AttestationCa.storeName(v) + ".pem", AttestationCa.toPem(ca.intermediateCertificate(v)));
    }
    List<Bytes> all = ca.crls();
    files.put("crl-root.pem", AttestationCa.crlToPem(all.get(0)));
    for (int i = 0; i < vendors.size(); i++) {
      files.put("crl-" + AttestationCa.storeName(vendors.get(i)) + ".pem", AttestationCa.crlToPem(all.get(i + 1)));
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + IoErrors.reason(e) + " (check --dir)", e);
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      write(dir.resolve(f.getKey()), f.getValue(), "--dir");
    }
    for (String name : files.keySet()) {
      root.out().println(dir.resolve(name));
    }
  }

  /** The intermediates of every built-in model's vendor, so that an export covers them all. */
  private static void builtInIntermediates(AttestationCa ca) {
    Set<String> vendors = new LinkedHashSet<>();
    for (Profile p : Profiles.allBuiltIn()) {
      vendors.add(p.identity().vendor());
    }
    vendors.forEach(ca::intermediateCertificate);
  }

  private static String concat(List<String> pems) {
    return String.join("", pems);
  }

  private static void write(Path file, String content, String option) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.reason(e) + " (check " + option + ")", e);
    }
  }
}
