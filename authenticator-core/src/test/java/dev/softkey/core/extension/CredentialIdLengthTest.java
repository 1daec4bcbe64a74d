package dev.softkey.core.extension;

import static dev.softkey.core.extension.ExtensionKey.credentialId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Non-discoverable credentials keep the extensions' state inside the sealed ID: with every input
 * this branch builds at its largest, each built-in profile's (the whole catalogue's) IDs stay within its
 * maxCredentialIdLength (getInfo 0x08) for each of its algorithms.
 */
class CredentialIdLengthTest {
  static java.util.stream.Stream<String> builtIns() {
    return Profiles.BUILT_IN.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtIns")
  void everyInputAtOnce_fitsTheProfilesMaxCredentialIdLength(String name) {
    Profile p = Profiles.builtIn(name).orElseThrow();
    // A model whose alwaysUv is on from the factory needs UV for every credential (section 6.1.2
    // step 6), and so does one with an enrolled finger and no makeCredUvNotRqd (steps 7-8).
    boolean uv = p.management().config().map(Profile.Config::alwaysUv).orElse(false)
        || (p.getInfo().options().builtInUv() && !p.getInfo().options().makeCredUvNotRqd());
    Map<Object, Object> all = new LinkedHashMap<>();
    all.put("credProtect", 3L);
    all.put("thirdPartyPayment", true); // ignored by a profile without it
    p.extensions().maxCredBlobLength().ifPresent(n -> all.put("credBlob", CredBlobExtensionTest.blob(n)));
    for (CoseAlgorithm alg : p.getInfo().algorithms()) {
      ExtensionKey key = new ExtensionKey(p);
      if (uv) {
        key.withPin();
      }
      var r = key.mc(ExtensionKey.RP, new byte[] {1}, false, all, uv, alg.id()).ok();
      assertThat(credentialId(r).length()).as(alg.toString()).isLessThanOrEqualTo(p.limits().maxCredentialIdLength());
      if (p.extensions().identifiers().contains("credProtect")) {
        assertThat(ExtensionKey.outputs(r)).as(alg.toString()).containsEntry("credProtect", 3L);
      } else {
        // A model without extensions (the phone passkey providers) ignores the inputs (section 12).
        assertThat(ExtensionKey.outputs(r)).as(alg.toString()).isEmpty();
      }
    }
  }
}
