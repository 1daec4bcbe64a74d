package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors: malformed options, --verbose, PIN inputs. */
class CliErrorsTest {
  static final String CREATE = MainTest.CREATE;
  static final String NL = System.lineSeparator();

  @TempDir Path dir;

  static void assertOneLine(Result r) {
    assertThat(r.err()).startsWith("softkey: ").endsWith(NL);
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Nested
  class BadProfileFile {
    @Test
    void aMisspelledEnumValue_namesTheFileAndTheField() throws IOException {
      String good = CliRunner.run("profiles", "show", "generic").out();
      Path f = dir.resolve("typo.json");
      Files.writeString(f, good.replaceFirst("\"format\"\\s*:\\s*\"packed\"", "\"format\": \"pakced\""));
      assertThat(Files.readString(f)).contains("pakced");
      Result r = CliRunner.run("--store", "memory", "--profile", f.toString(), "info");
      assertThat(r.code()).isNotZero();
      assertOneLine(r);
      assertThat(r.err()).contains(f.toString()).contains("attestation.format").contains("pakced");
    }

    @Test
    void aMissingField_isNamed() throws IOException {
      Path f = dir.resolve("short.json");
      Files.writeString(f, CliRunner.run("profiles", "show", "generic").out().replaceFirst("\"maxMsgSize\"\\s*:\\s*\\d+,", ""));
      assertThat(Files.readString(f)).doesNotContain("maxMsgSize");
      Result r = CliRunner.run("--store", "memory", "--profile", f.toString(), "info");
      assertThat(r.code()).isNotZero();
      assertThat(r.err()).contains("limits.maxMsgSize");
    }
  }

  @Nested
  class MalformedOptions {
    @Test
    void notJson_isAUsageError_exit2_sayingWhatToGive() {
      Path store = dir.resolve("store");
      Result r = CliRunner.run(new DeviceFactory(), "{\"publicKey\": {rp:", "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com");
      assertThat(r.code()).isEqualTo(2);
      assertOneLine(r);
      assertThat(r.err())
          .startsWith("softkey: the options JSON on stdin is not valid JSON: ")
          .contains("line 1, column ")
          .contains("give PublicKeyCredentialCreationOptionsJSON")
          .contains("--options FILE");
      assertThat(r.out()).isEmpty();
      assertThat(store).as("nothing was opened").doesNotExist();
    }

    @Test
    void missingMember_isAUsageError_exit2() {
      Result r = CliRunner.run(new DeviceFactory(), "{\"challenge\":\"AAAA\"}", "--store", "memory", "webauthn", "create", "--origin", "https://example.com");
      assertThat(r.code()).isEqualTo(2);
      assertOneLine(r);
      assertThat(r.err()).startsWith("softkey: the options JSON on stdin is not valid: missing required member");
    }

    @Test
    void badFile_forGet_namesTheFile_exit2() throws IOException {
      Path f = dir.resolve("get.json");
      Files.writeString(f, "[1, 2");
      Result r = CliRunner.run("--store", "memory", "webauthn", "get", "--origin", "https://example.com", "--options", f.toString());
      assertThat(r.code()).isEqualTo(2);
      assertOneLine(r);
      assertThat(r.err()).startsWith("softkey: the options JSON in " + f + " is not valid JSON").contains("PublicKeyCredentialRequestOptionsJSON");
    }

    @Test
    void emptyStdin_exit2() {
      Result r = CliRunner.run("--store", "memory", "webauthn", "get", "--origin", "https://example.com");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: no options JSON on stdin; give PublicKeyCredentialRequestOptionsJSON on stdin or with --options FILE" + NL);
    }

    @Test
    void wellFormedOptions_stillWork() {
      Result r = CliRunner.run(new DeviceFactory(), CREATE, "--store", "memory", "webauthn", "create", "--origin", "https://example.com");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
    }
  }

  @Nested
  class CeremonyErrors {
    @Test
    void anExcludedCredential_namesInvalidStateError_withTheCtapStatusAsDetail() throws IOException {
      Path store = dir.resolve("store");
      Result reg = CliRunner.run(new DeviceFactory(), CREATE, "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com");
      assertThat(reg.code()).isZero();
      String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reg.out()).get("id").asText();
      String again = CREATE.replace("\"pubKeyCredParams\"", "\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\"" + id + "\"}],\"pubKeyCredParams\"");
      Result r = CliRunner.run(new DeviceFactory(), again, "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err())
          .isEqualTo("softkey: InvalidStateError: a credential in excludeCredentials is already on the authenticator (CTAP2_ERR_CREDENTIAL_EXCLUDED, 0x19)" + NL);
    }

    @Test
    void noCredential_isNotAllowedError_withTheStatus() {
      Result r = CliRunner.run(new DeviceFactory(), "{\"challenge\":\"AQIDBA\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"AAAA\"}]}",
          "--store", "memory", "webauthn", "get", "--origin", "https://example.com");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: NotAllowedError: the authenticator has no credential for this request (CTAP2_ERR_NO_CREDENTIALS, 0x2E)" + NL);
    }
  }

  @Nested
  class Verbose {
    @Test
    void verbose_onACtapError_printsTheTrace() {
      Result r = CliRunner.run("--store", "memory", "--presence", "deny", "demo", "--verbose");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: NotAllowedError: the user did not approve the operation (CTAP2_ERR_OPERATION_DENIED, 0x27)" + NL)
          .contains(NL + "NotAllowedError: the user did not approve the operation (CTAP2_ERR_OPERATION_DENIED, 0x27)" + NL + "\tat ")
          .contains("\tat dev.softkey.platform.");
    }

    @Test
    void verbose_onAUsageError_printsTheTrace() {
      Result r = CliRunner.run("--verbose", "--store", "memory", "--profile", "nope", "info");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: unknown profile 'nope'").contains("\tat ");
    }
  }

  @Nested
  class PinInputs {
    @Test
    void pinFromAFile_andFromTheEnvironment() throws IOException {
      Path store = dir.resolve("store");
      Path pin = Files.writeString(dir.resolve("pin"), "123456\n");
      assertThat(CliRunner.run("--store", store.toString(), "pin", "set", "--new-pin-file", pin.toString()).code()).isZero();
      String rk = CREATE.replace("\"pubKeyCredParams\"", "\"authenticatorSelection\":{\"userVerification\":\"required\"},\"pubKeyCredParams\"");
      Result good = CliRunner.run(new DeviceFactory(), rk, "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com", "--pin-file", pin.toString());
      assertThat(good.err()).isEmpty();
      assertThat(good.code()).isZero();
      String var = System.getenv().containsKey("HOME") ? "HOME" : "PATH"; // set, and not the PIN
      Result wrong = CliRunner.run(new DeviceFactory(), rk, "--store", store.toString(), "webauthn", "create", "--origin", "https://example.com", "--pin-env", var);
      assertThat(wrong.code()).isEqualTo(1);
      assertThat(wrong.err()).startsWith("softkey: NotAllowedError: wrong PIN: 7 retries left (CTAP2_ERR_PIN_INVALID, 0x31)");
      Path next = Files.writeString(dir.resolve("next"), "654321");
      assertThat(CliRunner.run("--store", store.toString(), "pin", "change", "--pin-file", pin.toString(), "--new-pin-file", next.toString()).code()).isZero();
    }

    @Test
    void twoSourcesOrNone_isAUsageError() {
      Result both = CliRunner.run("--store", "memory", "pin", "change", "--pin", "1234", "--pin-env", "X", "--new-pin", "5678");
      assertThat(both.code()).isEqualTo(2);
      assertThat(both.err()).startsWith("softkey: --pin and --pin-env both give the PIN; use one of them");
      Result none = CliRunner.run("--store", "memory", "pin", "change", "--new-pin", "5678");
      assertThat(none.code()).isEqualTo(2);
      assertThat(none.err()).startsWith("softkey: pin change needs the current PIN: give --pin-env VAR, --pin-file FILE, --pin-file - (stdin) or --pin PIN");
      Result unset = CliRunner.run("--store", "memory", "pin", "set", "--new-pin-env", "SOFTKEY_TEST_SURELY_UNSET_VARIABLE");
      assertThat(unset.code()).isEqualTo(2);
      assertThat(unset.err()).startsWith("softkey: environment variable SOFTKEY_TEST_SURELY_UNSET_VARIABLE (--new-pin-env) is not set");
    }

    @Test
    void missingPinFile_exit2() {
      Result r = CliRunner.run("--store", "memory", "pin", "set", "--new-pin-file", dir.resolve("nope").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: cannot read the new PIN from " + dir.resolve("nope") + " (--new-pin-file): No such file or directory");
    }
  }
}
