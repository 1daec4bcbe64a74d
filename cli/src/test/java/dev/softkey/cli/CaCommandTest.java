package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attestation identity per installation: the CA directory ({@code --ca}) that every store and
 * {@code --store memory} share, reproducible attestation with {@code --seed}, and {@code softkey ca
 * export}.
 */
class CaCommandTest {
  static final String CREATE =
      "{\"publicKey\":{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"attestation\":\"direct\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}}";

  @TempDir Path dir;

  static Result create(String... globalOptions) {
    List<String> args = new ArrayList<>(List.of(globalOptions));
    args.addAll(List.of("webauthn", "create", "--origin", "https://example.com"));
    Result r = CliRunner.run(new DeviceFactory(), CREATE, args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("error").doesNotContain("Exception");
    return r;
  }

  static Bytes attestationObject(Result r) throws Exception {
    String b64 = new ObjectMapper().readTree(r.out()).path("response").path("attestationObject").asText();
    return Bytes.wrap(Base64.getUrlDecoder().decode(b64));
  }

  static List<Object> x5c(Bytes attestationObject) {
    CborMap m = CborDecoder.decodeMap(attestationObject.toArray());
    assertThat(m.text("fmt")).isEqualTo("packed");
    return m.map("attStmt").list("x5c");
  }

  static List<Bytes> pemBlocks(String pem, String label) {
    List<Bytes> out = new ArrayList<>();
    String begin = "-----BEGIN " + label + "-----\n";
    String end = "-----END " + label + "-----\n";
    int i = 0;
    while ((i = pem.indexOf(begin, i)) >= 0) {
      int j = pem.indexOf(end, i);
      out.add(Bytes.wrap(Base64.getMimeDecoder().decode(pem.substring(i + begin.length(), j))));
      i = j + end.length();
    }
    return out;
  }

  static X509Certificate certificate(Bytes der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
  }

  @Nested
  class OneCaPerInstallation {
    @Test
    void storesAndMemory_shareTheRootAndTheX5c() throws Exception {
      Path ca = dir.resolve("ca");
      Bytes a = attestationObject(create("--store", dir.resolve("one").toString(), "--ca", ca.toString(), "--profile", "yubikey-5"));
      Bytes b = attestationObject(create("--store", dir.resolve("two").toString(), "--ca", ca.toString(), "--profile", "yubikey-5"));
      Bytes c = attestationObject(create("--store", "memory", "--ca", ca.toString(), "--profile", "yubikey-5"));

      assertThat(x5c(a)).hasSize(2).isEqualTo(x5c(b)).isEqualTo(x5c(c));
      String root = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export").out();
      X509Certificate intermediate = certificate((Bytes) x5c(a).get(1));
      intermediate.verify(certificate(pemBlocks(root, "CERTIFICATE").get(0)).getPublicKey());
      assertThat(CliRunner.run("--store", dir.resolve("one").toString(), "--ca", ca.toString(), "ca", "export").out()).isEqualTo(root);
    }

    @Test
    void theDeviceStoreInTheSoftkeyHome_isUnaffectedByTheCaSubdirectory() throws Exception {
      Path home = dir.resolve("home");
      create("--store", home.toString(), "--ca", home.resolve("ca").toString());
      create("--store", home.toString(), "--ca", home.resolve("ca").toString());

      Result list = CliRunner.run("--store", home.toString(), "--ca", home.resolve("ca").toString(), "info");
      assertThat(list.code()).isZero();
      assertThat(home.resolve("ca").resolve("softkey.store")).exists();
      assertThat(home.resolve("softkey.store")).exists();
    }

    @Test
    void processesStartingAtOnceOnANewCaDirectory_endUpWithOneRoot() throws Exception {
      Path ca = dir.resolve("race");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          tasks.add(() -> CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export").out());
        }
        Set<String> roots = new LinkedHashSet<>();
        for (Future<String> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
          roots.add(f.get());
        }
        assertThat(roots).hasSize(1);
        assertThat(roots.iterator().next()).startsWith("-----BEGIN CERTIFICATE-----");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  class Seeded {
    @Test
    void twoRunsWithTheSameSeedAndFreshCaDirectories_giveByteIdenticalAttestationObjects() throws Exception {
      Result a = create("--seed", "7", "--store", "memory", "--ca", dir.resolve("a").toString(), "--profile", "yubikey-5");
      Result b = create("--seed", "7", "--store", "memory", "--ca", dir.resolve("b").toString(), "--profile", "yubikey-5");

      assertThat(attestationObject(a)).isEqualTo(attestationObject(b));
      assertThat(a.out()).isEqualTo(b.out());
      assertThat(x5c(attestationObject(a))).hasSize(2);
      assertThat(certificate((Bytes) x5c(attestationObject(a)).get(0)).getNotBefore().toInstant())
          .isEqualTo(AttestationCa.SEEDED_NOT_BEFORE);
    }

    @Test
    void anotherSeed_givesAnotherRoot() {
      String a = CliRunner.run("--seed", "7", "--store", "memory", "--ca", dir.resolve("a").toString(), "ca", "export").out();
      String b = CliRunner.run("--seed", "8", "--store", "memory", "--ca", dir.resolve("b").toString(), "ca", "export").out();
      assertThat(a).isNotEqualTo(b);
    }

    @Test
    void twoJvms_giveByteIdenticalAttestationObjects() throws Exception {
      Files.writeString(dir.resolve("create.json"), CREATE);
      List<String> outs = new ArrayList<>();
      for (String name : List.of("jvm-a", "jvm-b")) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
            new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.softkey.cli.Main",
                    "--seed", "7", "--store", "memory", "--ca", dir.resolve(name).toString(), "--profile", "yubikey-5",
                    "webauthn", "create", "--origin", "https://example.com", "--options", dir.resolve("create.json").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        outs.add(out);
      }
      assertThat(outs.get(0)).contains("attestationObject").isEqualTo(outs.get(1));
    }
  }

  @Nested
  class Export {
    @Test
    void chain_isTheX5cOfTheModel_batchThenIntermediate() throws Exception {
      Path ca = dir.resolve("ca");
      Result r = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export", "--chain", "yubikey-5");
      assertThat(r.code()).isZero();
      List<Bytes> chain = pemBlocks(r.out(), "CERTIFICATE");

      Bytes att = attestationObject(create("--store", "memory", "--ca", ca.toString(), "--profile", "yubikey-5"));
      assertThat(chain).hasSize(2).isEqualTo(x5c(att));
      Profile yubikey = Profiles.builtIn("yubikey-5").orElseThrow();
      String aaguidHex = yubikey.identity().aaguid().toString().replace("-", "");
      assertThat(Bytes.wrap(certificate(chain.get(0)).getExtensionValue("1.3.6.1.4.1.45724.1.1.4")).hex()).endsWith(aaguidHex);
      assertThat(certificate(chain.get(1)).getSubjectX500Principal().getName()).contains("CN=softkey Yubico Attestation CA");
    }

    @Test
    void crls_areOnePemX509CrlPerCa_signedByIt() throws Exception {
      Path ca = dir.resolve("ca");
      Result r = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export", "--crls");
      assertThat(r.code()).isZero();
      List<Bytes> crls = pemBlocks(r.out(), "X509 CRL");
      Set<String> vendors = new LinkedHashSet<>();
      Profiles.allBuiltIn().forEach(p -> vendors.add(p.identity().vendor()));
      assertThat(crls).hasSize(1 + vendors.size());

      String root = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export").out();
      X509CRL first = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crls.get(0).toArray()));
      first.verify(certificate(pemBlocks(root, "CERTIFICATE").get(0)).getPublicKey());
    }

    @Test
    void dir_writesRootIntermediatesAndCrlsUnderStableNames() throws Exception {
      Path ca = dir.resolve("ca");
      Path out = dir.resolve("export");
      Result r = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export", "--dir", out.toString(), "--chain", "yubikey-5");
      assertThat(r.code()).isZero();

      assertThat(out.resolve("root.pem")).content().isEqualTo(CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export").out());
      for (String name : List.of("intermediate-softkey.pem", "intermediate-Yubico.pem", "crl-root.pem", "crl-softkey.pem", "crl-Yubico.pem", "chain-yubikey-5.pem")) {
        assertThat(out.resolve(name)).exists();
      }
      Collection<? extends java.security.cert.CRL> crl =
          CertificateFactory.getInstance("X.509").generateCRLs(Files.newInputStream(out.resolve("crl-Yubico.pem")));
      assertThat(crl).hasSize(1);
      assertThat(Files.readString(out.resolve("intermediate-Yubico.pem")))
          .isEqualTo(pemBlocks(Files.readString(out.resolve("chain-yubikey-5.pem")), "CERTIFICATE").stream()
              .skip(1).map(AttestationCa::toPem).findFirst().orElseThrow());
      assertThat(r.out().lines()).contains(out.resolve("root.pem").toString());
    }

    @Test
    void dirWithOut_isAUsageError_exit2() {
      Result r = CliRunner.run("--store", "memory", "--ca", dir.resolve("ca").toString(), "ca", "export", "--dir", dir.toString(), "--out", "x.pem");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: --dir and --out do not go together");
    }

    @Test
    void chainOfAnUnknownProfile_isAUsageError_exit2() {
      Result r = CliRunner.run("--store", "memory", "--ca", dir.resolve("ca").toString(), "ca", "export", "--chain", "nope");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: unknown profile 'nope'");
    }
  }
}
