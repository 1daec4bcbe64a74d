package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.cli.CliRunner.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey rp}: the ready line, the policy file, the metadata options and their errors. */
class RpCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private String ca() {
    return dir.resolve("ca").toString();
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  @Test
  void starts_printsTheUrl_servesThePolicyFile_andStopsWithExit0() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"isAttestationEnforced\": true, \"userVerification\": \"required\"}");
    try (RpRunner rp = RpRunner.start("--ca", ca(), "rp", "--port", "0", "--policy", policy.toString())) {
      assertThat(rp.origin()).startsWith("http://localhost:");
      assertThat(rp.out()).contains("RP ID localhost").contains("the installation's metadata").contains("revocation checked")
          .contains("policy " + policy);
      JsonNode served = get(rp.base() + "/api/policy");
      assertThat(served.path("isAttestationEnforced").asBoolean()).isTrue();
      assertThat(served.path("userVerification").asText()).isEqualTo("required");
      assertThat(rp.stop()).isZero();
    }
  }

  @Test
  void malformedPolicyFile_isOneLine_exit2() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"keyRestrictions\": {\"enforcementType\": \"deny\"}}");
    Result r = CliRunner.run("--ca", ca(), "rp", "--port", "0", "--policy", policy.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("policy file " + policy).contains("keyRestrictions.enforcementType must be one of allow, block");
    assertThat(r.out()).isEmpty();
    Result missing = CliRunner.run("--ca", ca(), "rp", "--port", "0", "--policy", dir.resolve("nope.json").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist");
  }

  @Test
  void optionErrors_areUsageErrors() {
    assertThat(CliRunner.run("--ca", ca(), "rp", "--host", "8.8.8.8").err()).contains("not a loopback address");
    assertThat(CliRunner.run("--ca", ca(), "rp", "--port", "70000").code()).isEqualTo(2);
    Result mdsAlone = CliRunner.run("--ca", ca(), "rp", "--mds", dir.resolve("blob.jwt").toString());
    assertThat(mdsAlone.code()).isEqualTo(2);
    assertThat(mdsAlone.err()).contains("--mds and --mds-root go together");
  }

  @Test
  void mdsFromAFile_withItsRootAndCrls_orUnderTheWrongRoot() throws Exception {
    Path blob = dir.resolve("blob.jwt");
    Path root = dir.resolve("root.pem");
    Path crls = dir.resolve("crls.pem");
    assertThat(CliRunner.run("--ca", ca(), "mds", "export", "--out", blob.toString()).code()).isZero();
    Result rootExport = CliRunner.run("--ca", ca(), "ca", "export");
    assertThat(rootExport.code()).isZero();
    Files.writeString(root, rootExport.out());
    Result crlExport = CliRunner.run("--ca", ca(), "ca", "export", "--crls");
    assertThat(crlExport.code()).as(crlExport.err()).isZero();
    Files.writeString(crls, crlExport.out());
    try (RpRunner rp = RpRunner.start("--ca", ca(), "rp", "--port", "0", "--mds", blob.toString(), "--mds-root", root.toString(),
        "--mds-crl", crls.toString())) {
      assertThat(rp.out()).contains("metadata " + blob).contains("revocation checked");
      assertThat(rp.stop()).isZero();
    }
    Path otherCa = dir.resolve("other-ca");
    Result otherRoot = CliRunner.run("--ca", otherCa.toString(), "ca", "export");
    Files.writeString(root, otherRoot.out());
    Result wrong = CliRunner.run("--ca", ca(), "rp", "--port", "0", "--mds", blob.toString(), "--mds-root", root.toString());
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("does not verify under the given root");
  }
}
