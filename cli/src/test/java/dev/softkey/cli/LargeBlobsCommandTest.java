package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey large-blobs list|get|put|delete|clear} against a file store (authenticatorLargeBlobs). */
class LargeBlobsCommandTest {
  @TempDir Path dir;
  Path store;
  Path pin;
  String alice;
  String bob;
  String carol;

  Result cli(String... args) {
    return cliIn("", args);
  }

  Result cliIn(String stdin, String... args) {
    List<String> a = new ArrayList<>(List.of("--store", store.toString()));
    a.addAll(List.of(args));
    return CliRunner.run(new DeviceFactory(), stdin, a.toArray(String[]::new));
  }

  /** A discoverable credential made with largeBlobKey true (or without the extension): its ID, base64url. */
  String register(String rpId, byte[] userId, String user, boolean largeBlobKey) throws Exception {
    try (DeviceFactory.Device d =
        new DeviceFactory().open(new DeviceFactory.DeviceOptions(Optional.of(store), "generic", OptionalLong.empty(), "approve", Optional.empty()))) {
      PlatformPin p = new PlatformPin(d.transport()::transact, 2, RandomSource.secure());
      PinToken t = p.getPinUvAuthToken("123456", Set.of(Permission.MAKE_CREDENTIAL), Optional.of(rpId));
      Bytes cdh = Bytes.wrap(new byte[32]);
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(1L, cdh);
      m.put(2L, Map.of("id", rpId));
      m.put(3L, Map.of("id", Bytes.wrap(userId), "name", user));
      m.put(4L, List.of(Map.of("alg", -7L, "type", "public-key")));
      if (largeBlobKey) {
        m.put(6L, Map.of("largeBlobKey", true));
      }
      m.put(7L, Map.of("rk", true));
      m.put(8L, t.authenticate(cdh.toArray()));
      m.put(9L, 2L);
      byte[] body = CborEncoder.encode(m);
      byte[] req = new byte[body.length + 1];
      req[0] = 0x01;
      System.arraycopy(body, 0, req, 1, body.length);
      CborMap r = CtapReply.body(d.transport().transact(req));
      assertThat(r.has(0x05)).isEqualTo(largeBlobKey);
      return AuthenticatorData.parse(r.bytes(0x02)).attestedCredentialData().orElseThrow().credentialId().base64Url();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    store = dir.resolve("store");
    pin = Files.writeString(dir.resolve("pin"), "123456\n");
    assertThat(cli("pin", "set", "--new-pin-file", pin.toString()).code()).isZero();
    alice = register("example.com", new byte[] {1}, "alice", true);
    bob = register("example.com", new byte[] {2}, "bob", true);
    carol = register("other.example", new byte[] {3}, "carol", false);
  }

  JsonNode listJson() throws IOException {
    Result r = cli("large-blobs", "list", "--json", "--pin-file", pin.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  @Test
  void list_onANewKey_hasNoEntries_andTheInitialArraysLength() throws IOException {
    Result r = cli("large-blobs", "list", "--pin-file", pin.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("0 entries, the serialized array is 17 bytes of 4096." + System.lineSeparator());
    JsonNode n = listJson();
    assertThat(n.get("serializedLength").asInt()).isEqualTo(17);
    assertThat(n.get("maxSerializedLargeBlobArray").asInt()).isEqualTo(4096);
    assertThat(n.get("entries")).isEmpty();
  }

  @Test
  void putGetListDelete_byCredentialId() throws IOException {
    Path data = Files.write(dir.resolve("cert"), "ssh-ed25519-cert-v01 alice".getBytes(StandardCharsets.UTF_8));
    Result put = cli("large-blobs", "put", "--credential", alice, "--file", data.toString(), "--pin-file", pin.toString());
    assertThat(put.err()).isEmpty();
    assertThat(put.out()).isEqualTo("Large blob of credential " + alice + " stored (26 bytes)." + System.lineSeparator());

    Result get = cli("large-blobs", "get", "--credential", alice, "--pin-file", pin.toString());
    assertThat(get.code()).isZero();
    assertThat(get.out()).isEqualTo("ssh-ed25519-cert-v01 alice");
    Path out = dir.resolve("out");
    assertThat(cli("large-blobs", "get", "--credential", alice, "--out", out.toString(), "--pin-file", pin.toString()).code()).isZero();
    assertThat(Files.readString(out)).isEqualTo("ssh-ed25519-cert-v01 alice");

    JsonNode n = listJson();
    assertThat(n.get("entries")).hasSize(1);
    JsonNode e = n.get("entries").get(0);
    assertThat(e.get("index").asInt()).isZero();
    assertThat(e.get("origSize").asInt()).isEqualTo(26);
    assertThat(e.get("rpId").asText()).isEqualTo("example.com");
    assertThat(e.get("userName").asText()).isEqualTo("alice");
    assertThat(e.get("credentialId").asText()).isEqualTo(alice);
    Result table = cli("large-blobs", "list", "--pin-file", pin.toString());
    assertThat(table.out().lines().toList().get(1)).startsWith("INDEX").contains("SIZE", "STORED", "RP ID", "USER NAME", "CREDENTIAL ID");
    assertThat(table.out()).contains(alice, "alice", "example.com");

    Result del = cli("large-blobs", "delete", "--credential", alice, "--pin-file", pin.toString());
    assertThat(del.out()).isEqualTo("Large blob of credential " + alice + " deleted." + System.lineSeparator());
    assertThat(listJson().get("entries")).isEmpty();
    Result again = cli("large-blobs", "delete", "--credential", alice, "--pin-file", pin.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("softkey: credential " + alice + " has no large blob");
  }

  @Test
  void put_replacesTheCredentialsBlob_andKeepsOthers_fromStdin() throws IOException {
    assertThat(cliIn("one", "large-blobs", "put", "--credential", alice, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    assertThat(cliIn("bob's", "large-blobs", "put", "--credential", bob, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    assertThat(cliIn("two", "large-blobs", "put", "--credential", alice, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    assertThat(listJson().get("entries")).hasSize(2);
    assertThat(cli("large-blobs", "get", "--credential", alice, "--pin-file", pin.toString()).out()).isEqualTo("two");
    assertThat(cli("large-blobs", "get", "--credential", bob, "--pin-file", pin.toString()).out()).isEqualTo("bob's");
  }

  @Test
  void rp_choosesTheRpsOnlyCredentialWithAKey_andSaysWhenThereAreSeveral() throws Exception {
    String dave = register("solo.example", new byte[] {4}, "dave", true);
    assertThat(cliIn("d", "large-blobs", "put", "--rp", "solo.example", "--file", "-", "--pin-file", pin.toString()).out())
        .contains(dave);
    Result several = cliIn("x", "large-blobs", "put", "--rp", "example.com", "--file", "-", "--pin-file", pin.toString());
    assertThat(several.code()).isEqualTo(2);
    assertThat(several.err()).contains("RP example.com has 2 credentials with a largeBlobKey: choose one with --credential ID");
    Result none = cli("large-blobs", "get", "--rp", "other.example", "--pin-file", pin.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("RP other.example has no discoverable credential with a largeBlobKey");
  }

  @Test
  void errors_sayWhatToDo() {
    Result noKey = cli("large-blobs", "get", "--credential", carol, "--pin-file", pin.toString());
    assertThat(noKey.code()).isEqualTo(1);
    assertThat(noKey.err()).startsWith("softkey: credential " + carol + " has no largeBlobKey");
    Result noBlob = cli("large-blobs", "get", "--credential", alice, "--pin-file", pin.toString());
    assertThat(noBlob.code()).isEqualTo(1);
    assertThat(noBlob.err()).startsWith("softkey: credential " + alice + " has no large blob");
    Result both = cli("large-blobs", "get", "--credential", alice, "--rp", "example.com", "--pin-file", pin.toString());
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("exactly one of --credential ID and --rp ID");
    Result noPin = cli("large-blobs", "list");
    assertThat(noPin.code()).isEqualTo(2);
    assertThat(noPin.err()).contains("large-blobs list needs the current PIN");
    Result unknown = cli("large-blobs", "get", "--credential", "AAAA", "--pin-file", pin.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no discoverable credential has ID AAAA");
    Result yk = cli("--profile", "yubikey-5", "large-blobs", "list", "--pin-file", pin.toString());
    assertThat(yk.code()).isEqualTo(1);
    assertThat(yk.err()).contains("this key has no large-blob storage");
  }

  @Test
  void clear_dropsEveryEntry_butNotTheCredentials() throws IOException {
    assertThat(cliIn("one", "large-blobs", "put", "--credential", alice, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    assertThat(cliIn("two", "large-blobs", "put", "--credential", bob, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    Result r = cli("large-blobs", "clear", "--pin-file", pin.toString());
    assertThat(r.out()).isEqualTo("Large-blob array emptied (2 entries removed)." + System.lineSeparator());
    assertThat(listJson().get("serializedLength").asInt()).isEqualTo(17);
    Result creds = cli("credentials", "list", "--pin-file", pin.toString());
    assertThat(creds.out()).contains("alice", "bob");
  }

  @Test
  void aBlobOfADeletedCredential_isListedWithoutAnOwner() throws IOException {
    assertThat(cliIn("orphan", "large-blobs", "put", "--credential", alice, "--file", "-", "--pin-file", pin.toString()).code()).isZero();
    assertThat(cli("credentials", "delete", alice, "--pin-file", pin.toString()).code()).isZero();
    JsonNode e = listJson().get("entries").get(0);
    assertThat(e.has("credentialId")).isFalse();
    assertThat(e.get("origSize").asInt()).isEqualTo(6);
  }
}
