package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.presence.Presence;
import dev.softkey.ctap.CtapException;
import dev.softkey.platform.WebAuthnException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade's own behaviour: PIN, power cycle, timeout, store directory, trust helpers, closing. */
class VirtualKeyTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static byte flags(JsonNode response) {
    return Base64.getUrlDecoder().decode(response.at("/response/authenticatorData").asText())[32];
  }

  private static void assertNotAllowed(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
  }

  @Test
  void withoutAPinUvRequiredIsRefusedAndWithOneItPasses() throws Exception {
    try (VirtualKey key = VirtualKey.builder().profile("yubikey-5").build()) {
      assertThat(key.hasPin()).isFalse();
      // no PIN on a key without built-in UV: the client cannot verify the user
      assertNotAllowed(() -> key.create(Options.creation(true, "required", "none"), Options.ORIGIN));
      key.setPin("4321");
      JsonNode reg = JSON.readTree(key.create(Options.creation(true, "required", "none"), Options.ORIGIN));
      assertThat(flags(reg) & 0x05).isEqualTo(0x05);
      JsonNode auth = JSON.readTree(key.get(Options.request("required"), Options.ORIGIN));
      assertThat(flags(auth) & 0x05).isEqualTo(0x05);
    }
  }

  @Test
  void aWrongPinIsNotAllowedAndCostsARetry() {
    try (VirtualKey key = VirtualKey.builder().pin("123456").build()) {
      int before = key.pinRetries();
      assertThatThrownBy(() -> key.create(Options.creation(true, "required", "none"), Options.ORIGIN, Optional.of("000000")))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError))
          .hasMessageNotContaining("000000")
          .hasMessageNotContaining("123456");
      assertThat(key.pinRetries()).isEqualTo(before - 1);
      key.create(Options.creation(true, "required", "none"), Options.ORIGIN);
      assertThat(key.pinRetries()).isEqualTo(before);
    }
  }

  @Test
  void changePinMakesTheOldOneWrong() {
    try (VirtualKey key = VirtualKey.builder().pin("123456").build()) {
      key.changePin("654321");
      assertNotAllowed(() -> key.create(Options.creation(true, "required", "none"), Options.ORIGIN, Optional.of("123456")));
      key.create(Options.creation(true, "required", "none"), Options.ORIGIN);
    }
  }

  @Test
  void setPinTwiceAndChangePinWithoutOneAreRefused() {
    try (VirtualKey key = VirtualKey.builder().build()) {
      assertThatThrownBy(() -> key.changePin("123456")).isInstanceOf(IllegalStateException.class);
      key.setPin("123456");
      assertThatThrownBy(() -> key.setPin("999999")).isInstanceOf(CtapException.class);
      assertThatThrownBy(() -> key.setPin("12")).isInstanceOf(CtapException.class);
    }
  }

  @Test
  void aPinTheProfileRefusesFailsTheBuild() {
    assertThatThrownBy(() -> VirtualKey.builder().pin("1").build()).isInstanceOf(CtapException.class).hasMessageNotContaining("\"1\"");
  }

  @Test
  void thePinIsNotInToString() {
    try (VirtualKey key = VirtualKey.builder().seed(5).pin("secret-pin-7788").build()) {
      assertThat(key.toString()).contains("generic", "seed 5", "PIN set").doesNotContain("secret-pin-7788");
    }
  }

  @Test
  void powerCycleKeepsCredentials() throws Exception {
    try (VirtualKey key = VirtualKey.builder().pin("123456").build()) {
      JsonNode reg = JSON.readTree(key.create(Options.creation(true, "required", "none"), Options.ORIGIN));
      key.powerCycle();
      JsonNode auth = JSON.readTree(key.get(Options.request("required"), Options.ORIGIN));
      assertThat(auth.get("id").asText()).isEqualTo(reg.get("id").asText());
    }
  }

  @Test
  void aTouchSlowerThanTheTimeoutIsNotAllowed() {
    try (VirtualKey key =
        VirtualKey.builder().presence(Presence.delayed(Duration.ofSeconds(20), Presence.approve())).timeout(Duration.ofMillis(300)).build()) {
      long t0 = System.nanoTime();
      assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aDeniedTouchIsNotAllowed() {
    try (VirtualKey key = VirtualKey.builder().presence(Presence.deny()).build()) {
      assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
    }
  }

  @Test
  void aStoreDirectoryKeepsCredentialsAcrossKeys(@TempDir Path dir) throws Exception {
    String id;
    try (VirtualKey key = VirtualKey.builder().storeDirectory(dir).build()) {
      id = JSON.readTree(key.create(Options.creation(), Options.ORIGIN)).get("id").asText();
    }
    try (VirtualKey again = VirtualKey.builder().storeDirectory(dir).build()) {
      assertThat(JSON.readTree(again.get(Options.request(), Options.ORIGIN)).get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void badOptionsAreATypeError() {
    try (VirtualKey key = VirtualKey.builder().build()) {
      assertThatThrownBy(() -> key.create("{\"rp\": 5}", Options.ORIGIN))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isIn(WebAuthnException.Name.TypeError, WebAuthnException.Name.SyntaxError));
      assertThatThrownBy(() -> key.create("not json", Options.ORIGIN)).isInstanceOf(WebAuthnException.class);
    }
  }

  @Test
  void anUnknownProfileIsRefused() {
    assertThatThrownBy(() -> VirtualKey.builder().profile("no-such-model")).isInstanceOf(RuntimeException.class).hasMessageContaining("no-such-model");
  }

  @Test
  void trustHelpersHoldTheRootAndOneCrlPerCa() throws Exception {
    try (VirtualKey key = VirtualKey.builder().profile("yubikey-5").seed(9).build()) {
      X509Certificate root = key.attestationRoot();
      assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
      assertThat(root.getBasicConstraints()).isEqualTo(1);
      assertThat(key.attestationRootPem()).startsWith("-----BEGIN CERTIFICATE-----\n");
      assertThat(key.attestationTrustStore().getCertificate("softkey-root")).isEqualTo(root);
      // root's CRL, and the model's vendor intermediate's (made when the key was built)
      assertThat(key.crls()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(key.crls().get(0).getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
      key.crls().get(0).verify(root.getPublicKey());
      assertThat(key.crlStore().getCRLs(null)).hasSize(key.crls().size());
    }
  }

  @Test
  void transportsAreReported() throws Exception {
    try (VirtualKey key = VirtualKey.builder().transports(List.of("usb", "nfc")).build()) {
      JsonNode reg = JSON.readTree(key.create(Options.creation(), Options.ORIGIN));
      assertThat(reg.at("/response/transports").toString()).isEqualTo("[\"usb\",\"nfc\"]");
    }
  }

  @Test
  void keepAttestationPassesTheStatementForAttestationNone() throws Exception {
    try (VirtualKey browserLike = VirtualKey.builder().build();
        VirtualKey keeping = VirtualKey.builder().keepAttestation(true).build()) {
      JsonNode a = JSON.readTree(browserLike.create(Options.creation(), Options.ORIGIN));
      JsonNode b = JSON.readTree(keeping.create(Options.creation(), Options.ORIGIN));
      assertThat(b.at("/response/attestationObject").asText().length()).isGreaterThan(a.at("/response/attestationObject").asText().length() + 200);
    }
  }
}
