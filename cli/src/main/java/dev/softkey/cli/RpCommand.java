package dev.softkey.cli;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.rp.RpMetadata;
import dev.softkey.rp.RpPolicy;
import dev.softkey.rp.RpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softkey rp}: the local relying party of module {@code rp} (an {@link RpServer}) until
 * Ctrl-C. By default its FIDO metadata is the installation CA's own BLOB, so softkey's keys of
 * the same {@code --ca} are attested out of the box and a key of another CA is not.
 */
@Command(
    name = "rp",
    mixinStandardHelpOptions = true,
    description = {
      "Run a local relying party (RP ID localhost, verified by Yubico's java-webauthn-server) until Ctrl-C: a page to register and sign in"
          + " with a passkey at the printed URL, JSON endpoints under /api/ for scripts, and an Entra-style policy (key restrictions by AAGUID,"
          + " attestation enforced through FIDO metadata, user verification, algorithms). Users and credentials are kept in memory.",
      "Prints one ready line with the URL. See docs/rp.md for the policy file and the endpoints."
    })
final class RpCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--port", paramLabel = "N", description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port = RpServer.DEFAULT_PORT;

  @Option(names = "--host", paramLabel = "ADDR",
      description = "Loopback address to listen on (127.0.0.1, ::1, localhost); the page is still http://localhost:PORT, the origin"
          + " browsers treat as secure. Default: ${DEFAULT-VALUE}.")
  String host = "127.0.0.1";

  @Option(names = "--policy", paramLabel = "FILE",
      description = "The policy file (JSON: keyRestrictions, isAttestationEnforced, userVerification, allowedAlgorithms; docs/rp.md)."
          + " PUT /api/policy replaces it while running. Default: nothing enforced, user verification preferred, every algorithm.")
  Path policy;

  @Option(names = "--https",
      description = "Serve HTTPS with a self-signed certificate for localhost made at start (its key never leaves memory); browsers will"
          + " ask you to accept it. Default: plain HTTP (localhost is a secure context without TLS).")
  boolean https;

  @Option(names = "--mds", paramLabel = "FILE|URL",
      description = "An MDS3 BLOB (RS256 compact JWS) to attest keys with and to name their models, instead of the installation's own;"
          + " needs --mds-root. Default: the BLOB of the --ca installation's published models, as 'softkey mds export' writes it.")
  String mds;

  @Option(names = "--mds-root", paramLabel = "PEM",
      description = "The trust root (PEM or DER certificate file) the --mds BLOB's signature chain must lead to. Default: none (required with --mds).")
  Path mdsRoot;

  @Option(names = "--mds-crl", paramLabel = "FILE",
      description = "A CRL (PEM or DER) for the --mds BLOB's chain and the attestation chains; repeatable. With CRLs revocation is checked,"
          + " without it is not for attestation chains. Default: none (with the installation's BLOB: its CA's CRLs).")
  List<Path> mdsCrls = new ArrayList<>();

  RpCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    Loopback.checkPort(port);
    InetAddress address = Loopback.address("--host", host, "softkey rp listens");
    RpPolicy p = RpPolicy.DEFAULT;
    if (policy != null) {
      try {
        p = RpPolicy.load(policy);
      } catch (RpPolicy.InvalidPolicyException e) {
        throw new UsageException(e.getMessage() + " (fix the file or leave --policy out; docs/rp.md shows the format)");
      } catch (IOException e) {
        throw new UsageException("cannot read --policy " + policy + ": " + IoErrors.reason(e));
      }
    }
    if ((mds == null) != (mdsRoot == null)) {
      throw new UsageException("--mds and --mds-root go together: the BLOB and the root its signature chain leads to");
    }
    if (mds == null && !mdsCrls.isEmpty()) {
      throw new UsageException("--mds-crl is for a --mds BLOB; the installation's own BLOB comes with its CA's CRLs");
    }
    RpMetadata metadata;
    String metadataLine;
    if (mds != null) {
      String jwt;
      try {
        jwt = RpMetadata.read(mds);
      } catch (IOException e) {
        throw new UsageException("cannot read --mds " + mds + ": " + IoErrors.reason(e));
      }
      metadata = load(jwt, certificate(mdsRoot), crls(mdsCrls), "--mds " + mds);
      metadataLine = "metadata " + mds;
    } else {
      DeviceFactory.DeviceOptions o = root.deviceOptions();
      AttestationCa ca = root.factory().attestationCa(o);
      MdsOptions defaults = new MdsOptions();
      String jwt = defaults.blob(ca, o.seed()).export(defaults.options(o.seed())).jwt();
      List<CRL> crls = new ArrayList<>();
      for (Bytes der : ca.crls()) {
        crls.addAll(parseCrls(der.toArray(), "the installation's CRLs"));
      }
      metadata = load(jwt, parseCertificate(ca.rootCertificate().toArray(), "the installation's root"), crls, "the installation's BLOB");
      metadataLine = "the installation's metadata";
    }
    RpServer server;
    try {
      server = RpServer.builder().host(address).port(port).https(https).policy(p).metadata(metadata).build().start();
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + IoErrors.reason(e.getCause()) + " (try another --port, or 0)",
          e.getCause());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stop.countDown();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    root.out().printf("softkey rp ready: %s/ (RP ID %s; %s, BLOB no %d, %d models%s; policy %s; Ctrl-C stops)%n", server.origin(), server.rpId(),
        metadataLine, metadata.number(), metadata.entries(), metadata.revocationChecked() ? ", revocation checked" : ", revocation not checked",
        policy == null ? "default" : policy.toString());
    root.out().flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      // an in-process caller (a test) ends the command by interrupting it
      Thread.currentThread().interrupt();
      server.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return 0;
  }

  private static RpMetadata load(String jwt, X509Certificate root, Collection<CRL> crls, String what) {
    try {
      return RpMetadata.fromBlob(jwt, root, crls);
    } catch (IllegalArgumentException e) {
      throw new UsageException(what + ": " + e.getMessage());
    }
  }

  private static X509Certificate certificate(Path file) {
    return parseCertificate(readFile(file, "--mds-root"), "--mds-root " + file);
  }

  private static List<CRL> crls(List<Path> files) {
    List<CRL> out = new ArrayList<>();
    for (Path f : files) {
      out.addAll(parseCrls(readFile(f, "--mds-crl"), "--mds-crl " + f));
    }
    return out;
  }

  private static byte[] readFile(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UsageException(option + " " + file + " does not exist");
    } catch (IOException e) {
      throw new UsageException("cannot read " + option + " " + file + ": " + IoErrors.reason(e));
    }
  }

  private static X509Certificate parseCertificate(byte[] pemOrDer, String what) {
    try (InputStream in = new ByteArrayInputStream(pemOrDer)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException | IOException | ClassCastException e) {
      throw new UsageException(what + " is not an X.509 certificate (PEM or DER)");
    }
  }

  private static Collection<CRL> parseCrls(byte[] pemOrDer, String what) {
    try (InputStream in = new ByteArrayInputStream(pemOrDer)) {
      Collection<? extends CRL> c = CertificateFactory.getInstance("X.509").generateCRLs(in);
      if (c.isEmpty()) {
        throw new UsageException(what + " holds no CRL (PEM or DER)");
      }
      return new ArrayList<>(c);
    } catch (java.security.cert.CRLException | CertificateException | IOException e) {
      throw new UsageException(what + " is not a CRL (PEM or DER)");
    }
  }
}
