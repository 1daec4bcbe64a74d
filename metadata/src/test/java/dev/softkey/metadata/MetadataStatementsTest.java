package dev.softkey.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The metadata statements (FIDO Metadata Statement 3.0 section 4) of the published models. */
class MetadataStatementsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final TestInstallation inst = new TestInstallation(11);
  private final MetadataStatements statements = new MetadataStatements(inst.ca.rootCertificate(), "h");

  static Stream<Profile> published() {
    return MetadataStatements.publishedProfiles().stream();
  }

  /** getInfo decoded by the wire record, from a device built here, not by the code under test. */
  private static GetInfoResponse deviceGetInfo(Profile p) {
    Authenticator a = Authenticator.builder().profile(p).noEnrolledFingerprint().build();
    byte[] reply = a.process(new byte[] {0x04}, OperationContext.INTERNAL);
    assertThat(reply[0]).isZero();
    return GetInfoResponse.fromCbor(CborDecoder.decodeMap(Arrays.copyOfRange(reply, 1, reply.length)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void authenticatorGetInfo_equalsTheServedGetInfo(Profile p) {
    JsonNode s = statements.statement(p);
    JsonNode gi = s.path("authenticatorGetInfo");
    GetInfoResponse served = deviceGetInfo(p);

    assertThat(gi.path("aaguid").asText()).isEqualTo(HexFormat.of().formatHex(served.aaguid().toArray()));
    assertThat(gi.path("aaguid").asText()).isEqualTo(p.identity().aaguid().toString().replace("-", ""));
    List<String> versions = new ArrayList<>();
    gi.path("versions").forEach(v -> versions.add(v.asText()));
    assertThat(versions).isEqualTo(served.versions());
    // every served member is in the statement under its name, and nothing else is
    List<String> names = new ArrayList<>();
    gi.fieldNames().forEachRemaining(names::add);
    List<String> servedNames = new ArrayList<>();
    served.toCbor().keySet().forEach(k -> servedNames.add(GetInfoResponse.MEMBER_NAMES.get(k).replace("UVAttempts", "UvAttempts")));
    servedNames.remove("encIdentifier");
    assertThat(names).isEqualTo(servedNames);
    served.options().orElseThrow().forEach((k, v) -> assertThat(gi.path("options").path(k).asBoolean()).as(k).isEqualTo(v));
    assertThat(gi.path("options").size()).isEqualTo(served.options().orElseThrow().size());
    if (served.algorithms().isPresent()) {
      assertThat(gi.path("algorithms").get(0).path("type").asText()).isEqualTo("public-key");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void requiredMembers_arePresent(Profile p) {
    JsonNode s = statements.statement(p);
    assertThat(s.path("aaguid").asText()).isEqualTo(p.identity().aaguid().toString());
    assertThat(s.path("protocolFamily").asText()).isEqualTo("fido2");
    assertThat(s.path("schema").asInt()).isEqualTo(3);
    assertThat(s.path("description").asText()).isNotBlank();
    assertThat(s.path("upv")).isNotEmpty();
    assertThat(s.path("authenticationAlgorithms")).hasSize(p.getInfo().algorithms().size());
    assertThat(s.path("publicKeyAlgAndEncodings").get(0).asText()).isEqualTo("cose");
    assertThat(s.path("keyProtection")).isNotEmpty();
    assertThat(s.path("attachmentHint")).isNotEmpty();
    assertThat(s.path("tcDisplay")).isEmpty();
    assertThat(s.path("attestationRootCertificates")).hasSize(1);
    assertThat(Bytes.wrap(Base64.getDecoder().decode(s.path("attestationRootCertificates").get(0).asText())))
        .isEqualTo(inst.ca.rootCertificate());
  }

  @Nested
  class Values {
    @Test
    void yubikey5_statementValues_asTheProfileAndRealStatementGiveThem() {
      JsonNode s = statements.statement(Profiles.builtIn("yubikey-5").orElseThrow());
      assertThat(s.path("description").asText()).isEqualTo("YubiKey 5 Series with NFC");
      assertThat(s.path("authenticatorVersion").asLong()).isEqualTo(328706);
      assertThat(s.path("attestationTypes").toString()).isEqualTo("[\"basic_full\"]");
      // FIDO_2_0 and FIDO_2_1_PRE: CTAP 2.0 only
      assertThat(s.path("upv").toString()).isEqualTo("[{\"major\":1,\"minor\":0}]");
      assertThat(s.path("authenticationAlgorithms").toString()).isEqualTo("[\"secp256r1_ecdsa_sha256_raw\",\"ed25519_eddsa_sha512_raw\"]");
      assertThat(s.path("keyProtection").toString()).isEqualTo("[\"hardware\",\"secure_element\"]");
      assertThat(s.path("cryptoStrength").asInt()).isEqualTo(128);
      JsonNode uv = s.path("userVerificationDetails");
      assertThat(uv.toString()).contains("presence_internal").contains("passcode_external").doesNotContain("fingerprint_internal");
    }

    @Test
    void bio_hasFingerprintInternal() {
      JsonNode s = statements.statement(Profiles.builtIn("bio").orElseThrow());
      assertThat(s.path("userVerificationDetails").toString()).contains("fingerprint_internal");
    }

    @Test
    void upv_fido21_isOneOne() {
      ObjectNode v = MAPPER.createObjectNode();
      v.putArray("versions").add("U2F_V2").add("FIDO_2_0").add("FIDO_2_1");
      assertThat(MetadataStatements.upv(v.path("versions")).toString())
          .isEqualTo("[{\"major\":1,\"minor\":1},{\"major\":1,\"minor\":0}]");
    }

    @Test
    void attestationTypes_followTheRegistry() {
      assertThat(MetadataStatements.attestationType(dev.softkey.core.profile.AttestationFormat.PACKED)).isEqualTo("basic_full");
      assertThat(MetadataStatements.attestationType(dev.softkey.core.profile.AttestationFormat.FIDO_U2F)).isEqualTo("basic_full");
      assertThat(MetadataStatements.attestationType(dev.softkey.core.profile.AttestationFormat.SELF)).isEqualTo("basic_surrogate");
      assertThat(MetadataStatements.attestationType(dev.softkey.core.profile.AttestationFormat.NONE)).isEqualTo("none");
      assertThat(MetadataStatements.authenticationAlgorithms(List.of(CoseAlgorithm.ES384, CoseAlgorithm.RS256)))
          .containsExactly("secp384r1_ecdsa_sha384_raw", "rsassa_pkcsv15_sha256_raw");
    }
  }

  @Nested
  class Files_ {
    @TempDir Path dir;

    @Test
    void oneFilePerAaguid_holdingTheStatement() throws Exception {
      List<ObjectNode> all = statements.all();
      List<Path> files = StatementFiles.write(dir.resolve("statements"), all);
      assertThat(files).hasSize(all.size());
      Path yk = dir.resolve("statements").resolve(Profiles.builtIn("yubikey-5").orElseThrow().identity().aaguid() + ".json");
      assertThat(MAPPER.readTree(Files.readString(yk)).toString()).isEqualTo(statements.statement(Profiles.builtIn("yubikey-5").orElseThrow()).toString());
    }

    @Test
    void aModelLeftOutLater_losesItsFile_otherFilesStay() throws Exception {
      Path d = dir.resolve("st");
      StatementFiles.write(d, statements.all());
      Files.writeString(d.resolve("README.txt"), "mine");
      List<ObjectNode> withoutFirst = statements.all().subList(1, statements.all().size());
      StatementFiles.write(d, withoutFirst);
      try (var files = Files.list(d)) {
        assertThat(files.map(f -> f.getFileName().toString()).toList())
            .hasSize(withoutFirst.size() + 1)
            .contains("README.txt")
            .doesNotContain(statements.all().get(0).path("aaguid").asText() + ".json");
      }
    }
  }
}
