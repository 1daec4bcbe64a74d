package dev.softkey.metadata;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.softkey.core.attestation.TlsServerCertificate;
import dev.softkey.ctap.model.Bytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * softkey's metadata over HTTP(S) on a loopback address, for RPs that download it:
 *
 * <ul>
 *   <li>{@code GET /} and {@code GET /mds.jwt}: the MDS3 BLOB (compact JWS, {@code
 *       application/jwt}), the way mds3.fidoalliance.org serves it at its root;
 *   <li>{@code GET /root.pem} (PEM) and {@code GET /root.crt} (DER): softkey's root, the BLOB's and
 *       the attestations' trust anchor;
 *   <li>{@code GET /crl/<name>.crl}: each CA's current CRL, DER ({@code application/pkix-crl}),
 *       {@code GET /crl/} lists the names;
 *   <li>{@code POST /refresh}: a new export (next {@code no}), returned as the BLOB.
 * </ul>
 *
 * With {@code freshPerRequest}, every BLOB request is a new export. Only GET, HEAD and POST
 * /refresh are answered; anything else is 404 or 405.
 */
public final class MetadataServer implements AutoCloseable {
  /** What the server publishes. */
  public interface Content {
    /** The current BLOB. */
    String blob();

    /** Exports a new BLOB (the next no) and makes it current. */
    String reexport();

    /** softkey's root, DER. */
    Bytes rootCertificate();

    /** The current CRLs by file name (without ".crl"). */
    Map<String, Bytes> crls();
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Content content;
  private final boolean freshPerRequest;
  private final String scheme;

  private MetadataServer(HttpServer server, ExecutorService executor, Content content, boolean freshPerRequest, String scheme) {
    this.server = server;
    this.executor = executor;
    this.content = content;
    this.freshPerRequest = freshPerRequest;
    this.scheme = scheme;
  }

  /**
   * Starts serving on {@code bind} (port 0: any free port).
   *
   * @param tls the server certificate for HTTPS; empty for plain HTTP
   */
  public static MetadataServer start(InetSocketAddress bind, Optional<TlsServerCertificate> tls, Content content, boolean freshPerRequest)
      throws IOException {
    Objects.requireNonNull(content, "content");
    HttpServer server;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(bind, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls.get())));
      server = https;
    } else {
      server = HttpServer.create(bind, 0);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "softkey-mds-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    MetadataServer s = new MetadataServer(server, executor, content, freshPerRequest, tls.isPresent() ? "https" : "http");
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http(s)://host:port/}. */
  public URI baseUri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(scheme + "://" + host + ":" + a.getPort() + "/");
  }

  /** Stops accepting and closes the connections. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/refresh")) {
        if (!method.equals("POST")) {
          send(ex, 405, "text/plain", "use POST /refresh\n".getBytes(StandardCharsets.UTF_8));
          return;
        }
        send(ex, 200, "application/jwt", content.reexport().getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(ex, 405, "text/plain", "only GET and HEAD (and POST /refresh)\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      switch (path) {
        case "/", "/mds.jwt", "/blob.jwt" -> {
          String blob = freshPerRequest ? content.reexport() : content.blob();
          send(ex, 200, "application/jwt", blob.getBytes(StandardCharsets.US_ASCII));
        }
        case "/root.pem" -> send(ex, 200, "application/x-pem-file", pem(content.rootCertificate()).getBytes(StandardCharsets.US_ASCII));
        case "/root.crt", "/root.cer" -> send(ex, 200, "application/pkix-cert", content.rootCertificate().toArray());
        case "/crl", "/crl/" -> {
          StringBuilder b = new StringBuilder();
          content.crls().keySet().forEach(n -> b.append("/crl/").append(n).append(".crl\n"));
          send(ex, 200, "text/plain", b.toString().getBytes(StandardCharsets.UTF_8));
        }
        default -> {
          Optional<Bytes> crl = Optional.empty();
          if (path.startsWith("/crl/") && path.endsWith(".crl")) {
            crl = Optional.ofNullable(content.crls().get(path.substring(5, path.length() - 4)));
          }
          if (crl.isPresent()) {
            send(ex, 200, "application/pkix-crl", crl.get().toArray());
          } else {
            send(ex, 404, "text/plain", ("not found: " + path + " (try /, /root.pem, /crl/)\n").getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    } catch (RuntimeException e) {
      // A failed export: the client gets 500, the reason goes nowhere near a secret.
      try {
        send(ex, 500, "text/plain", ("export failed: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the client is gone
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static String pem(Bytes der) {
    return dev.softkey.core.attestation.AttestationCa.toPem(der);
  }

  private static SSLContext sslContext(TlsServerCertificate tls) throws IOException {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<Certificate> chain = new ArrayList<>();
      for (Bytes der : tls.chain()) {
        chain.add(cf.generateCertificate(new ByteArrayInputStream(der.toArray())));
      }
      char[] password = new char[0];
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", tls.privateKey(), password, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** CRL file names: "root" for the root's, else the issuer's CN in lower case with dashes. */
  public static Map<String, Bytes> crlNames(List<Bytes> crls, Bytes rootCertificate) {
    Map<String, Bytes> out = new LinkedHashMap<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      java.security.cert.X509Certificate root =
          (java.security.cert.X509Certificate) cf.generateCertificate(new ByteArrayInputStream(rootCertificate.toArray()));
      for (Bytes der : crls) {
        java.security.cert.X509CRL crl = (java.security.cert.X509CRL) cf.generateCRL(new ByteArrayInputStream(der.toArray()));
        String name;
        if (crl.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
          name = "root";
        } else {
          org.bouncycastle.asn1.x500.X500Name issuer =
              org.bouncycastle.asn1.x500.X500Name.getInstance(crl.getIssuerX500Principal().getEncoded());
          org.bouncycastle.asn1.x500.RDN[] cns = issuer.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
          String cn = cns.length > 0
              ? org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cns[0].getFirst().getValue())
              : issuer.toString();
          name = cn.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        }
        String unique = name;
        for (int i = 2; out.containsKey(unique); i++) {
          unique = name + "-" + i;
        }
        out.put(unique, der);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("a CRL or the root does not parse: " + e.getMessage(), e);
    }
    return out;
  }
}
