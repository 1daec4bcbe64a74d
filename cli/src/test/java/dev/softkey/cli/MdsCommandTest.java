package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey mds export} and {@code softkey mds serve}'s option checks. */
class MdsCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private Result mds(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--ca";
    all[1] = dir.resolve("ca").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRunner.run(all);
  }

  private static JsonNode payload(String jwt) throws Exception {
    return MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.trim().split("\\.")[1]));
  }

  @Nested
  class Export {
    @Test
    void toStdout_thenToAFile_noIncreases() throws Exception {
      Result first = mds("mds", "export");
      assertThat(first.code()).isZero();
      assertThat(payload(first.out()).path("no").asInt()).isEqualTo(1);

      Path out = dir.resolve("blob.jwt");
      Result second = mds("mds", "export", "--out", out.toString());
      assertThat(second.code()).isZero();
      assertThat(second.out()).startsWith("MDS3 BLOB no 2, ").contains(out.toString());
      assertThat(payload(Files.readString(out)).path("no").asInt()).isEqualTo(2);
    }

    @Test
    void theBlobIsSignedUnderTheRootThatCaExportGives() throws Exception {
      String jwt = mds("mds", "export").out();
      String rootPem = mds("ca", "export").out();
      JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
      java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
      var signer = cf.generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(header.path("x5c").get(0).asText())));
      var root = cf.generateCertificate(new java.io.ByteArrayInputStream(rootPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      signer.verify(root.getPublicKey()); // throws if not issued by the exported root
      assertThat(header.path("alg").asText()).isEqualTo("RS256");
    }

    @Test
    void statementsAndSwitches() throws Exception {
      Path statements = dir.resolve("statements");
      Result r = mds("mds", "export", "--statements", statements.toString(), "--omit", "generic", "--revoked", "yubikey-5",
          "--legal-header", "QA only", "--next-update", "2099-01-02");
      assertThat(r.code()).isZero();
      int expected = dev.softkey.metadata.MetadataStatements.publishedProfiles().size() - 1; // all but generic
      assertThat(r.out()).contains(expected + " statements: " + statements);
      try (var files = Files.list(statements)) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .hasSize(expected)
            .contains("2fc0579f-8113-47ea-b116-bb5a8db9202a.json", bioFile())
            .doesNotContain(genericFile());
      }
      JsonNode p = payload(r.out().lines().findFirst().orElseThrow());
      assertThat(p.path("legalHeader").asText()).isEqualTo("QA only");
      assertThat(p.path("nextUpdate").asText()).isEqualTo("2099-01-02");
      assertThat(p.path("entries")).hasSize(expected);
      assertThat(p.path("entries").toString()).contains("REVOKED");
    }

    private String genericFile() {
      return dev.softkey.core.profile.Profiles.builtIn("generic").orElseThrow().identity().aaguid() + ".json";
    }

    private String bioFile() {
      return dev.softkey.core.profile.Profiles.builtIn("bio").orElseThrow().identity().aaguid() + ".json";
    }

    @Test
    void withSeed_aFreshCaGivesTheSameBlob() {
      Result a = CliRunner.run("--seed", "7", "--ca", dir.resolve("a").toString(), "mds", "export");
      Result b = CliRunner.run("--seed", "7", "--ca", dir.resolve("b").toString(), "mds", "export");
      assertThat(a.code()).isZero();
      assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void badOptions_oneLine_exit2() {
      Result unknown = mds("mds", "export", "--revoked", "no-such-model");
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.err()).startsWith("softkey: --revoked no-such-model names no published model").hasLineCount(1);

      Result date = mds("mds", "export", "--next-update", "tomorrow");
      assertThat(date.code()).isEqualTo(2);
      assertThat(date.err()).contains("--next-update must be a date as YYYY-MM-DD").hasLineCount(1);

      Result past = mds("mds", "export", "--next-update", "2001-01-01");
      assertThat(past.code()).isEqualTo(2);
      assertThat(past.err()).contains("before today").hasLineCount(1);

      Result alg = mds("mds", "export", "--alg", "HS256");
      assertThat(alg.code()).isEqualTo(2);
      assertThat(alg.err()).contains("--alg must be RS256 or ES256").hasLineCount(1);
    }
  }

  @Nested
  class Serve {
    @Test
    void nonLoopbackBind_isRefused() {
      Result r = mds("mds", "serve", "--bind", "192.0.2.1");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("not a loopback address").hasLineCount(1);
    }

    @Test
    void portOutOfRange_isRefused() {
      Result r = mds("mds", "serve", "--port", "70000");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--port must be 0..65535").hasLineCount(1);
    }
  }
}
