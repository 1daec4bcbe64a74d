package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.control.ControlServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code softkey ctl} against a running {@link ControlServer} (real HTTP on loopback, the CLI's
 * {@link CliAuthenticatorHost}), finding it through the files of {@code --control-dir} as it finds
 * a {@code serve --control}.
 */
class CtlCommandTest {
  static final String GET = "{\"publicKey\":{\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"rpId\":\"example.com\",\"userVerification\":\"discouraged\"}}";

  @TempDir Path tmp;
  ControlServer server;
  Path dir;

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("control");
    DeviceFactory.DeviceOptions o = new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.empty(), "approve",
        Optional.empty()).withCaDir(tmp.resolve("ca"));
    server = ControlServer.builder().tokenFile(dir.resolve("token")).host(new CliAuthenticatorHost(new DeviceFactory(), o)).build().start();
    new ControlDir(dir).writeEndpoint(server.baseUri());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  CliRunner.Result ctl(String stdin, String... args) {
    String[] all = Stream.concat(Stream.of("ctl", "--control-dir", dir.toString()), Stream.of(args)).toArray(String[]::new);
    return CliRunner.run(new DeviceFactory(), stdin, all);
  }

  @Test
  void add_list_create_get_remove() throws Exception {
    CliRunner.Result list0 = ctl("", "list");
    assertThat(list0.code()).as(list0.err()).isZero();
    assertThat(Json.MAPPER.readTree(list0.out())).isEmpty();

    CliRunner.Result add = ctl("", "add", "--seed", "7", "--profile", "yubikey-5");
    assertThat(add.code()).as(add.err()).isZero();
    String id = add.out().strip();
    assertThat(id).startsWith("authenticator-");

    JsonNode list = Json.MAPPER.readTree(ctl("", "list").out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("authenticatorId").asText()).isEqualTo(id);
    assertThat(list.get(0).get("profile").asText()).isEqualTo("yubikey-5");

    CliRunner.Result create = ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com");
    assertThat(create.code()).as(create.err()).isZero();
    JsonNode reg = Json.MAPPER.readTree(create.out());
    assertThat(reg.get("type").asText()).isEqualTo("public-key");
    String credentialId = reg.get("id").asText();

    Path options = tmp.resolve("get.json");
    Files.writeString(options, GET);
    CliRunner.Result get = ctl("", "get", id, options.toString(), "--origin", "https://example.com");
    assertThat(get.code()).as(get.err()).isZero();
    JsonNode assertion = Json.MAPPER.readTree(get.out());
    assertThat(assertion.get("id").asText()).isEqualTo(credentialId);
    assertThat(assertion.get("response").get("signature").asText()).isNotEmpty();

    // a wrong origin is the browser's SecurityError, one line, exit 1
    CliRunner.Result wrongOrigin = ctl("", "get", id, options.toString(), "--origin", "https://evil.example");
    assertThat(wrongOrigin.code()).isEqualTo(1);
    assertThat(wrongOrigin.err()).startsWith("softkey ctl: SecurityError: ");

    CliRunner.Result root = ctl("", "attestation-root", id);
    assertThat(root.code()).as(root.err()).isZero();
    DeviceFactory.DeviceOptions o = new DeviceFactory.DeviceOptions(Optional.empty(), "generic", OptionalLong.empty(), "approve",
        Optional.empty()).withCaDir(tmp.resolve("ca"));
    assertThat(root.out()).startsWith(new DeviceFactory().exportCaCertificatePem(o));

    assertThat(ctl("", "remove", id).code()).isZero();
    assertThat(Json.MAPPER.readTree(ctl("", "list").out())).isEmpty();
  }

  @Test
  void events_printsJsonLines_inOrder_untilCount() throws Exception {
    String id = ctl("", "add").out().strip();
    java.util.concurrent.CompletableFuture<CliRunner.Result> events =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> ctl("", "events", id, "--count", "2"));
    Thread.sleep(500); // the stream is subscribed when its request arrives
    assertThat(ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com").code()).isZero();
    CliRunner.Result r = events.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    java.util.List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    JsonNode second = Json.MAPPER.readTree(lines.get(1));
    assertThat(first.get("event").asText()).isEqualTo("ctapRequest");
    assertThat(second.get("event").asText()).isEqualTo("ctapResponse");
    assertThat(first.get("data").isObject()).isTrue();
  }

  @Test
  void fault_once_thenTheCeremonyWorks_andPinStatus() throws Exception {
    String id = ctl("", "add").out().strip();
    CliRunner.Result fault = ctl("", "fault", id, "--command", "makeCredential", "--status", "CTAP2_ERR_OPERATION_DENIED");
    assertThat(fault.code()).as(fault.err()).isZero();
    assertThat(ctl("", "faults", id).out()).contains("makeCredential");
    CliRunner.Result failed = ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err().strip()).startsWith("softkey ctl: NotAllowedError: ").doesNotContain("\n");
    assertThat(ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com").code()).isZero();
    assertThat(Json.MAPPER.readTree(ctl("", "faults", id).out())).isEmpty();

    JsonNode before = Json.MAPPER.readTree(ctl("", "pin", id, "status").out());
    assertThat(before.get("isSet").asBoolean()).isFalse();
    CliRunner.Result set = ctl("1234\n", "pin", id, "set");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out() + set.err()).doesNotContain("1234");
    JsonNode after = Json.MAPPER.readTree(ctl("", "pin", id, "status").out());
    assertThat(after.get("isSet").asBoolean()).isTrue();
    assertThat(after.get("retries").asInt()).isEqualTo(8);
    assertThat(ctl("", "pin", id, "retries", "3").code()).isZero();
    assertThat(Json.MAPPER.readTree(ctl("", "pin", id, "status").out()).get("retries").asInt()).isEqualTo(3);
  }

  /** Whether the assertion's signature over authenticatorData || SHA-256(clientDataJSON) verifies with {@code key}. */
  static boolean verifies(JsonNode assertion, java.security.PublicKey key) throws Exception {
    java.util.Base64.Decoder b64 = java.util.Base64.getUrlDecoder();
    JsonNode r = assertion.get("response");
    byte[] authData = b64.decode(r.get("authenticatorData").asText());
    byte[] cdHash = java.security.MessageDigest.getInstance("SHA-256").digest(b64.decode(r.get("clientDataJSON").asText()));
    java.security.Signature sig = java.security.Signature.getInstance("SHA256withECDSA");
    sig.initVerify(key);
    sig.update(authData);
    sig.update(cdHash);
    try {
      return sig.verify(b64.decode(r.get("signature").asText()));
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  @Test
  void addCredential_fromAPemPkcs8Key_signsAssertionsWithIt_untilDeletedOrOverridden() throws Exception {
    String id = ctl("", "add").out().strip();
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair kp = g.generateKeyPair();
    Path pem = tmp.resolve("key.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    CliRunner.Result add = ctl("", "add-credential", id, "--rp-id", "example.com", "--private-key-file", pem.toString(),
        "--credential-id", "Y3JlZC0x", "--resident", "--user-handle", "AQID", "--user-name", "alice");
    assertThat(add.code()).as(add.err()).isZero();

    JsonNode creds = Json.MAPPER.readTree(ctl("", "credentials", id).out());
    assertThat(creds).hasSize(1);
    assertThat(creds.get(0).get("credentialId").asText()).isEqualTo("Y3JlZC0x");
    assertThat(creds.get(0).get("rpId").asText()).isEqualTo("example.com");

    Path options = tmp.resolve("get.json");
    Files.writeString(options, GET);
    CliRunner.Result get = ctl("", "get", id, options.toString(), "--origin", "https://example.com");
    assertThat(get.code()).as(get.err()).isZero();
    JsonNode assertion = Json.MAPPER.readTree(get.out());
    assertThat(assertion.get("id").asText()).isEqualTo("Y3JlZC0x");
    assertThat(verifies(assertion, kp.getPublic())).isTrue();

    // Chrome's bogus-signature bit: the same key, a signature that no longer verifies
    assertThat(ctl("", "overrides", id, "--bogus-signature").code()).isZero();
    JsonNode bogus = Json.MAPPER.readTree(ctl("", "get", id, options.toString(), "--origin", "https://example.com").out());
    assertThat(verifies(bogus, kp.getPublic())).isFalse();
    assertThat(ctl("", "overrides", id).code()).isZero();

    assertThat(ctl("", "delete-credential", id, "Y3JlZC0x").code()).isZero();
    CliRunner.Result gone = ctl("", "get", id, options.toString(), "--origin", "https://example.com");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).startsWith("softkey ctl: NotAllowedError: ");
    CliRunner.Result again = ctl("", "delete-credential", id, "Y3JlZC0x");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("softkey ctl: invalid argument: ");
  }

  @Test
  void presenceQueue_uv_powerCycle() throws Exception {
    String id = ctl("", "add").out().strip();
    assertThat(ctl("", "presence", id, "--queue", "deny,approve").code()).isZero();
    assertThat(ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com").code()).isEqualTo(1);
    assertThat(ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com").code()).isZero();
    assertThat(ctl("", "presence", id, "timeout", "--delay-ms", "10").code()).isZero();
    CliRunner.Result timedOut = ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com");
    assertThat(timedOut.code()).isEqualTo(1);
    assertThat(timedOut.err()).startsWith("softkey ctl: NotAllowedError: ");
    assertThat(ctl("", "presence", id, "default").code()).isZero();
    assertThat(ctl("", "uv", id, "false").code()).isZero();
    assertThat(ctl("", "uv", id, "maybe").code()).isEqualTo(2);
    assertThat(ctl("", "power-cycle", id).code()).isZero();
    assertThat(ctl(ServeCommandTest.CREATE, "create", id, "--origin", "https://example.com").code()).isZero();
    assertThat(ctl("", "clear-credentials", id).code()).isZero();
    assertThat(Json.MAPPER.readTree(ctl("", "credentials", id).out())).isEmpty();
  }

  @Test
  void addWithUv_verifiesTheUser_untilUvFalse_andCredentialProps() throws Exception {
    String id = ctl("", "add", "--uv").out().strip();
    String uvRequired = ServeCommandTest.CREATE.replace("\"userVerification\":\"discouraged\"", "\"userVerification\":\"required\"");
    CliRunner.Result create = ctl(uvRequired, "create", id, "--origin", "https://example.com");
    assertThat(create.code()).as(create.err()).isZero();
    String cred = Json.MAPPER.readTree(create.out()).get("id").asText();

    // "--" ends the options: a base64url credential ID may start with '-'
    CliRunner.Result props = ctl("", "credential-props", id, "--backup-eligibility", "true", "--backup-state", "true", "--", cred);
    assertThat(props.code()).as(props.err()).isZero();
    JsonNode creds = Json.MAPPER.readTree(ctl("", "credentials", id).out());
    assertThat(creds.get(0).get("backupEligibility").asBoolean()).isTrue();
    assertThat(creds.get(0).get("backupState").asBoolean()).isTrue();

    assertThat(ctl("", "uv", id, "false").code()).isZero();
    CliRunner.Result refused = ctl(uvRequired, "create", id, "--origin", "https://example.com");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).startsWith("softkey ctl: NotAllowedError: ");
    assertThat(ctl("", "uv-results", id, "true").code()).isZero();
    assertThat(ctl(uvRequired, "create", id, "--origin", "https://example.com").code()).isZero();
  }

  @Test
  void aWrongToken_isOneLine_exit1() throws Exception {
    Path wrong = tmp.resolve("wrong-token");
    Files.writeString(wrong, "not-the-token\n");
    CliRunner.Result r = CliRunner.run(new DeviceFactory(), "", "ctl", "--endpoint", server.baseUri().toString(),
        "--token-file", wrong.toString(), "list");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("softkey ctl: unauthorized: ").doesNotContain("\n").doesNotContain(server.token());
    assertThat(r.out()).isEmpty();
  }

  @Test
  void endpointWithTheTokenFromTheEnvironment_inAChildProcess() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "ctl", "--control-dir", tmp.resolve("empty").toString(), "--endpoint", server.baseUri().toString(), "list")
        .redirectErrorStream(true);
    pb.environment().put(CtlCommand.TOKEN_ENV, server.token());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(Json.MAPPER.readTree(out).isArray()).isTrue();
  }

  @Test
  void anUnknownAuthenticator_isTheApisInvalidArgument() {
    CliRunner.Result r = ctl("", "remove", "authenticator-99");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("softkey ctl: invalid argument: no authenticator authenticator-99");
  }

  @Test
  void usageErrors_exit2_andNoServer_isOneLine() throws Exception {
    CliRunner.Result noAnswer = ctl("", "presence", "authenticator-1");
    assertThat(noAnswer.code()).isEqualTo(2);
    assertThat(noAnswer.err()).contains("give either an ANSWER");

    CliRunner.Result badAnswer = ctl("", "presence", "authenticator-1", "maybe");
    assertThat(badAnswer.code()).isEqualTo(2);

    CliRunner.Result noDir = CliRunner.run(new DeviceFactory(), "", "ctl", "--control-dir", tmp.resolve("nothing").toString(), "list");
    assertThat(noDir.code()).isEqualTo(2);
    assertThat(noDir.err()).contains("softkey serve --control");

    int port = server.port();
    server.close();
    CliRunner.Result down = ctl("", "list");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err().strip()).isEqualTo("softkey ctl: cannot reach http://127.0.0.1:" + port
        + "/softkey/v1: connection refused (is 'softkey serve --control' running?)");
  }

  @Test
  void help_listsEverySubcommand() {
    CliRunner.Result r = CliRunner.run("ctl", "--help");
    assertThat(r.code()).isZero();
    for (String sub : new String[] {"list", "add", "remove", "credentials", "add-credential", "delete-credential", "clear-credentials",
        "uv", "presence", "pin", "fault", "faults", "overrides", "power-cycle", "events", "create", "get"}) {
      assertThat(r.out()).containsPattern("(?m)^\\s+" + sub + "\\s");
    }
  }
}
