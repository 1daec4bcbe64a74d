package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.cli.CliRunner.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores as the user sees them: a new store directory is announced, a store that cannot be
 * created or written says why (not CTAP1_ERR_OTHER), and --verbose shows the cause.
 */
class StoreErrorsTest {
  static final String CREATE = MainTest.CREATE;
  static final String NL = System.lineSeparator();

  @TempDir Path dir;

  static void assertOneLine(Result r) {
    CliErrorsTest.assertOneLine(r);
  }

  @Test
  void aNewStoreDirectory_isAnnouncedOnce() {
    Path store = dir.resolve("typo/store");
    Result first = CliRunner.run("--store", store.toString(), "info");
    assertThat(first.code()).isZero();
    assertThat(first.err()).isEqualTo("softkey: new store created at " + store.toAbsolutePath()
        + " (if you expected existing credentials, check --store)" + NL);
    assertThat(CliRunner.run("--store", store.toString(), "info").err()).isEmpty();
    assertThat(CliRunner.run("--store", "memory", "info").err()).isEmpty();
  }

  @Test
  void caExport_usesTheCaDirectoryAndLeavesTheDeviceStoreAlone() {
    Path store = dir.resolve("ca-store");
    Path ca = dir.resolve("ca");
    Result r = CliRunner.run("--store", store.toString(), "--ca", ca.toString(), "ca", "export");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(r.err()).isEmpty();
    assertThat(store).doesNotExist();
    assertThat(ca.resolve("softkey.store")).exists();
  }

  @Test
  void aCaDirectoryThatCannotBeCreated_saysWhyAndNamesCa_exit1() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path ca = file.resolve("ca");
    Result r = CliRunner.run("--store", "memory", "--ca", ca.toString(), "ca", "export");
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r);
    assertThat(r.err()).startsWith("softkey: cannot write the attestation CA at " + ca.toAbsolutePath() + ": Not a directory (check ")
        .contains("--ca").doesNotContain("Exception");
  }

  @Test
  void aCaThatCannotBeCreated_duringACeremony_isReportedNotAsCtap1ErrOther() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir-2"), "x");
    Path ca = file.resolve("ca");
    Result r = CliRunner.run(new DeviceFactory(), MainTest.CREATE.replace("\"challenge\"", "\"attestation\":\"direct\",\"challenge\""),
        "--store", "memory", "--ca", ca.toString(), "webauthn", "create", "--origin", "https://example.com");
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r);
    assertThat(r.err()).contains("the attestation CA at " + ca.toAbsolutePath()).contains("--ca").doesNotContain("CTAP1_ERR_OTHER");
  }

  @Test
  void serve_withACaThatCannotBeCreated_failsAtStartNamingCa_notAtTheFirstMakeCredential() throws IOException {
    // A long-running transport hands CTAP errors to its client and prints nothing: an unusable CA
    // directory (a read-only home, as in the Linux guest) must stop it at once, in one line.
    Path file = Files.writeString(dir.resolve("not-a-dir-3"), "x");
    Path ca = file.resolve("ca");
    Result r = CliRunner.run("--store", "memory", "--ca", ca.toString(), "serve", "--transport", "udp", "--port", "0");
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r);
    assertThat(r.err()).contains("the attestation CA at " + ca.toAbsolutePath()).contains("--ca");
  }

  @Test
  void aStoreThatCannotBeCreated_saysWhy_exit1() throws IOException {
    // a regular file as the parent: fails for root as well
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path store = file.resolve("store");
    Result r = CliRunner.run("--store", store.toString(), "pin", "set", "--new-pin", "123456");
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r);
    assertThat(r.err()).startsWith("softkey: cannot write store " + store.toAbsolutePath() + ": Not a directory (check ")
        .contains("--store").doesNotContain("CTAP1_ERR_OTHER").doesNotContain("Exception");
  }

  /** The real wiring, but the store directory vanishes after open: the next write fails. */
  final DeviceFactory vanishingStore =
      new DeviceFactory() {
        @Override
        public Device open(DeviceOptions o) {
          Device d = super.open(o);
          deleteTree(o.storeDir().orElseThrow());
          return d;
        }
      };

  @Test
  void aFailedWriteInsideTheAuthenticator_isTheStoresReason_notCtap1ErrOther() {
    Path store = dir.resolve("store");
    assertThat(CliRunner.run("--store", store.toString(), "info").code()).isZero();
    Result r = CliRunner.run(vanishingStore, "", "--store", store.toString(), "pin", "set", "--new-pin", "123456");
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r);
    assertThat(r.err()).startsWith("softkey: cannot write store " + store.toAbsolutePath() + ": No such file or directory (")
        .contains("the operation was not saved").doesNotContain("CTAP1_ERR_OTHER");
    assertThat(r.out()).doesNotContain("PIN set");
  }

  @Test
  void aFailedCredentialWrite_inWebauthnCreate_too() {
    Path store = dir.resolve("store");
    String rk = CREATE.replace("\"pubKeyCredParams\"", "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"discouraged\"},\"pubKeyCredParams\"");
    CliRunner.run("--store", store.toString(), "info");
    Result r = CliRunner.run(vanishingStore, rk, "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("softkey: cannot write store " + store.toAbsolutePath() + ": No such file or directory");
  }

  @Test
  void verbose_beforeOrAfterTheCommand_printsTheStackTraceWithTheStoreCause() {
    Path store = dir.resolve("store");
    CliRunner.run("--store", store.toString(), "info");
    for (String[] args :
        new String[][] {
          {"--verbose", "--store", store.toString(), "pin", "set", "--new-pin", "123456"},
          {"--store", store.toString(), "pin", "set", "--new-pin", "123456", "--verbose"}
        }) {
      Result r = CliRunner.run(vanishingStore, "", args);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("softkey: cannot write store ");
      assertThat(r.err()).contains("\tat dev.softkey.cli.").contains("Caused by: dev.softkey.core.store.StoreException")
          .contains("Caused by: java.nio.file.NoSuchFileException");
      store.toFile().mkdirs();
    }
    Result quiet = CliRunner.run(vanishingStore, "", "--store", store.toString(), "pin", "set", "--new-pin", "123456");
    assertThat(quiet.err()).doesNotContain("\tat ");
  }

  static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
