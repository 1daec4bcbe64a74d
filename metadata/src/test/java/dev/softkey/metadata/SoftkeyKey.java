package dev.softkey.metadata;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import java.util.Optional;

/** A softkey key of one catalogue model, attesting under the test installation's CA. */
final class SoftkeyKey {
  final Profile profile;
  private final WebAuthnClient client;

  SoftkeyKey(TestInstallation inst, String profileId, long seed) {
    this.profile = Profiles.builtIn(profileId).orElseThrow();
    Authenticator a =
        Authenticator.builder().profile(profile).attestationCa(inst.ca).random(RandomSource.seeded(seed)).clock(inst.clock).build();
    CtapTransport transport = req -> a.process(req, OperationContext.INTERNAL);
    this.client = WebAuthnClient.builder(transport).build();
  }

  /** navigator.credentials.create with the RP's options JSON, no PIN. */
  RegistrationResponse create(String optionsJson, String origin) {
    return client.create(optionsJson, origin, Optional.empty());
  }
}
