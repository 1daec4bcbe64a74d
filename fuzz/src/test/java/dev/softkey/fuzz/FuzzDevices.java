package dev.softkey.fuzz;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fresh engines for the fuzz targets: the real engine over a memory store, seeded, with a hand
 * clock, holding one discoverable ES256 credential of example.com (so that getAssertion,
 * credentialManagement and U2F authenticate find something).
 *
 * <p>A fresh engine per input, made cheaply: the profile is parsed, the attestation CA made and the
 * credential registered once per profile (the template); each input gets a new engine over a copy
 * of the template's store, which is the template device after a power cycle. Without the template
 * an input cost about 80 ms under Jazzer's instrumentation (JSON profile, CA, a registration).
 */
final class FuzzDevices {
  private FuzzDevices() {}

  /** The engine, its store and clock. */
  record Device(Authenticator authenticator, SnapshotStore store, MutableClock clock) {
    byte[] process(byte[] request) {
      return authenticator.process(request, OperationContext.INTERNAL);
    }
  }

  private record Template(Profile profile, AttestationCa ca, SnapshotStore.Snapshot contents) {}

  private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

  /** A fresh device of the built-in profile {@code profileId}, the same for every input. */
  static Device fresh(String profileId) {
    Template t = TEMPLATES.computeIfAbsent(profileId, FuzzDevices::template);
    SnapshotStore store = SnapshotStore.of(t.contents());
    MutableClock clock = new MutableClock();
    return new Device(build(t.profile(), t.ca(), store, clock, 43), store, clock);
  }

  private static Template template(String profileId) {
    Profile profile = Profiles.builtIn(profileId).orElseThrow();
    MutableClock clock = new MutableClock();
    AttestationCa ca = AttestationCa.seeded(new MemoryStore(), 42, clock);
    SnapshotStore store = new SnapshotStore();
    CtapTestClient client = new CtapTestClient(build(profile, ca, store, clock, 42));
    CtapStatus made = makeFixtureCredential(client, Map.of("rk", true));
    if (made == CtapStatus.CTAP2_ERR_PUAT_REQUIRED) {
      // a built-in-UV model with alwaysUv: the enrolled finger verifies the user
      made = makeFixtureCredential(client, Map.of("rk", true, "uv", true));
    }
    if (made != CtapStatus.CTAP2_OK) {
      throw new IllegalStateException("fixture credential not made on " + profileId + ": " + made);
    }
    return new Template(profile, ca, store.snapshot());
  }

  private static Authenticator build(Profile profile, AttestationCa ca, SnapshotStore store, MutableClock clock, long seed) {
    return Authenticator.builder()
        .profile(profile)
        .presence(Presence.approve())
        .credentialStore(store)
        .stateStore(store)
        .clock(clock)
        .seed(seed)
        .attestationCa(ca)
        .build();
  }

  private static CtapStatus makeFixtureCredential(CtapTestClient client, Map<Object, Object> options) {
    return client
        .send(
            CtapCommand.MAKE_CREDENTIAL,
            CtapTestClient.makeCredential("example.com", new byte[] {1, 2, 3, 4}, List.of(-7L), options))
        .status();
  }
}
