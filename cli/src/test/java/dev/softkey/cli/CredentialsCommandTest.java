package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey credentials list|delete|update-user} against a file store (authenticatorCredentialManagement). */
class CredentialsCommandTest {
  @TempDir Path dir;
  Path store;
  Path pin;

  static String create(String rpName, String userId, String user) {
    return "{\"publicKey\":{\"rp\":{\"name\":\"" + rpName + "\"},\"user\":{\"id\":\"" + userId + "\",\"name\":\"" + user
        + "\",\"displayName\":\"" + user.toUpperCase() + "\"},\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\","
        + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
        + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"required\"}}}";
  }

  Result cli(String... args) {
    List<String> a = new ArrayList<>(List.of("--store", store.toString()));
    a.addAll(List.of(args));
    return CliRunner.run(a.toArray(String[]::new));
  }

  void register(String profile, String origin, String userId, String user) {
    Result r = CliRunner.run(new DeviceFactory(), create("Example", userId, user), "--store", store.toString(), "--profile", profile,
        "webauthn", "create", "--origin", origin, "--pin-file", pin.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
  }

  JsonNode listJson(String profile, String... extra) throws IOException {
    List<String> a = new ArrayList<>(List.of("--profile", profile, "credentials", "list", "--json", "--pin-file", pin.toString()));
    a.addAll(List.of(extra));
    Result r = cli(a.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  void setUp(String profile) throws IOException {
    store = dir.resolve("store-" + profile);
    pin = Files.writeString(dir.resolve("pin"), "123456\n");
    assertThat(cli("--profile", profile, "pin", "set", "--new-pin-file", pin.toString()).code()).isZero();
    register(profile, "https://example.com", "AQ", "alice");
    register(profile, "https://example.com", "Ag", "bob");
    register(profile, "https://other.example", "Aw", "carol");
  }

  @Nested
  class Generic {
    @BeforeEach
    void setUp() throws IOException {
      CredentialsCommandTest.this.setUp("generic");
    }

    @Test
    void list_printsATableWithEveryColumn() {
      Result r = cli("credentials", "list", "--pin-file", pin.toString());
      assertThat(r.code()).isZero();
      List<String> lines = r.out().lines().toList();
      assertThat(lines.get(0)).isEqualTo("3 discoverable credentials, room for 97 more.");
      assertThat(lines.get(1)).startsWith("RP ID").contains("USER NAME", "DISPLAY NAME", "USER ID", "CREDENTIAL ID", "CREDPROTECT");
      assertThat(lines).hasSize(5);
      assertThat(r.out()).contains("alice", "ALICE", "AQ", "bob", "carol", "other.example", "1 userVerificationOptional");
    }

    @Test
    void listJson_hasTheCountsAndEveryCredential() throws IOException {
      JsonNode n = listJson("generic");
      assertThat(n.get("existing").asInt()).isEqualTo(3);
      assertThat(n.get("remaining").asInt()).isEqualTo(97);
      assertThat(n.get("credentials")).hasSize(3);
      JsonNode alice = find(n, "alice");
      assertThat(alice.get("rpId").asText()).isEqualTo("example.com");
      assertThat(alice.get("rpName").asText()).isEqualTo("Example");
      assertThat(alice.get("userId").asText()).isEqualTo("AQ");
      assertThat(alice.get("userDisplayName").asText()).isEqualTo("ALICE");
      assertThat(alice.get("credProtect").asInt()).isEqualTo(1);
      assertThat(alice.get("credProtectPolicy").asText()).isEqualTo("userVerificationOptional");
      assertThat(alice.get("algorithm").asInt()).isEqualTo(-7);
      assertThat(alice.get("credentialId").asText()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void listRp_onlyThatRp() throws IOException {
      JsonNode n = listJson("generic", "--rp", "other.example");
      assertThat(n.has("existing")).isFalse();
      assertThat(n.get("credentials")).hasSize(1);
      assertThat(n.get("credentials").get(0).get("userName").asText()).isEqualTo("carol");
    }

    @Test
    void delete_removesTheCredential() throws IOException {
      String id = find(listJson("generic"), "bob").get("credentialId").asText();
      Result r = cli("credentials", "delete", id, "--pin-file", pin.toString());
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).isEqualTo("Credential " + id + " deleted." + System.lineSeparator());
      JsonNode after = listJson("generic");
      assertThat(after.get("existing").asInt()).isEqualTo(2);
      assertThat(names(after)).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void delete_unknownId_saysToList() {
      Result r = cli("credentials", "delete", "AAAA", "--pin-file", pin.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: no discoverable credential has ID AAAA: 'softkey credentials list' prints the IDs");
    }

    @Test
    void delete_notBase64Url_isAUsageError() {
      Result r = cli("credentials", "delete", "not*base64", "--pin-file", pin.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: 'not*base64' is not a credential ID: give the base64url ID that 'softkey credentials list' prints");
    }

    @Test
    void updateUser_changesNameAndDisplayName_keepsTheUserId() throws IOException {
      String id = find(listJson("generic"), "alice").get("credentialId").asText();
      Result r = cli("credentials", "update-user", id, "--name", "alice2", "--display-name", "Alice Two", "--pin-file", pin.toString());
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      JsonNode alice = find(listJson("generic"), "alice2");
      assertThat(alice.get("userDisplayName").asText()).isEqualTo("Alice Two");
      assertThat(alice.get("userId").asText()).isEqualTo("AQ");
      assertThat(alice.get("credentialId").asText()).isEqualTo(id);
    }

    @Test
    void updateUser_onlyName_keepsTheDisplayName() throws IOException {
      String id = find(listJson("generic"), "bob").get("credentialId").asText();
      assertThat(cli("credentials", "update-user", id, "--name", "robert", "--pin-file", pin.toString()).code()).isZero();
      assertThat(find(listJson("generic"), "robert").get("userDisplayName").asText()).isEqualTo("BOB");
    }

    @Test
    void updateUser_withoutChanges_isAUsageError() {
      Result r = cli("credentials", "update-user", "AQ", "--pin-file", pin.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: credentials update-user changes nothing without --name N or --display-name D");
    }

    @Test
    void withoutPin_saysHowToGiveIt() {
      Result r = cli("credentials", "list");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: credentials list needs the current PIN: give --pin-env VAR, --pin-file FILE or --pin PIN");
    }

    @Test
    void wrongPin_saysToCheckIt() {
      Result r = cli("credentials", "list", "--pin", "000000");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: wrong PIN: 7 retries left").contains("CTAP2_ERR_PIN_INVALID");
    }
  }

  @Nested
  class YubiKey5 {
    @BeforeEach
    void setUp() throws IOException {
      CredentialsCommandTest.this.setUp("yubikey-5");
    }

    @Test
    void listAndDelete_overThePrototypeCommand() throws IOException {
      JsonNode n = listJson("yubikey-5");
      assertThat(n.get("existing").asInt()).isEqualTo(3);
      assertThat(n.get("remaining").asInt()).isEqualTo(22);
      String id = find(n, "carol").get("credentialId").asText();
      assertThat(cli("--profile", "yubikey-5", "credentials", "delete", id, "--pin-file", pin.toString()).code()).isZero();
      assertThat(names(listJson("yubikey-5"))).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void updateUser_saysThePrototypeCannot() throws IOException {
      String id = find(listJson("yubikey-5"), "alice").get("credentialId").asText();
      Result r = cli("--profile", "yubikey-5", "credentials", "update-user", id, "--name", "x", "--pin-file", pin.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: this key's credential management is the CTAP 2.1 prototype (FIDO_2_1_PRE)");
    }
  }

  @Test
  void keyWithoutPin_saysToSetOne() {
    store = dir.resolve("nopin");
    Result r = cli("credentials", "list", "--pin", "1234");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).endsWith("softkey: the key has no PIN yet: set it with 'softkey pin set --new-pin-env VAR' first" + System.lineSeparator());
  }

  @Test
  void bioKeyWithoutPin_usesBuiltInUv() {
    store = dir.resolve("bio");
    Result r = cli("--profile", "bio", "credentials", "list");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("0 discoverable credentials, room for ").contains("No discoverable credentials.");
  }

  static JsonNode find(JsonNode list, String userName) {
    for (JsonNode c : list.get("credentials")) {
      if (c.path("userName").asText().equals(userName)) {
        return c;
      }
    }
    throw new AssertionError("no credential of " + userName + " in " + list);
  }

  static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("credentials").forEach(c -> out.add(c.path("userName").asText()));
    return out;
  }
}
