package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Same seed, same calls: the same credential ID, public key and attestation root. */
class DeterminismTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode register(long seed) throws Exception {
    try (VirtualKey key = VirtualKey.builder().profile("yubikey-5").seed(seed).build()) {
      return JSON.readTree(key.create(Options.creation(), Options.ORIGIN));
    }
  }

  @Test
  void sameSeedSameCredentialIdAndPublicKey() throws Exception {
    JsonNode a = register(2026);
    JsonNode b = register(2026);
    assertThat(a.get("id").asText()).isNotEmpty().isEqualTo(b.get("id").asText());
    assertThat(a.at("/response/publicKey").asText()).isNotEmpty().isEqualTo(b.at("/response/publicKey").asText());
  }

  @Test
  void anotherSeedAnotherCredential() throws Exception {
    JsonNode a = register(2026);
    JsonNode c = register(2027);
    assertThat(a.get("id").asText()).isNotEqualTo(c.get("id").asText());
    assertThat(a.at("/response/publicKey").asText()).isNotEqualTo(c.at("/response/publicKey").asText());
  }

  @Test
  void sameSeedSameRootAndUnseededKeysShareTheJvmsRoot() {
    try (VirtualKey a = VirtualKey.builder().seed(1).build();
        VirtualKey b = VirtualKey.builder().seed(1).build();
        VirtualKey c = VirtualKey.builder().seed(2).build();
        VirtualKey d = VirtualKey.builder().build();
        VirtualKey e = VirtualKey.builder().profile("yubikey-5").build()) {
      assertThat(a.attestationRoot()).isEqualTo(b.attestationRoot());
      assertThat(a.attestationRootPem()).isEqualTo(b.attestationRootPem());
      assertThat(c.attestationRoot()).isNotEqualTo(a.attestationRoot());
      assertThat(d.attestationRoot()).isEqualTo(e.attestationRoot()).isNotEqualTo(a.attestationRoot());
      assertThat(d.attestationRootPem()).isEqualTo(VirtualKey.sharedCa().rootCertificatePem());
    }
  }

  @Test
  void userSeedsAreStableAndDistinct() {
    assertThat(VirtualKey.userSeed(42, 7)).isEqualTo(VirtualKey.userSeed(42, 7));
    java.util.Set<Long> seeds = new java.util.HashSet<>();
    for (long run = 0; run < 4; run++) {
      for (long user = 0; user < 1000; user++) {
        seeds.add(VirtualKey.userSeed(run, user));
      }
    }
    assertThat(seeds).hasSize(4000);
  }

  @Test
  void aUserRegisteredOnOneInjectorSignsInFromAnother() throws Exception {
    long seed = VirtualKey.userSeed(99, 12);
    JsonNode created;
    try (VirtualKey first = VirtualKey.builder().seed(seed).build()) {
      created = JSON.readTree(first.create(Options.creation(false, "discouraged", "none"), Options.ORIGIN));
    }
    String id = created.get("id").asText();
    try (VirtualKey second = VirtualKey.builder().seed(seed).build();
        VirtualKey stranger = VirtualKey.builder().seed(VirtualKey.userSeed(99, 13)).build()) {
      JsonNode asserted = JSON.readTree(second.get(Options.requestFor(id), Options.ORIGIN));
      assertThat(asserted.get("id").asText()).isEqualTo(id);
      assertThat(asserted.at("/response/signature").asText()).isNotEmpty();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.get(Options.requestFor(id), Options.ORIGIN))
          .isInstanceOf(dev.softkey.platform.WebAuthnException.class);
    }
  }
}
