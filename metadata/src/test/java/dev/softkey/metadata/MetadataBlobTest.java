package dev.softkey.metadata;

import dev.softkey.core.profile.Profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The MDS3 BLOB (FIDO MDS 3.0 section 3.1): its JWS, its no, its entries and their status. */
class MetadataBlobTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode part(String jwt, int i) throws Exception {
    return MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
  }

  static JsonNode entry(JsonNode payload, String profileId) {
    String aaguid = Profiles.builtIn(profileId).orElseThrow().identity().aaguid().toString();
    for (JsonNode e : payload.path("entries")) {
      if (e.path("aaguid").asText().equals(aaguid)) {
        return e;
      }
    }
    return null;
  }

  static List<String> statuses(JsonNode entry) {
    List<String> out = new ArrayList<>();
    entry.path("statusReports").forEach(r -> out.add(r.path("status").asText()));
    return out;
  }

  @Nested
  class JwsFormat {
    @Test
    void section3_1_7_compactRs256_verifiesWithTheX5cSignerKey() throws Exception {
      TestInstallation inst = new TestInstallation(1);
      String jwt = inst.blob().export(MetadataBlob.Options.defaults()).jwt();

      String[] parts = jwt.split("\\.");
      assertThat(parts).hasSize(3);
      JsonNode header = part(jwt, 0);
      assertThat(header.path("alg").asText()).isEqualTo("RS256");
      assertThat(header.path("typ").asText()).isEqualTo("JWT");
      X509Certificate signer = TestInstallation.certificate(Bytes.wrap(Base64.getDecoder().decode(header.path("x5c").get(0).asText())));
      assertThat(signer).isEqualTo(TestInstallation.certificate(inst.signerCertificate()));
      signer.verify(TestInstallation.certificate(inst.ca.rootCertificate()).getPublicKey());

      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(signer.getPublicKey());
      v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void section3_1_7_compactEs256_signatureIsRawRS() throws Exception {
      TestInstallation inst = new TestInstallation(1);
      Jws.Signer es256 = inst.es256();
      String jwt = inst.blob(es256).export(MetadataBlob.Options.defaults()).jwt();
      String[] parts = jwt.split("\\.");
      assertThat(part(jwt, 0).path("alg").asText()).isEqualTo("ES256");
      byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
      assertThat(signature).hasSize(64); // JOSE r||s, not DER
      Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
      v.initVerify(TestInstallation.certificate(es256.x5c().get(0)).getPublicKey());
      v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      assertThat(v.verify(signature)).isTrue();
    }

    @Test
    void tamperedPayload_doesNotVerify() throws Exception {
      TestInstallation inst = new TestInstallation(2);
      String[] parts = inst.blob().export(MetadataBlob.Options.defaults()).jwt().split("\\.");
      JsonNode payload = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("no", 999);
      String forged = dev.softkey.metadata.Jws.b64url(MAPPER.writeValueAsBytes(payload));
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(TestInstallation.certificate(inst.signerCertificate()).getPublicKey());
      v.update((parts[0] + "." + forged).getBytes(StandardCharsets.US_ASCII));
      assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).isFalse();
    }

    @Test
    void rawSignature_padsShortIntegersAndDropsTheSignByte() {
      // DER SEQUENCE { INTEGER 0x00FF..(33 bytes, leading zero), INTEGER 0x01 }
      byte[] r = new byte[33];
      r[1] = (byte) 0xFF;
      byte[] der = new byte[2 + 2 + 33 + 3];
      der[0] = 0x30;
      der[1] = (byte) (der.length - 2);
      der[2] = 0x02;
      der[3] = 33;
      System.arraycopy(r, 0, der, 4, 33);
      der[37] = 0x02;
      der[38] = 1;
      der[39] = 1;
      byte[] raw = dev.softkey.metadata.Jws.rawSignature(Bytes.wrap(der));
      assertThat(raw).hasSize(64);
      assertThat(raw[0]).isEqualTo((byte) 0xFF);
      assertThat(raw[63]).isEqualTo((byte) 1);
      assertThat(raw[32]).isZero();
    }
  }

  @Nested
  class No {
    @Test
    void section3_1_6_noIncreasesFromOneExportToTheNext_andIsStoredBeforeTheBlobIsOut() throws Exception {
      TestInstallation inst = new TestInstallation(3);
      MetadataBlob.Export first = inst.blob().export(MetadataBlob.Options.defaults());
      assertThat(inst.caStore.get(MetadataBlob.COUNTER_KEY)).isPresent();
      MetadataBlob.Export second = inst.blob().export(MetadataBlob.Options.defaults());

      assertThat(first.no()).isEqualTo(1);
      assertThat(second.no()).isEqualTo(2);
      assertThat(part(second.jwt(), 1).path("no").asLong()).isEqualTo(2);
      // a new MetadataBlob over the same store (a later process) goes on counting
      assertThat(new TestInstallation(3).blob().lastNumber()).isZero();
      assertThat(inst.blob().lastNumber()).isEqualTo(2);
    }
  }

  @Nested
  class Payload {
    @Test
    void nextUpdate_defaultsToThirtyDaysOn_andIsConfigurable() throws Exception {
      TestInstallation inst = new TestInstallation(4);
      assertThat(part(inst.blob().export(MetadataBlob.Options.defaults()).jwt(), 1).path("nextUpdate").asText()).isEqualTo("2027-01-01");

      MetadataBlob.Options o = new MetadataBlob.Options("my header", Optional.of(LocalDate.parse("2027-03-04")), Set.of(), Set.of(), Set.of());
      JsonNode payload = part(inst.blob().export(o).jwt(), 1);
      assertThat(payload.path("nextUpdate").asText()).isEqualTo("2027-03-04");
      assertThat(payload.path("legalHeader").asText()).isEqualTo("my header");
      assertThat(payload.path("entries").get(0).path("metadataStatement").path("legalHeader").asText()).isEqualTo("my header");
    }

    @Test
    void nextUpdateInThePast_isRefused() {
      TestInstallation inst = new TestInstallation(5);
      MetadataBlob.Options o =
          new MetadataBlob.Options("h", Optional.of(LocalDate.parse("2026-11-30")), Set.of(), Set.of(), Set.of());
      assertThatThrownBy(() -> inst.blob().export(o)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--next-update");
      assertThat(inst.blob().lastNumber()).isZero();
    }

    @Test
    void defaultLegalHeader_saysItIsNotTheFidoAlliances() throws Exception {
      JsonNode payload = part(new TestInstallation(6).blob().export(MetadataBlob.Options.defaults()).jwt(), 1);
      assertThat(payload.path("legalHeader").asText()).contains("softkey").contains("not issued or endorsed by the FIDO Alliance");
    }

    @Test
    void everyPublishedModel_hasOneEntry_certifiedL1AndCertified() throws Exception {
      JsonNode payload = part(new TestInstallation(7).blob().export(MetadataBlob.Options.defaults()).jwt(), 1);
      assertThat(payload.path("entries")).hasSize(MetadataStatements.publishedProfiles().size());
      JsonNode e = entry(payload, "yubikey-5");
      assertThat(statuses(e)).containsExactly("FIDO_CERTIFIED_L1", "FIDO_CERTIFIED");
      assertThat(e.path("statusReports").get(0).path("effectiveDate").asText()).isEqualTo("2026-12-02");
      assertThat(e.path("timeOfLastStatusChange").asText()).isEqualTo("2026-12-02");
      assertThat(e.path("metadataStatement").path("aaguid").asText()).isEqualTo(e.path("aaguid").asText());
    }

    @Test
    void switches_markRevoked_notCertified_orLeaveOut() throws Exception {
      TestInstallation inst = new TestInstallation(8);
      MetadataBlob.Options o =
          new MetadataBlob.Options(MetadataStatements.DEFAULT_LEGAL_HEADER, Optional.empty(), Set.of("yubikey-5"), Set.of("bio"), Set.of("generic"));
      JsonNode payload = part(inst.blob().export(o).jwt(), 1);
      assertThat(statuses(entry(payload, "yubikey-5"))).startsWith("REVOKED").contains("FIDO_CERTIFIED_L1");
      assertThat(statuses(entry(payload, "bio"))).containsExactly("NOT_FIDO_CERTIFIED");
      assertThat(entry(payload, "generic")).isNull();
    }

    @Test
    void phonePasskeyProviders_haveNoEntry_theSoloHasOne() throws Exception {
      // The phone profiles are not in the FIDO MDS (metadata.published false); the Solo 1 is.
      List<String> phones = List.of("ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain");
      assertThat(MetadataStatements.publishedModels()).extracting(Profile::id).doesNotContainAnyElementsOf(phones).contains("solo-1");
      JsonNode payload = part(new TestInstallation(10).blob().export(MetadataBlob.Options.defaults()).jwt(), 1);
      for (String id : phones) {
        assertThat(entry(payload, id)).as(id).isNull();
      }
      assertThat(entry(payload, "solo-1").path("metadataStatement").path("description").asText())
          .isEqualTo("Solo Secp256R1 FIDO2 CTAP2 Authenticator");
    }

    @Test
    void modelsSharingAnAaguid_haveOneEntry_theLatestFirmwares_andASwitchOnEitherMarksIt() throws Exception {
      // yubikey-5-nfc-5-2 and yubikey-5 (5.4.2) share Yubico's AAGUID 2fc0579f; the MDS holds one
      // statement per AAGUID, so the BLOB has one entry, the 5.4.2 one.
      assertThat(MetadataStatements.publishedModels()).extracting(Profile::id).contains("yubikey-5-nfc-5-2", "yubikey-5");
      assertThat(MetadataStatements.publishedProfiles()).extracting(Profile::id).contains("yubikey-5").doesNotContain("yubikey-5-nfc-5-2");
      TestInstallation inst = new TestInstallation(10);
      JsonNode payload = part(inst.blob().export(MetadataBlob.Options.defaults().withRevoked("yubikey-5-nfc-5-2")).jwt(), 1);
      java.util.List<String> aaguids = new java.util.ArrayList<>();
      payload.path("entries").forEach(e -> aaguids.add(e.path("aaguid").asText()));
      assertThat(aaguids).doesNotHaveDuplicates();
      JsonNode e = entry(payload, "yubikey-5");
      assertThat(e.path("metadataStatement").path("authenticatorVersion").asLong()).isEqualTo(328706);
      assertThat(statuses(e)).startsWith("REVOKED");
    }

    @Test
    void switchNamingNoModel_isRefusedWithTheModelList() {
      TestInstallation inst = new TestInstallation(9);
      assertThatThrownBy(() -> inst.blob().export(MetadataBlob.Options.defaults().withRevoked("yubikey-9")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--revoked yubikey-9")
          .hasMessageContaining("yubikey-5");
    }
  }
}
