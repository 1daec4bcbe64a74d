package dev.softkey.rp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.testkit.VirtualKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The JSON endpoints over real HTTP with testkit's VirtualKey as the key (the whole client and
 * engine in process) and softkey's own FIDO metadata: registration and sign-in, discoverable and
 * by username, each policy refusing with its plain-words message, and bad requests.
 */
class RpServerTest {
  static final String MODEL = "yubikey-5";

  private RpServer rp;
  private RpClient client;
  private VirtualKey key;

  private void start(RpPolicy policy) {
    start(RpServer.builder().policy(policy).metadata(SoftkeyMetadata.shared()));
  }

  private void start(RpServer.Builder b) {
    rp = b.build().start();
    client = new RpClient(rp);
  }

  private VirtualKey key(String profile) {
    key = VirtualKey.builder().profile(profile).build();
    return key;
  }

  @AfterEach
  void stop() {
    if (rp != null) {
      rp.close();
    }
    if (key != null) {
      key.close();
    }
  }

  private RpClient.Reply register(VirtualKey k, String user, boolean discoverable, String uv, String attestation) {
    JsonNode options = client.registerOptions(user, discoverable, uv, attestation);
    String credential = k.create(options.path("publicKey").toString(), rp.origin());
    return client.verify("/api/register/verify", options, credential);
  }

  private RpClient.Reply signIn(VirtualKey k, String user, String uv) {
    JsonNode options = client.signInOptions(user, uv);
    String assertion = k.get(options.path("publicKey").toString(), rp.origin());
    return client.verify("/api/signin/verify", options, assertion);
  }

  private static RpPolicy policy(String json) {
    return RpPolicy.parse(json);
  }

  /** The model name softkey's metadata statement gives (what the page shows). */
  static String modelName(VirtualKey k) {
    return k.profile().metadata().description().orElse(k.profile().identity().description());
  }

  private String aaguid() {
    return key.aaguid().toString();
  }

  @Test
  void discoverable_registersAndSignsIn_withModelFlagsAndChain() {
    start(RpPolicy.DEFAULT);
    VirtualKey k = key(MODEL);
    RpClient.Reply reg = register(k, "alice", true, "preferred", "direct");
    assertThat(reg.status()).as(reg.body().toString()).isEqualTo(200);
    JsonNode b = reg.body();
    assertThat(b.path("ok").asBoolean()).isTrue();
    assertThat(b.path("ceremony").asText()).isEqualTo("register");
    assertThat(b.path("username").asText()).isEqualTo("alice");
    assertThat(b.path("aaguid").asText()).isEqualTo(aaguid());
    assertThat(b.path("model").asText()).isEqualTo(modelName(k));
    assertThat(b.path("attestation").path("format").asText()).isEqualTo("packed");
    assertThat(b.path("attestation").path("trusted").asBoolean()).isTrue();
    assertThat(b.path("attestation").path("chain")).hasSize(2);
    assertThat(b.path("attestation").path("chain").get(0).path("issuer").asText())
        .isEqualTo(b.path("attestation").path("chain").get(1).path("subject").asText());
    assertThat(b.path("flags").path("up").asBoolean()).isTrue();
    assertThat(b.path("refusal").isNull()).isTrue();
    assertThat(b.path("extensions").path("client").path("credProps").path("rk").asBoolean()).isTrue();
    String credentialId = b.path("credentialId").asText();

    RpClient.Reply in = signIn(k, null, "preferred");
    assertThat(in.status()).as(in.body().toString()).isEqualTo(200);
    assertThat(in.body().path("ceremony").asText()).isEqualTo("signin");
    assertThat(in.body().path("username").asText()).isEqualTo("alice");
    assertThat(in.body().path("credentialId").asText()).isEqualTo(credentialId);
    assertThat(in.body().path("aaguid").asText()).isEqualTo(aaguid());
    assertThat(in.body().path("model").asText()).isEqualTo(modelName(k));

    JsonNode users = client.get("/api/users").body();
    assertThat(users).hasSize(1);
    assertThat(users.get(0).path("username").asText()).isEqualTo("alice");
    JsonNode cred = users.get(0).path("credentials").get(0);
    assertThat(cred.path("credentialId").asText()).isEqualTo(credentialId);
    assertThat(cred.path("discoverable").asBoolean()).isTrue();
    assertThat(cred.path("signCount").asLong()).isEqualTo(in.body().path("signCount").asLong());
  }

