package dev.softkey.rp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.yubico.fido.metadata.AAGUID;
import com.yubico.fido.metadata.FidoMetadataDownloader;
import com.yubico.fido.metadata.FidoMetadataService;
import com.yubico.fido.metadata.MetadataBLOB;
import com.yubico.fido.metadata.MetadataBLOBPayloadEntry;
import com.yubico.fido.metadata.MetadataStatement;
import com.yubico.webauthn.attestation.AttestationTrustSource;
import com.yubico.webauthn.data.ByteArray;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRL;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * FIDO metadata (an MDS3 BLOB) as this RP uses it: Yubico's {@link FidoMetadataService} is the
 * attestation trust source (the roots a statement lists for the credential's AAGUID; entries
 * with a REVOKED-like status dropped by its default prefilter), and a statement's {@code
 * description} is the model name the page shows.
 *
 * <p>The BLOB is verified by Yubico's {@link FidoMetadataDownloader} under the given trust root.
 * The legal header it expects is the BLOB's own: a local test RP has no terms to accept. The BLOB
 * must be signed RS256 (Yubico's library misreads the raw r||s of an ES256 JWS, which {@code
 * softkey mds export --alg ES256} writes). Revocation: Yubico's library checks the BLOB's chain and
 * every attestation chain against CRLs by default. With CRLs given (softkey's CA publishes them:
 * {@code softkey ca export --crls}) both checks stay on. Without, the BLOB's chain is still
 * checked (a chain that needs CRLs then fails with a message saying so) and the attestation
 * chains are not; {@link #revocationChecked()} tells which.
 */
public final class RpMetadata implements AttestationTrustSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FidoMetadataService service;
  private final Optional<CertStore> crls;
  private final long no;
  private final int entries;

  private RpMetadata(FidoMetadataService service, Optional<CertStore> crls, long no, int entries) {
    this.service = service;
    this.crls = crls;
    this.no = no;
    this.entries = entries;
  }

  /**
   * Verifies {@code jwt} (an MDS3 BLOB, compact JWS) under {@code trustRoot} and loads it; {@code
   * crls} are the CRLs of the BLOB's chain and of the attestation chains (empty: no revocation
   * checks).
   *
   * @throws IllegalArgumentException when the BLOB does not verify or parse (the message says why)
   */
  public static RpMetadata fromBlob(String jwt, X509Certificate trustRoot, Collection<? extends CRL> crls) {
    try {
      Optional<CertStore> store =
          crls.isEmpty() ? Optional.empty() : Optional.of(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
      FidoMetadataDownloader.FidoMetadataDownloaderBuilder b =
          FidoMetadataDownloader.builder()
              .expectLegalHeader(legalHeader(jwt))
              .useTrustRoot(trustRoot)
              .useBlob(jwt.strip());
      if (store.isPresent()) {
        b.useCrls(store.get());
      } else {
        b.useCrls(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of())));
      }
      MetadataBLOB blob = store.isPresent() ? b.build().loadCachedBlob() : unrevoked(b);
      FidoMetadataService.FidoMetadataServiceBuilder sb = FidoMetadataService.builder().useBlob(blob);
      store.ifPresent(sb::certStore);
      return new RpMetadata(sb.build(), store, blob.getPayload().getNo(), blob.getPayload().getEntries().size());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("the FIDO metadata BLOB does not verify under the given root: " + describe(e), e);
    }
  }

  /** Without CRLs the BLOB's own chain can only be checked when it needs none; otherwise say so plainly. */
  private static MetadataBLOB unrevoked(FidoMetadataDownloader.FidoMetadataDownloaderBuilder b) throws Exception {
    try {
      return b.build().loadCachedBlob();
    } catch (CertPathValidatorException e) {
      if (e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
        throw new IllegalArgumentException("the FIDO metadata BLOB's signing chain is checked for revocation and no CRLs were given"
            + " (give its CA's CRLs; softkey ca export --crls writes softkey's)", e);
      }
      throw e;
    }
  }

  /** Fetches a BLOB from {@code http(s)://} or reads it from a file path, then {@link #fromBlob}. */
  public static String read(String fileOrUrl) throws IOException {
    if (fileOrUrl.startsWith("http://") || fileOrUrl.startsWith("https://")) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
      try {
        HttpResponse<String> r =
            client.send(HttpRequest.newBuilder(URI.create(fileOrUrl)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IOException("HTTP " + r.statusCode() + " from " + fileOrUrl);
        }
        return r.body();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + fileOrUrl, e);
      }
    }
    return java.nio.file.Files.readString(java.nio.file.Path.of(fileOrUrl));
  }

  private static String legalHeader(String jwt) {
    String[] parts = jwt.strip().split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("the FIDO metadata BLOB is not a compact JWS (three base64url parts separated by dots)");
    }
    try {
      JsonNode payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return payload.path("legalHeader").asText("");
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the FIDO metadata BLOB's payload is not base64url JSON");
    }
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null && s.length() < 400; t = t.getCause()) {
      if (s.length() > 0) {
        s.append(": ");
      }
      s.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }
    return s.toString();
  }

  @Override
  public TrustRootsResult findTrustRoots(List<X509Certificate> chain, Optional<ByteArray> aaguid) {
    TrustRootsResult r = service.findTrustRoots(chain, aaguid);
    return crls.isPresent() ? r : r.toBuilder().enableRevocationChecking(false).build();
  }

  /** The model name (the statement's description) of an AAGUID, when the metadata lists it. */
  public Optional<String> model(ByteArray aaguid) {
    return statement(aaguid).flatMap(MetadataStatement::getDescription);
  }

  /** Whether the metadata has an entry (still in force) for the AAGUID. */
  public boolean lists(ByteArray aaguid) {
    return statement(aaguid).isPresent();
  }

  private Optional<MetadataStatement> statement(ByteArray aaguid) {
    Set<MetadataBLOBPayloadEntry> found = service.findEntries(new AAGUID(aaguid));
    return found.stream().map(MetadataBLOBPayloadEntry::getMetadataStatement).flatMap(Optional::stream).findFirst();
  }

  /** Whether attestation chains are checked for revocation (CRLs were given). */
  public boolean revocationChecked() {
    return crls.isPresent();
  }

  /** The BLOB's serial number. */
  public long number() {
    return no;
  }

  /** How many entries the BLOB holds. */
  public int entries() {
    return entries;
  }
}
