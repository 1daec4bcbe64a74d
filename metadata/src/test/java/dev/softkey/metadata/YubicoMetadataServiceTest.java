package dev.softkey.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.fido.metadata.AAGUID;
import com.yubico.fido.metadata.FidoMetadataDownloader;
import com.yubico.fido.metadata.FidoMetadataService;
import com.yubico.fido.metadata.MetadataBLOB;
import com.yubico.fido.metadata.MetadataBLOBPayloadEntry;
import com.yubico.fido.metadata.UnexpectedLegalHeader;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.testing.OneUserCredentialRepository;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.RegistrationResponse;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Yubico java-webauthn-server's FIDO MDS consumer against softkey's BLOB: FidoMetadataDownloader
 * (softkey's root as the trust root, the BLOB and the CRLs given offline, the legal header
 * expected) feeds FidoMetadataService, the attestationTrustSource of a RelyingParty with
 * revocation checking on (the default). A packed registration of a catalogue model is attested by
 * metadata; the same model marked REVOKED, or left out of the BLOB, is not.
 */
class YubicoMetadataServiceTest {
  static final String RP_ID = "example.com";
  static final String ORIGIN = "https://example.com";
  static final String MODEL = "yubikey-5";

  private final TestInstallation inst = new TestInstallation(21, Clock.systemUTC());

  private MetadataBLOB download(String jwt, String legalHeader) throws Exception {
    FidoMetadataDownloader downloader =
        FidoMetadataDownloader.builder()
            .expectLegalHeader(legalHeader)
            .useTrustRoot(TestInstallation.certificate(inst.ca.rootCertificate()))
            .useBlob(jwt)
            .useCrls(crls())
            .build();
    return downloader.loadCachedBlob();
  }