  @Test
  void byUsername_nonDiscoverable_signsIn_andTheUnknownUserIsA400() {
    start(RpPolicy.DEFAULT);
    VirtualKey k = key(MODEL);
    RpClient.Reply reg = register(k, "bob", false, "discouraged", "none");
    assertThat(reg.status()).as(reg.body().toString()).isEqualTo(200);
    assertThat(reg.body().path("attestation").path("format").asText()).isEqualTo("none");
    assertThat(reg.body().path("attestation").path("chain")).isEmpty();
    RpClient.Reply in = signIn(k, "bob", "discouraged");
    assertThat(in.status()).as(in.body().toString()).isEqualTo(200);
    assertThat(in.body().path("username").asText()).isEqualTo("bob");
    assertThat(in.body().path("flags").path("uv").asBoolean()).isFalse();

    RpClient.Reply unknown = client.post("/api/signin/options", RpClient.JSON.createObjectNode().put("username", "nobody"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().path("message").asText()).contains("nobody").contains("register first");
  }

  @Nested
  class KeyRestrictions {
    @Test
    void allowList_admitsTheListedModel_andRefusesAnother() {
      VirtualKey k = key(MODEL);
      start(policy("{\"keyRestrictions\": {\"isEnforced\": true, \"enforcementType\": \"allow\", \"aaGuids\": [\"" + aaguid() + "\"]}}"));
      assertThat(register(k, "alice", true, "preferred", "direct").status()).isEqualTo(200);
      try (VirtualKey other = VirtualKey.builder().profile("feitian-epass-ctap21").build()) {
        RpClient.Reply r = register(other, "carol", true, "preferred", "direct");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().path("ok").asBoolean()).isFalse();
        assertThat(r.body().path("refusal").path("policy").asText()).isEqualTo("keyRestrictions");
        assertThat(r.body().path("refusal").path("message").asText())
            .isEqualTo("This key's model (AAGUID " + other.aaguid() + ", " + modelName(other)
                + ") is not on the allow list of this site's key restriction policy.");
      }
      // the refused key's user got no credential
      JsonNode users = client.get("/api/users").body();
      for (JsonNode u : users) {
        if (u.path("username").asText().equals("carol")) {
          assertThat(u.path("credentials")).isEmpty();
        }
      }
    }

    @Test
    void blockList_refusesAtSignInToo_withTheAaguidStoredAtRegistration() {
      VirtualKey k = key(MODEL);
      start(RpPolicy.DEFAULT);
      assertThat(register(k, "alice", true, "preferred", "direct").status()).isEqualTo(200);
      String block = "{\"keyRestrictions\": {\"isEnforced\": true, \"enforcementType\": \"block\", \"aaGuids\": [\"" + aaguid().toUpperCase() + "\"]}}";
      RpClient.Reply put = client.send("PUT", "/api/policy", block);
      assertThat(put.status()).isEqualTo(200);
      assertThat(client.get("/api/policy").body().path("keyRestrictions").path("aaGuids").get(0).asText()).isEqualTo(aaguid());
      RpClient.Reply in = signIn(k, "alice", "preferred");
      assertThat(in.status()).isEqualTo(403);
      assertThat(in.body().path("refusal").path("policy").asText()).isEqualTo("keyRestrictions");
      assertThat(in.body().path("refusal").path("message").asText()).contains("is on the block list").contains(aaguid())
          .contains("cannot sign in");
      RpClient.Reply reg = register(k, "dave", true, "preferred", "direct");
      assertThat(reg.status()).isEqualTo(403);
      assertThat(reg.body().path("refusal").path("message").asText()).startsWith("This key's model (AAGUID " + aaguid());
    }
  }

