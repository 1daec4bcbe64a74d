package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.credentialId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Non-discoverable credentials keep the extensions' state inside the sealed ID: with every input
 * this branch builds at its largest, each built-in profile's IDs stay within its
 * maxCredentialIdLength (getInfo 0x08) for each of its algorithms.
 */
class CredentialIdLengthTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"generic", "yubikey-5", "bio"})
  void everyInputAtOnce_fitsTheProfilesMaxCredentialIdLength(String name) {
    Profile p = Profiles.builtIn(name).orElseThrow();
    Map<Object, Object> all = new LinkedHashMap<>();
    all.put("credProtect", 3L);
    all.put("thirdPartyPayment", true); // ignored by a profile without it
    p.extensions().maxCredBlobLength().ifPresent(n -> all.put("credBlob", CredBlobExtensionTest.blob(n)));
    for (CoseAlgorithm alg : p.getInfo().algorithms()) {
      ExtensionKey key = new ExtensionKey(p);
      var r = key.mc(ExtensionKey.RP, new byte[] {1}, false, all, false, alg.id()).ok();
      assertThat(credentialId(r).length()).as(alg.toString()).isLessThanOrEqualTo(p.limits().maxCredentialIdLength());
      assertThat(ExtensionKey.outputs(r)).as(alg.toString()).containsEntry("credProtect", 3L);
    }
  }
}
