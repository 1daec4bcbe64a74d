package dev.softkey.rp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.webauthn.data.ByteArray;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.metadata.MetadataStatements;
import dev.softkey.testkit.VirtualKey;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** softkey's MDS3 BLOB loaded as the RP loads it: verified under its root, CRLs or none, model names. */
class RpMetadataTest {
  private final VirtualKey key = VirtualKey.builder().profile("yubikey-5").build();

  @AfterEach
  void close() {
    key.close();
  }

  private static String blob(AttestationCa ca, String alg) {
    return MetadataBlob.of(ca, alg, Clock.systemUTC()).export(MetadataBlob.Options.defaults()).jwt();
  }

  private static ByteArray bytes(UUID u) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return new ByteArray(b.array());
  }

  @Test
  void softkeysBlob_withCrls_namesEveryPublishedModel() {
    RpMetadata m = RpMetadata.fromBlob(blob(VirtualKey.sharedCa(), "RS256"), key.attestationRoot(), key.crls());
    assertThat(m.revocationChecked()).isTrue();
    assertThat(m.entries()).isEqualTo(MetadataStatements.publishedProfiles().size());
    assertThat(m.number()).isPositive();
    assertThat(m.model(bytes(key.aaguid()))).contains(key.profile().metadata().description().orElse(key.profile().identity().description()));
    assertThat(m.lists(bytes(UUID.fromString("00000000-0000-4000-8000-000000000001")))).isFalse();
  }

  @Test
  void withoutCrls_theBlobsChainCannotBeCheckedForRevocation_andTheMessageSaysSo() {
    assertThatThrownBy(() -> RpMetadata.fromBlob(blob(VirtualKey.sharedCa(), "RS256"), key.attestationRoot(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CRLs were given");
  }

  @Test
  void underAnotherRoot_orEs256_orNotAJws_isRefusedWithTheReason() {
    AttestationCa other = new AttestationCa(new MemoryStore(), RandomSource.seeded(5), Clock.systemUTC());
    assertThatThrownBy(() -> RpMetadata.fromBlob(blob(other, "RS256"), key.attestationRoot(), key.crls()))
        .hasMessageStartingWith("the FIDO metadata BLOB does not verify under the given root");
    // Yubico's downloader misreads the raw r||s of an ES256 JWS (metadata module's notes): refused, not half-loaded
    assertThatThrownBy(() -> RpMetadata.fromBlob(blob(VirtualKey.sharedCa(), "ES256"), key.attestationRoot(), key.crls()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RpMetadata.fromBlob("not a jws", key.attestationRoot(), key.crls())).hasMessageContaining("not a compact JWS");
  }
}
