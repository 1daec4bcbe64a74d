package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  static final String CREATE =
      "{\"publicKey\":{\"rp\":{\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}}";

  final FakeKey key = new FakeKey();
  final List<DeviceFactory.DeviceOptions> opened = new ArrayList<>();
  boolean pinAlwaysWrong;

  /** The DeviceFactory with its holes filled by the fake key. */
  final DeviceFactory fake =
      new DeviceFactory() {
        @Override
        public Device open(DeviceOptions o) {
          opened.add(o);
          key.deny = o.presence().equals("deny");
          return new Device(
              key,
              Optional.of((pin, perms, rpId) -> {
                throw new CtapException(CtapStatus.CTAP2_ERR_PIN_INVALID);
              }),
              () -> {});
        }
      };

  record Result(int code, String out, String err) {}

  Result run(DeviceFactory f, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Main(f, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
            .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Result run(String... args) {
    return run(fake, "", args);
  }

  @Nested
  class UsageErrors {
    @Test
    void noCommand_printsUsage_exit2() {
      Result r = run();
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.out()).contains("Usage: softkey");
    }

    @Test
    void unknownOption_isOneLine_exit2() {
      Result r = run("--frobnicate");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: ").doesNotContain("\tat ");
      assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void missingOrigin_exit2() {
      Result r = run("webauthn", "create");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--origin");
    }

    @Test
    void badPresence_exit2() {
      assertThat(run("--presence", "maybe", "info").code()).isEqualTo(2);
    }
  }

  /** The real wiring: the engine, the file store, the PIN client, the CA. */
  @Nested
  class RealDevice {
    @TempDir Path dir;

    Result real(String stdin, String... args) {
      String[] all = new String[args.length + 2];
      all[0] = "--store";
      all[1] = dir.toString();
      System.arraycopy(args, 0, all, 2, args.length);
      return run(new DeviceFactory(), stdin, all);
    }

    @Test
    void createThenGet_inSeparateRuns_shareTheFileStore() throws Exception {
      Result reg = real(CREATE, "webauthn", "create", "--origin", "https://example.com");
      assertThat(reg.err()).isEmpty();
      assertThat(reg.code()).isZero();
      JsonNode n = new ObjectMapper().readTree(reg.out());
      String get = "{\"challenge\":\"AQIDBA\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"" + n.get("id").asText() + "\"}]}";
      Result r = real(get, "webauthn", "get", "--origin", "https://example.com");
      assertThat(r.err()).isEmpty();
      assertThat(new ObjectMapper().readTree(r.out()).get("id").asText()).isEqualTo(n.get("id").asText());
    }

    @Test
    void pinSetThenCreateWithWrongPin_oneLineCtapError() {
      assertThat(real("", "pin", "set", "--new-pin", "123456").code()).isZero();
      assertThat(real("", "info").out()).contains("clientPin");
      String rk = CREATE.replace("\"pubKeyCredParams\"", "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"required\"},\"pubKeyCredParams\"");
      Result bad = real(rk, "webauthn", "create", "--origin", "https://example.com", "--pin", "654321");
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).isEqualTo("softkey: NotAllowedError: wrong PIN: 7 retries left (CTAP2_ERR_PIN_INVALID, 0x31)" + System.lineSeparator());
      Result good = real(rk, "webauthn", "create", "--origin", "https://example.com", "--pin", "123456");
      assertThat(good.err()).isEmpty();
      assertThat(good.code()).isZero();
    }

    @Test
    void caExport_printsTheSameRootEachTime() {
      Result a = real("", "ca", "export");
      assertThat(a.code()).isZero();
      assertThat(a.out()).startsWith("-----BEGIN CERTIFICATE-----");
      assertThat(real("", "ca", "export").out()).isEqualTo(a.out());
    }

    @Test
    void unknownProfile_exit2() {
      Result r = real("", "--profile", "nope", "info");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: unknown profile 'nope'");
    }
  }

  @Nested
  class Commands {
    @Test
    void profiles_listsTheBuiltInProfiles() {
      Result r = run(new DeviceFactory(), "", "profiles");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("generic").contains("yubikey-5").contains("bio");
    }

    @Test
    void profiles_listsVendorFirmwareTransportsAndModel_inAlignedColumns() {
      Result r = run(new DeviceFactory(), "", "profiles");
      List<String> lines = r.out().lines().toList();
      assertThat(lines).hasSize(dev.softkey.core.profile.Profiles.BUILT_IN.size() + 1);
      assertThat(lines.get(0)).matches("ID +VENDOR +FIRMWARE +TRANSPORTS +MODEL");
      String yubikey = lines.stream().filter(l -> l.startsWith("yubikey-5 ")).findFirst().orElseThrow();
      // The catalogue's yubikey-5 serves its MDS statement's firmware 5.4.2.
      assertThat(yubikey).matches("yubikey-5 +Yubico +5\\.4\\.2 +nfc,usb +YubiKey 5 NFC, firmware 5\\.4\\.2/5\\.4\\.3 .*");
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("thales-idprime-bio +Thales +\\S+ +nfc +.*"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("solo-1 +SoloKeys +4\\.1\\.5 +usb +SoloKeys Solo 1.*"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("google-password-manager +Google +- +hybrid,internal +.*"));
      // Aligned: every column starts where the header's does.
      for (String column : List.of("VENDOR", "FIRMWARE", "TRANSPORTS", "MODEL")) {
        int at = lines.get(0).indexOf(column);
        for (String l : lines) {
          assertThat(l.charAt(at - 1)).as("%s column in %s", column, l).isEqualTo(' ');
          assertThat(l.charAt(at)).as("%s column in %s", column, l).isNotEqualTo(' ');
        }
      }
    }

    @Test
    void webauthnCreate_readsStdin_printsRegistrationJson() throws Exception {
      Result r = run(fake, CREATE, "webauthn", "create", "--origin", "https://example.com", "--transport", "usb,nfc");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      JsonNode n = new ObjectMapper().readTree(r.out());
      assertThat(n.get("type").asText()).isEqualTo("public-key");
      assertThat(n.at("/response/transports").toString()).isEqualTo("[\"usb\",\"nfc\"]");
      assertThat(n.at("/response/attestationObject").asText()).isNotEmpty();
    }

    @Test
    void webauthnGet_readsOptionsFile(@TempDir Path dir) throws Exception {
      Result reg = run(fake, CREATE, "webauthn", "create", "--origin", "https://example.com");
      String id = new ObjectMapper().readTree(reg.out()).get("id").asText();
      Path f = dir.resolve("get.json");
      Files.writeString(f, "{\"challenge\":\"AQIDBA\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"" + id + "\"}]}");
      Result r = run("webauthn", "get", "--origin", "https://example.com", "--options", f.toString());
      assertThat(r.code()).isZero();
      assertThat(new ObjectMapper().readTree(r.out()).at("/response/signature").asText()).isNotEmpty();
    }

    @Test
    void globalOptions_areAcceptedBeforeAndAfterTheSubcommand() {
      run(fake, CREATE, "--seed", "5", "webauthn", "create", "--store", "memory", "--profile", "bio", "--origin", "https://example.com");
      DeviceFactory.DeviceOptions o = opened.get(0);
      assertThat(o.storeDir()).isEmpty();
      assertThat(o.profileId()).isEqualTo("bio");
      assertThat(o.seed()).hasValue(5);
      assertThat(o.presence()).isEqualTo("approve");
    }

    @Test
    void defaultStore_isPersistentUnderTheUserDataDir() {
      run("info");
      assertThat(opened.get(0).storeDir()).contains(DeviceFactory.defaultStoreDir());
      assertThat(DeviceFactory.defaultStoreDir().getFileName().toString()).isEqualTo("softkey");
    }

    @Test
    void info_printsNamedMembers() {
      Result r = run("info");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("versions:").contains("[FIDO_2_1]").contains("options:");
    }

    @Test
    void reset_sendsAuthenticatorReset() {
      Result r = run("reset");
      assertThat(r.code()).isZero();
      assertThat(key.commands).contains(0x07);
    }
  }

  @Nested
  class Errors {
    @Test
    void ctapError_isStatusAndMeaning_exit1() {
      key.options.put("clientPin", true);
      Result r = run(fake, CREATE, "webauthn", "create", "--origin", "https://example.com", "--pin", "9999");
      assertThat(r.code()).isEqualTo(1);
      // The fake's PIN client does not go through the transport: no retry count to tell.
      assertThat(r.err()).isEqualTo("softkey: NotAllowedError: wrong PIN (CTAP2_ERR_PIN_INVALID, 0x31)" + System.lineSeparator());
      assertThat(r.err()).doesNotContain("9999");
    }

    @Test
    void clientSideError_isNameAndMessage_exit1() {
      Result r = run(fake, CREATE, "webauthn", "create", "--origin", "http://example.com");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: SecurityError: origin must be https");
    }

    @Test
    void missingOptionsFile_isOneLine_exit1() {
      Result r = run("webauthn", "get", "--origin", "https://example.com", "--options", "/nonexistent/x.json");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: cannot read options");
    }
  }

  @Nested
  class DemoRun {
    @Test
    void demo_registersAndSignsIn_withAnInMemoryStore() {
      Result r = run("--seed", "1", "demo");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      assertThat(opened.get(0).storeDir()).isEmpty();
      assertThat(r.out())
          .contains("1. Registration")
          .contains("\"rp\"")
          .contains("ok  clientDataJSON origin is https://demo.softkey.dev")
          .contains("ok  attestation \"none\"")
          .contains("ok  signature over authenticatorData || SHA-256(clientDataJSON) verifies with the registered key")
          .contains("Demo complete");
    }

    @Test
    void demo_withPresenceDenied_failsWithTheCtapStatus() {
      Result r = run("--presence", "deny", "demo");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: NotAllowedError: the user did not approve the operation (CTAP2_ERR_OPERATION_DENIED, 0x27)" + System.lineSeparator());
    }
  }
}