  @Nested
  class Attestation {
    private final RpPolicy enforced = policy("{\"isAttestationEnforced\": true}");

    @Test
    void softkeysModel_isTrustedThroughMetadata() {
      start(enforced);
      RpClient.Reply r = register(key(MODEL), "alice", true, "preferred", "direct");
      assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
      assertThat(r.body().path("attestation").path("trusted").asBoolean()).isTrue();
    }

    @Test
    void none_isRefused() {
      start(enforced);
      RpClient.Reply r = register(key(MODEL), "alice", true, "preferred", "none");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body().path("refusal").path("policy").asText()).isEqualTo("attestation");
      assertThat(r.body().path("refusal").path("message").asText()).contains("enforces attestation").contains("format none");
    }

    @Test
    void aKeyOfAnotherCa_isRefused_itsChainEndsAtARootTheMetadataDoesNotList() {
      start(enforced);
      AttestationCa otherCa = new AttestationCa(new MemoryStore(), RandomSource.seeded(77), Clock.systemUTC());
      key = VirtualKey.builder().profile(MODEL).attestationCa(otherCa).build();
      RpClient.Reply r = register(key, "alice", true, "preferred", "direct");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body().path("attestation").path("trusted").asBoolean()).isFalse();
      assertThat(r.body().path("refusal").path("policy").asText()).isEqualTo("attestation");
      assertThat(r.body().path("refusal").path("message").asText()).contains("does not lead to a root that FIDO metadata lists");
    }

    @Test
    void withoutMetadata_nothingIsTrusted() {
      start(RpServer.builder().policy(enforced));
      RpClient.Reply r = register(key(MODEL), "alice", true, "preferred", "direct");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body().path("model").isNull()).isTrue();
      assertThat(r.body().path("refusal").path("message").asText()).contains("without FIDO metadata");
    }
  }

  @Test
  void userVerificationRequired_refusesAKeyThatDidNotVerify_atRegistrationAndSignIn() {
    start(RpPolicy.DEFAULT);
    VirtualKey k = key(MODEL);
    assertThat(register(k, "alice", true, "discouraged", "direct").status()).isEqualTo(200);
    rp.policy(policy("{\"userVerification\": \"required\"}"));
    RpClient.Reply reg = register(k, "erin", true, "discouraged", "direct");
    assertThat(reg.status()).isEqualTo(403);
    assertThat(reg.body().path("flags").path("uv").asBoolean()).isFalse();
    assertThat(reg.body().path("refusal").path("policy").asText()).isEqualTo("userVerification");
    assertThat(reg.body().path("refusal").path("message").asText()).contains("requires user verification").contains("registered without it");
    RpClient.Reply in = signIn(k, "alice", "discouraged");
    assertThat(in.status()).isEqualTo(403);
    assertThat(in.body().path("refusal").path("message").asText()).contains("signed in without it");
  }

  @Test
  void userVerificationRequired_admitsAKeyWithAPin() {
    start(policy("{\"userVerification\": \"required\"}"));
    key = VirtualKey.builder().profile(MODEL).pin("123456").build();
    RpClient.Reply r = register(key, "alice", true, "required", "direct");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().path("flags").path("uv").asBoolean()).isTrue();
    assertThat(signIn(key, "alice", "required").status()).isEqualTo(200);
  }

  @Test
  void algorithms_refuseAKeyWithoutAnAllowedOne_andNameBoth() {
    start(policy("{\"allowedAlgorithms\": [-257]}"));
    VirtualKey k = key("feitian-epass-ctap21");
    RpClient.Reply r = register(k, "alice", true, "preferred", "direct");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().path("refusal").path("policy").asText()).isEqualTo("algorithms");
    assertThat(r.body().path("refusal").path("message").asText())
        .isEqualTo("This key made a ES256 (-7) credential; this site's policy allows only RS256 (-257), and the key offers none of them.");
  }

  @Test
  void algorithms_keyWithAnAllowedOne_usesIt() {
    start(policy("{\"allowedAlgorithms\": [-8]}"));
    RpClient.Reply r = register(key("generic"), "alice", true, "preferred", "direct");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    assertThat(client.get("/api/users").body().get(0).path("credentials").get(0).path("algorithm").asInt()).isEqualTo(-8);
  }

  @Nested
  class BadRequests {
    @Test
    void malformedBodies_are400WithAMessage() {
      start(RpPolicy.DEFAULT);
      assertThat(client.send("POST", "/api/register/options", "{not json").status()).isEqualTo(400);
      RpClient.Reply noName = client.send("POST", "/api/register/options", "{}");
      assertThat(noName.status()).isEqualTo(400);
      assertThat(noName.body().path("message").asText()).contains("username is required");
      assertThat(client.send("POST", "/api/register/options", "[1]").status()).isEqualTo(400);
      assertThat(client.send("POST", "/api/register/options", "{\"username\": \"a\", \"userVerification\": \"always\"}").body()
          .path("message").asText()).contains("userVerification must be");
      RpClient.Reply verify = client.send("POST", "/api/register/verify", "nonsense");
      assertThat(verify.status()).isEqualTo(400);
      assertThat(verify.body().path("refusal").path("policy").asText()).isEqualTo("verification");
      JsonNode options = client.registerOptions("alice", true, "preferred", "direct");
      ObjectNode bad = RpClient.JSON.createObjectNode().put("ceremonyId", options.path("ceremonyId").asText());
      bad.putObject("credential").put("id", "AAAA").put("type", "public-key");
      RpClient.Reply garbage = client.post("/api/register/verify", bad);
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.body().path("ok").asBoolean()).isFalse();
      assertThat(garbage.body().path("refusal").path("message").asText()).contains("not a RegistrationResponseJSON");
    }

    @Test
    void unknownCeremony_andAReplayedOne_are400Verification() {
      start(RpPolicy.DEFAULT);
      VirtualKey k = key(MODEL);
      JsonNode options = client.registerOptions("alice", true, "preferred", "direct");
      String credential = k.create(options.path("publicKey").toString(), rp.origin());
      assertThat(client.verify("/api/register/verify", options, credential).status()).isEqualTo(200);
      RpClient.Reply again = client.verify("/api/register/verify", options, credential);
      assertThat(again.status()).isEqualTo(400);
      assertThat(again.body().path("refusal").path("policy").asText()).isEqualTo("verification");
      assertThat(again.body().path("refusal").path("message").asText()).contains("unknown or expired ceremony");
      ObjectNode unknown = RpClient.JSON.createObjectNode().put("ceremonyId", "nope");
      unknown.putObject("credential");
      assertThat(client.post("/api/signin/verify", unknown).status()).isEqualTo(400);
    }

    @Test
    void anExpiredCeremony_isUnknown() {
      AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
      Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
      start(RpServer.builder().ceremonyTimeout(Duration.ofSeconds(60)).clock(clock));
      VirtualKey k = key(MODEL);
      JsonNode options = client.registerOptions("alice", true, "preferred", "direct");
      String credential = k.create(options.path("publicKey").toString(), rp.origin());
      now.set(now.get().plusSeconds(61));
      RpClient.Reply r = client.verify("/api/register/verify", options, credential);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().path("refusal").path("message").asText()).contains("unknown or expired");
    }

    @Test
    void aSignatureForAnotherChallenge_doesNotVerify() {
      start(RpPolicy.DEFAULT);
      VirtualKey k = key(MODEL);
      assertThat(register(k, "alice", true, "preferred", "direct").status()).isEqualTo(200);
      JsonNode first = client.signInOptions("alice", "preferred");
      JsonNode second = client.signInOptions("alice", "preferred");
      String assertion = k.get(first.path("publicKey").toString(), rp.origin());
      RpClient.Reply r = client.verify("/api/signin/verify", second, assertion);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().path("refusal").path("message").asText()).startsWith("the sign-in does not verify");
    }

    @Test
    void policyPut_malformed_is400_andKeepsThePolicy() {
      start(policy("{\"isAttestationEnforced\": true}"));
      RpClient.Reply r = client.send("PUT", "/api/policy", "{\"userVerification\": \"sometimes\"}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().path("message").asText()).contains("userVerification must be one of required, preferred");
      assertThat(client.get("/api/policy").body().path("isAttestationEnforced").asBoolean()).isTrue();
    }

    @Test
    void wrongMethod_is405_unknownPath_is404_andThePageIsServed() {
      start(RpPolicy.DEFAULT);
      assertThat(client.get("/api/register/options").status()).isEqualTo(405);
      assertThat(client.send("DELETE", "/api/policy", null).status()).isEqualTo(405);
      assertThat(client.get("/nowhere").status()).isEqualTo(404);
    }
  }

  @Test
  void thePage_hasTheElementsBrowserTestsDrive_andItsScript() {
    start(RpPolicy.DEFAULT);
    String[] page = client.getText("/");
    assertThat(page[0]).isEqualTo("200");
    assertThat(page[1]).startsWith("text/html");
    for (String id : List.of("username", "discoverable", "uv", "attestation", "register", "signin", "result", "aaguid", "model", "format",
        "chain", "flags", "extensions", "refusal", "policy")) {
      assertThat(page[2]).as(id).contains("id=\"" + id + "\"");
    }
    assertThat(page[2]).contains("data-state=\"idle\"").contains("<script src=\"rp.js\">").doesNotContain("http://", "https://");
    String[] js = client.getText("/rp.js");
    assertThat(js[0]).isEqualTo("200");
    assertThat(js[1]).startsWith("text/javascript");
    assertThat(js[2]).contains("parseCreationOptionsFromJSON").contains("toJSON").contains("/api/register/verify");
  }

  @Test
  void anotherSitesHostHeader_is403_soARebindingPageCannotReachTheApi() throws Exception {
    start(RpPolicy.DEFAULT);
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), rp.port())) {
      s.getOutputStream().write(("GET /api/users HTTP/1.1\r\nHost: evil.example:" + rp.port() + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 403").contains("localhost, 127.0.0.1 or [::1] only");
    }
    assertThat(RpServer.loopbackHost("localhost:8780")).isTrue();
    assertThat(RpServer.loopbackHost("[::1]:8780")).isTrue();
    assertThat(RpServer.loopbackHost("127.0.0.1")).isTrue();
    assertThat(RpServer.loopbackHost("localhost.evil.example")).isFalse();
    assertThat(RpServer.loopbackHost("127.0.0.1:80@evil")).isFalse();
  }

  @Test
  void https_servesUnderItsGeneratedLocalhostCertificate() throws Exception {
    start(RpServer.builder().https(true));
    assertThat(rp.origin()).isEqualTo("https://localhost:" + rp.port());
    var cert = rp.tlsCertificate().orElseThrow();
    var ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("rp", cert);
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    var http = java.net.http.HttpClient.newBuilder().sslContext(ctx).build();
    var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + rp.port() + "/api/policy")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(RpClient.JSON.readTree(r.body()).path("allowedAlgorithms")).hasSize(RpPolicy.SUPPORTED_ALGORITHMS.size());
    List<String> names = cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
    assertThat(names).contains("localhost", "127.0.0.1");
  }
}