  private List<CRL> crls() throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<CRL> out = new ArrayList<>();
    for (Bytes der : inst.crls()) {
      out.add(cf.generateCRL(new ByteArrayInputStream(der.toArray())));
    }
    return out;
  }

  private FidoMetadataService service(MetadataBlob.Options options) throws Exception {
    MetadataBLOB blob = download(inst.blob().export(options).jwt(), options.legalHeader());
    return FidoMetadataService.builder()
        .useBlob(blob)
        .certStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls())))
        .build();
  }

  private RegistrationResult register(FidoMetadataService mds, boolean allowUntrusted) throws Exception {
    RelyingParty rp =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id(RP_ID).name("Example").build())
            .credentialRepository(new OneUserCredentialRepository("alice", new ByteArray(new byte[] {1, 2, 3, 4})))
            .origins(Set.of(ORIGIN))
            .attestationConveyancePreference(AttestationConveyancePreference.DIRECT)
            .attestationTrustSource(mds)
            .allowUntrustedAttestation(allowUntrusted)
            .build();
    PublicKeyCredentialCreationOptions create =
        rp.startRegistration(
            StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name("alice").displayName("Alice").id(new ByteArray(new byte[] {1, 2, 3, 4})).build())
                .build());
    RegistrationResponse reg = new SoftkeyKey(inst, MODEL, 5).create(create.toCredentialsCreateJson(), ORIGIN);
    return rp.finishRegistration(
        FinishRegistrationOptions.builder().request(create).response(PublicKeyCredential.parseRegistrationResponseJson(reg.toJson())).build());
  }

  @Test
  void certifiedModel_registrationIsAttestationTrusted() throws Exception {
    RegistrationResult r = register(service(MetadataBlob.Options.defaults()), false);
    assertThat(r.isAttestationTrusted()).isTrue();
    assertThat(r.getAaguid().getHex()).isEqualTo(inst.profile(MODEL).identity().aaguid().toString().replace("-", ""));
  }

  @Test
  void revokedModel_isNotTrusted_theDefaultPrefilterDropsItsEntry() throws Exception {
    FidoMetadataService mds = service(MetadataBlob.Options.defaults().withRevoked(MODEL));
    assertThat(mds.findEntries(aaguid(MODEL))).isEmpty();
    assertThat(register(mds, true).isAttestationTrusted()).isFalse();
    assertThatThrownBy(() -> register(mds, false)).isInstanceOf(RegistrationFailedException.class);
  }

  @Test
  void omittedModel_isNotTrusted() throws Exception {
    FidoMetadataService mds = service(MetadataBlob.Options.defaults().withOmitted(MODEL));
    assertThat(mds.findEntries(aaguid(MODEL))).isEmpty();
    assertThat(register(mds, true).isAttestationTrusted()).isFalse();
  }

  @Nested
  class Downloaded {
    private MetadataServer server;
    private Optional<ByteArray> cache = Optional.empty();

    @AfterEach
    void stop() {
      if (server != null) {
        server.close();
      }
    }

    private FidoMetadataDownloader downloader(MetadataBlob.Options options, String expectedHeader) throws Exception {
      server =
          MetadataServer.start(
              new InetSocketAddress("127.0.0.1", 0),
              Optional.of(inst.ca.tlsServer(List.of("localhost", "127.0.0.1"))),
              new PublishedMetadata(inst.ca, inst.blob(), options),
              true);
      X509Certificate root = TestInstallation.certificate(inst.ca.rootCertificate());
      return FidoMetadataDownloader.builder()
          .expectLegalHeader(expectedHeader)
          .useTrustRoot(root)
          .downloadBlob(server.baseUri().resolve("/mds.jwt").toURL())
          .useBlobCache(() -> cache, b -> cache = Optional.of(b))
          .useCrls(crls())
          .trustHttpsCerts(root)
          .build();
    }

    @Test
    void overHttpsUnderTheRoot_eachRefreshTakesTheHigherNo() throws Exception {
      FidoMetadataDownloader d = downloader(MetadataBlob.Options.defaults(), MetadataStatements.DEFAULT_LEGAL_HEADER);
      assertThat(d.refreshBlob().getPayload().getNo()).isEqualTo(1);
      assertThat(cache).isPresent();
      // the server re-exports on each request (serve --fresh): the next no replaces the cached BLOB
      assertThat(d.refreshBlob().getPayload().getNo()).isEqualTo(2);
    }

    @Test
    void unexpectedLegalHeader_isRefused() throws Exception {
      FidoMetadataDownloader d = downloader(MetadataBlob.Options.defaults(), "some other header");
      assertThatThrownBy(d::refreshBlob).isInstanceOf(UnexpectedLegalHeader.class);
    }
  }

  @Test
  void blobSignedUnderAnotherRoot_isRefused() {
    TestInstallation other = new TestInstallation(99, Clock.systemUTC());
    String jwt = other.blob().export(MetadataBlob.Options.defaults()).jwt();
    assertThatThrownBy(() -> download(jwt, MetadataStatements.DEFAULT_LEGAL_HEADER)).isInstanceOf(Exception.class);
  }

  @Nested
  class Parsed {
    @Test
    void everyEntry_parses_andItsGetInfoIsTheServedOne() throws Exception {
      MetadataBLOB blob = download(inst.blob().export(MetadataBlob.Options.defaults()).jwt(), MetadataStatements.DEFAULT_LEGAL_HEADER);
      assertThat(blob.getPayload().getNo()).isEqualTo(1);
      assertThat(blob.getPayload().getEntries()).hasSize(MetadataStatements.publishedProfiles().size());
      for (Profile p : MetadataStatements.publishedProfiles()) {
        MetadataBLOBPayloadEntry e =
            blob.getPayload().getEntries().stream()
                .filter(x -> x.getAaguid().map(a -> a.asGuidString().equals(p.identity().aaguid().toString())).orElse(false))
                .findFirst()
                .orElseThrow();
        var gi = e.getMetadataStatement().orElseThrow().getAuthenticatorGetInfo().orElseThrow();
        var served = MetadataStatements.servedGetInfo(p);
        assertThat(gi.getAaguid().orElseThrow().asHexString()).isEqualTo(served.path("aaguid").asText());
        assertThat(gi.getVersions()).hasSize(served.path("versions").size());
        assertThat(gi.getMaxMsgSize()).isEqualTo(Optional.ofNullable(served.get("maxMsgSize")).map(n -> n.asInt()));
        assertThat(gi.getOptions().orElseThrow().isClientPin()).isEqualTo(served.path("options").has("clientPin"));
        assertThat(e.getMetadataStatement().orElseThrow().getAttestationRootCertificates())
            .containsExactly(TestInstallation.certificate(inst.ca.rootCertificate()));
      }
    }
  }

  private AAGUID aaguid(String profileId) {
    return new AAGUID(new ByteArray(Bytes.fromUuid(inst.profile(profileId).identity().aaguid()).toArray()));
  }
}
