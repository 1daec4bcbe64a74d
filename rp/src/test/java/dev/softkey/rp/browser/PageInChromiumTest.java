package dev.softkey.rp.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.rp.RpMetadata;
import dev.softkey.rp.RpPolicy;
import dev.softkey.rp.RpServer;
import dev.softkey.testkit.VirtualKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * softkey rp's page, its own JavaScript included, in headless Chromium: the key is Chrome's
 * virtual authenticator (WebDriver's virtual authenticator commands, through Selenium's
 * {@link HasVirtualAuthenticator}), so the browser's real WebAuthn code runs between the page and
 * a CTAP2 device. The page talks to a real {@link RpServer} over HTTP. Screenshots of each step go
 * to target/page-in-chromium/. Needs Debian's chromium and chromium-driver: without them every
 * test fails with one line saying so.
 */
class PageInChromiumTest {
  private static final Duration STEP = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An AAGUID that is not Chrome's virtual authenticator's (a fresh random one). */
  private static final String OTHER_AAGUID = "6f1b3c2e-8d4a-4e0b-9a57-3c1d2e4f5a6b";

  private static ChromeDriver browser;
  private RpServer rp;
  private VirtualAuthenticator key;
  private RpPage page;
  private String testName;

  @BeforeAll
  static void startBrowser() {
    browser = Chromium.start(Chromium.target("chromedriver.log").toPath());
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @AfterEach
  void stop() {
    if (key != null) {
      ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(key);
    }
    if (rp != null) {
      rp.close();
    }
  }

  /** A fresh RP with this policy (and metadata when given), a fresh CTAP2 USB key with UV, and the page. */
  private void start(TestInfo info, RpPolicy policy, RpMetadata metadata) {
    testName = info.getTestMethod().orElseThrow().getName();
    RpServer.Builder b = RpServer.builder().policy(policy);
    if (metadata != null) {
      b.metadata(metadata);
    }
    rp = b.build().start();
    VirtualAuthenticatorOptions o = new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
        .setTransport(VirtualAuthenticatorOptions.Transport.USB).setHasResidentKey(true).setHasUserVerification(true)
        .setIsUserVerified(true).setIsUserConsenting(true);
    key = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(o);
    page = new RpPage(browser, STEP).open(rp.origin());
  }

  private void shot(String step) {
    page.screenshot(Chromium.target(testName + "-" + step + ".png").toPath());
  }

  @Test
  void registers_thenSignsInByUsernameAndDiscoverable(TestInfo info) throws Exception {
    start(info, RpPolicy.DEFAULT, null);
    assertThat(page.state()).isEqualTo("idle");
    shot("0-page");

    assertThat(page.register("alice", true, "preferred", "direct")).as(page.text("refusal")).isEqualTo("ok");
    shot("1-registered");
    String aaguid = page.text("aaguid");
    assertThat(aaguid).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(page.text("format")).contains("packed");
    assertThat(page.text("flags")).contains("UP=1").contains("UV=1");
    List<Credential> made = key.getCredentials();
    assertThat(made).hasSize(1);
    assertThat(made.get(0).isResidentCredential()).isTrue();
    assertThat(made.get(0).getRpId()).isEqualTo("localhost");
    JsonNode users = get("/api/users");
    assertThat(users.toString()).contains("alice");

    assertThat(page.signIn("alice")).as(page.text("refusal")).isEqualTo("ok");
    shot("2-signed-in-by-username");
    assertThat(page.text("aaguid")).isEqualTo(aaguid);

    assertThat(page.signIn(null)).as(page.text("refusal")).isEqualTo("ok");
    shot("3-signed-in-discoverable");
    // Chrome's virtual authenticator counts the registration (the page showed signCount=1) and both
    // assertions, and the page shows the RP's view of the counter.
    assertThat(key.getCredentials()).singleElement().satisfies(c -> assertThat(c.getSignCount()).isEqualTo(3));
    assertThat(page.text("flags")).contains("signCount=3");
  }

  @Test
  void aKeyOutsideTheAllowList_isRefused_withThePolicysMessageOnThePage(TestInfo info) throws Exception {
    RpPolicy allowOther = RpPolicy.parse("{\"keyRestrictions\": {\"isEnforced\": true, \"enforcementType\": \"allow\", \"aaGuids\": [\""
        + OTHER_AAGUID + "\"]}}");
    start(info, allowOther, null);
    assertThat(page.text("policy")).contains(OTHER_AAGUID);

    assertThat(page.register("bob", true, "preferred", "none")).isEqualTo("refused");
    shot("1-refused");
    String aaguid = page.text("aaguid");
    assertThat(page.text("refusal")).contains("is not on the allow list").contains("AAGUID " + aaguid).doesNotContain(OTHER_AAGUID);
    // The browser made a credential; the RP stored nothing.
    assertThat(key.getCredentials()).hasSize(1);
    assertThat(credentialsOf("bob")).as("the RP stored no credential").isZero();
  }

  @Test
  void anUntrustedAttestation_isShownAsPacked_andRefusedWhereThePolicyEnforcesAttestation(TestInfo info) throws Exception {
    RpPolicy enforce = RpPolicy.parse("{\"isAttestationEnforced\": true}");
    start(info, enforce, softkeysMetadata());

    assertThat(page.register("carol", true, "preferred", "direct")).isEqualTo("refused");
    shot("1-refused");
    // Chrome's virtual authenticator attests with a certificate of its own, which softkey's
    // metadata does not list.
    assertThat(page.text("format")).contains("packed");
    assertThat(page.text("refusal")).contains("enforces attestation").contains("not in this site's FIDO metadata");
    assertThat(credentialsOf("carol")).as("the RP stored no credential").isZero();

    rp.policy(RpPolicy.DEFAULT);
    assertThat(page.register("carol", true, "preferred", "direct")).as(page.text("refusal")).isEqualTo("ok");
    shot("2-registered-without-enforcement");
    assertThat(page.text("format")).contains("packed");
    assertThat(page.text("model")).doesNotContain("softkey");
  }

  /** softkey's own MDS3 BLOB (RS256) for testkit's shared CA: metadata in which Chrome's key is absent. */
  private static RpMetadata softkeysMetadata() {
    try (VirtualKey k = VirtualKey.builder().build()) {
      String jwt = MetadataBlob.of(VirtualKey.sharedCa(), "RS256", Clock.systemUTC()).export(MetadataBlob.Options.defaults()).jwt();
      return RpMetadata.fromBlob(jwt, k.attestationRoot(), k.crls());
    }
  }

  /** How many credentials the RP holds for {@code username} (a user appears once options were asked for). */
  private int credentialsOf(String username) throws IOException, InterruptedException {
    int n = 0;
    for (JsonNode u : get("/api/users")) {
      if (u.path("username").asText().equals(username)) {
        n += u.path("credentials").size();
      }
    }
    return n;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rp.origin() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
