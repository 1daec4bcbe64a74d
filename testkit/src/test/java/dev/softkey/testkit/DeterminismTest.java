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
}
