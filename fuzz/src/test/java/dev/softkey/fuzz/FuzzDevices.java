package dev.softkey.fuzz;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.util.List;
import java.util.Map;

/** Fresh engines for the fuzz targets: the real engine, a memory store, seeded, a hand clock. */
final class FuzzDevices {
  private FuzzDevices() {}

  /** The engine, its store and clock, and a discoverable credential of example.com already on it. */
  record Device(Authenticator authenticator, SnapshotStore store, MutableClock clock) {
    byte[] process(byte[] request) {
      return authenticator.process(request, OperationContext.INTERNAL);
    }
  }

  /**
   * A fresh device of {@code profileId}, with one discoverable ES256 credential of example.com (so
   * that getAssertion, credentialManagement and U2F authenticate find something), seeded, so every
   * input meets the same device.
   */
  static Device fresh(String profileId) {
    Profile profile = Profiles.builtIn(profileId).orElseThrow();
    SnapshotStore store = new SnapshotStore();
    MutableClock clock = new MutableClock();
    Authenticator a =
        Authenticator.builder()
            .profile(profile)
            .presence(Presence.approve())
            .credentialStore(store)
            .stateStore(store)
            .clock(clock)
            .seed(42)
            .build();
    CtapTestClient client = new CtapTestClient(a);
    CtapStatus made = makeFixtureCredential(client, Map.of("rk", true));
    if (made == CtapStatus.CTAP2_ERR_PUAT_REQUIRED) {
      // a built-in-UV model with alwaysUv: the enrolled finger verifies the user
      made = makeFixtureCredential(client, Map.of("rk", true, "uv", true));
    }
    if (made != CtapStatus.CTAP2_OK) {
      throw new IllegalStateException("fixture credential not made on " + profileId + ": " + made);
    }
    return new Device(a, store, clock);
  }

  private static CtapStatus makeFixtureCredential(CtapTestClient client, Map<Object, Object> options) {
    return client
        .send(
            CtapCommand.MAKE_CREDENTIAL,
            CtapTestClient.makeCredential("example.com", new byte[] {1, 2, 3, 4}, List.of(-7L), options))
        .status();
  }
}
