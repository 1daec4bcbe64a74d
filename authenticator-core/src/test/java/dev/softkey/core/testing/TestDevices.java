package dev.softkey.core.testing;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;

/** Authenticators for tests: memory store, seeded randomness, a hand-moved clock. */
public final class TestDevices {
  private TestDevices() {}

  /** A device and the parts tests reach into. */
  public record Device(Authenticator authenticator, CtapTestClient client, MemoryStore store, MutableClock clock) {}

  public static Device generic() {
    return build(Profiles.defaultProfile(), dev.softkey.core.presence.Presence.approve());
  }

  public static Device build(Profile profile, UserPresence presence) {
    return build(Authenticator.builder().profile(profile).presence(presence));
  }

  public static Device build(AuthenticatorBuilder b) {
    MemoryStore store = new MemoryStore();
    MutableClock clock = new MutableClock();
    Authenticator a = Defaults.apply(b.store(store).clock(clock).seed(42)).build();
    return new Device(a, new CtapTestClient(a), store, clock);
  }
}
