package dev.softkey.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.metadata.CertPathChecker;
import com.webauthn4j.metadata.FidoMDS3MetadataBLOBProvider;
import com.webauthn4j.metadata.HttpClient;
import com.webauthn4j.metadata.anchor.MetadataBLOBBasedTrustAnchorRepository;
import com.webauthn4j.metadata.exception.CertPathCheckException;
import com.webauthn4j.metadata.exception.MDSException;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.softkey.core.attestation.TlsServerCertificate;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.RegistrationResponse;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CRL;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * webauthn4j's MDS3 consumer against {@code softkey mds serve}'s server: FidoMDS3MetadataBLOBProvider
 * fetches the BLOB over real HTTP(S) from {@link MetadataServer}, with softkey's root as its trust
 * anchor and the BLOB's chain checked against the served CRLs; MetadataBLOBBasedTrustAnchorRepository
 * feeds DefaultCertPathTrustworthinessVerifier in a WebAuthnManager. A packed registration of a
 * catalogue model is accepted; REVOKED, NOT_FIDO_CERTIFIED or left out, it is rejected.
 */
class Webauthn4jMetadataTest {
  static final String RP_ID = "example.com";
  static final String ORIGIN = "https://example.com";
  static final String MODEL = "yubikey-5";

  private final TestInstallation inst = new TestInstallation(31, Clock.systemUTC());
  private final ObjectConverter converter = new ObjectConverter();
  private MetadataServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private URI serve(MetadataBlob.Options options, boolean tls) throws Exception {
    PublishedMetadata content = new PublishedMetadata(inst.ca, inst.blob(), options);
    Optional<TlsServerCertificate> cert = tls ? Optional.of(inst.ca.tlsServer(List.of("localhost", "127.0.0.1"))) : Optional.empty();
    server = MetadataServer.start(new InetSocketAddress("127.0.0.1", 0), cert, content, false);
    return server.baseUri();
  }

