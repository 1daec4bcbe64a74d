package dev.softkey.rp;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.testkit.VirtualKey;
import java.time.Clock;

/** softkey's own MDS3 BLOB (RS256) for the CA that testkit's unseeded keys share, loaded as the RP loads it. */
final class SoftkeyMetadata {
  private static RpMetadata shared;

  private SoftkeyMetadata() {}

  /** The BLOB of {@link VirtualKey#sharedCa()}, with its CRLs (revocation checking on). */
  static synchronized RpMetadata shared() {
    if (shared == null) {
      try (VirtualKey k = VirtualKey.builder().build()) {
        AttestationCa ca = VirtualKey.sharedCa();
        String jwt = MetadataBlob.of(ca, "RS256", Clock.systemUTC()).export(MetadataBlob.Options.defaults()).jwt();
        shared = RpMetadata.fromBlob(jwt, k.attestationRoot(), k.crls());
      }
    }
    return shared;
  }
}