  /** An HttpClient for webauthn4j that trusts softkey's root for TLS (java.net.http). */
  private HttpClient httpClient() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("softkey", TestInstallation.certificate(inst.ca.rootCertificate()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), new SecureRandom());
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
    return uri -> {
      try {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new HttpClient.Response(r.statusCode(), new ByteArrayInputStream(r.body()));
      } catch (Exception e) {
        throw new MDSException("cannot fetch " + uri, e);
      }
    };
  }

  /** The BLOB's chain checked with revocation on, against the CRLs the server publishes. */
  private CertPathChecker crlChecker(URI base) {
    return context -> {
      try {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<CRL> crls = new ArrayList<>();
        HttpClient http = httpClient();
        String index = new String(http.fetch(base.resolve("/crl/").toString()).getBody().readAllBytes());
        for (String path : index.split("\n")) {
          crls.add(cf.generateCRL(http.fetch(base.resolve(path).toString()).getBody()));
        }
        PKIXParameters p = new PKIXParameters(context.getTrustAnchors());
        p.setRevocationEnabled(true);
        p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        CertPathValidator.getInstance("PKIX").validate(context.getCertPath(), p);
      } catch (Exception e) {
        throw new CertPathCheckException("BLOB chain rejected", e);
      }
    };
  }

  private WebAuthnManager manager(URI base) throws Exception {
    X509Certificate root = TestInstallation.certificate(inst.ca.rootCertificate());
    FidoMDS3MetadataBLOBProvider provider =
        new FidoMDS3MetadataBLOBProvider(converter, base.toString(), httpClient(), Set.of(new TrustAnchor(root, null)));
    provider.setCertPathChecker(crlChecker(base));
    MetadataBLOBBasedTrustAnchorRepository anchors = new MetadataBLOBBasedTrustAnchorRepository(provider);
    DefaultCertPathTrustworthinessVerifier certPath = new DefaultCertPathTrustworthinessVerifier(anchors);
    return new WebAuthnManager(
        List.of(new PackedAttestationStatementVerifier()), certPath, new DefaultSelfAttestationTrustworthinessVerifier(false));
  }

  private RegistrationData register(WebAuthnManager manager) {
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(challenge);
    String options =
        "{\"rp\":{\"id\":\"" + RP_ID + "\",\"name\":\"Example\"},"
            + "\"user\":{\"id\":\"AQIDBA\",\"name\":\"alice\",\"displayName\":\"Alice\"},"
            + "\"challenge\":\"" + b64 + "\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
            + "\"attestation\":\"direct\"}";
    RegistrationResponse reg = new SoftkeyKey(inst, MODEL, 7).create(options, ORIGIN);
    ServerProperty server =
        ServerProperty.builder().origins(Set.of(new Origin(ORIGIN))).rpId(RP_ID).challenge(new DefaultChallenge(challenge)).build();
    return manager.verifyRegistrationResponseJSON(
        reg.toJson(),
        new RegistrationParameters(
            server, List.of(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256)), false, true));
  }

  @Test
  void certifiedModel_overHttp_isAccepted() throws Exception {
    RegistrationData r = register(manager(serve(MetadataBlob.Options.defaults(), false)));
    assertThat(r.getAttestationObject().getFormat()).isEqualTo("packed");
    assertThat(r.getAttestationObject().getAuthenticatorData().getAttestedCredentialData().getAaguid().getValue())
        .isEqualTo(inst.profile(MODEL).identity().aaguid());
  }

  @Test
  void certifiedModel_overHttpsUnderTheRoot_isAccepted() throws Exception {
    URI base = serve(MetadataBlob.Options.defaults(), true);
    assertThat(base.getScheme()).isEqualTo("https");
    assertThat(register(manager(base)).getAttestationObject().getFormat()).isEqualTo("packed");
  }

  @Test
  void revokedModel_isRejected() throws Exception {
    WebAuthnManager m = manager(serve(MetadataBlob.Options.defaults().withRevoked(MODEL), false));
    assertThatThrownBy(() -> register(m)).isInstanceOf(VerificationException.class);
  }

  @Test
  void notCertifiedModel_isRejected() throws Exception {
    WebAuthnManager m = manager(serve(MetadataBlob.Options.defaults().withNotCertified(MODEL), false));
    assertThatThrownBy(() -> register(m)).isInstanceOf(VerificationException.class);
  }

  @Test
  void omittedModel_isRejected() throws Exception {
    WebAuthnManager m = manager(serve(MetadataBlob.Options.defaults().withOmitted(MODEL), false));
    assertThatThrownBy(() -> register(m)).isInstanceOf(VerificationException.class);
  }

  @Nested
  class BlobChecks {
    @Test
    void blobOfAnotherInstallation_isRefusedByTheProvider() throws Exception {
      TestInstallation other = new TestInstallation(77, Clock.systemUTC());
      server =
          MetadataServer.start(
              new InetSocketAddress("127.0.0.1", 0),
              Optional.empty(),
              new PublishedMetadata(other.ca, other.blob(), MetadataBlob.Options.defaults()),
              false);
      X509Certificate root = TestInstallation.certificate(inst.ca.rootCertificate());
      FidoMDS3MetadataBLOBProvider provider =
          new FidoMDS3MetadataBLOBProvider(converter, server.baseUri().toString(), httpClient(), Set.of(new TrustAnchor(root, null)));
      provider.setCertPathChecker(crlChecker(server.baseUri()));
      assertThatThrownBy(provider::provide).isInstanceOf(MDSException.class);
    }

    @Test
    void parsedPayload_hasTheEntriesAndNo() throws Exception {
      URI base = serve(MetadataBlob.Options.defaults(), false);
      X509Certificate root = TestInstallation.certificate(inst.ca.rootCertificate());
      FidoMDS3MetadataBLOBProvider provider =
          new FidoMDS3MetadataBLOBProvider(converter, base.toString(), httpClient(), Set.of(new TrustAnchor(root, null)));
      provider.setCertPathChecker(crlChecker(base));
      var payload = provider.provide().getPayload();
      assertThat(payload.getNo()).isEqualTo(1);
      assertThat(payload.getEntries()).hasSize(MetadataStatements.publishedProfiles().size());
      assertThat(Bytes.wrap(payload.getEntries().get(0).getMetadataStatement().getAttestationRootCertificates().get(0).getEncoded()))
          .isEqualTo(inst.ca.rootCertificate());
    }
  }
}
