package dev.softkey.core.control;

import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The part of {@link DeviceControl} the command handlers consult (one per engine, in {@code
 * AuthenticatorEnv.control()}): the non-discoverable credentials the control API injected and the
 * IDs it revoked (the state record {@value #STORE_KEY}), the BE/BS flags it set, the last {@value
 * #MADE_KEPT} non-discoverable credentials this engine made (in memory: their ID is the sealed key,
 * nothing else keeps them), the response overrides, the steered UV verdicts and the event
 * listeners. The engine's lock serialises every call; the methods are synchronized as well, for
 * the few that a transport thread reads (overrides, UV verdicts).
 *
 * <p>Record {@value #STORE_KEY}: a CBOR map with integer keys (never reused): 1 version, 2 the
 * injected credentials (a list of maps: 1 id, 2 rpId, 3 COSE algorithm, 4 the private key sealed
 * with the device's credential-ID codec under the RP ID hash, 5 user handle, 6 signCount, 7 BE, 8
 * BS, 9 user name, 10 display name), 3 the revoked IDs of device-made credentials, 4 flag overrides
 * of device-made credentials (maps: 1 id, 2 BE, 3 BS). authenticatorReset removes it.
 */
public final class ControlState {
  /** The device-state record of injected and revoked non-discoverable credentials. */
  public static final String STORE_KEY = "control.credentials";
  /** How many device-made non-discoverable credentials {@link DeviceControl#credentials} remembers. */
  public static final int MADE_KEPT = 10_000;
  private static final long VERSION = 1;
  private static final System.Logger LOG = System.getLogger(ControlState.class.getName());

  /** BE and BS of one credential. */
  public record Flags(boolean backupEligible, boolean backupState) {}

  /** A non-discoverable credential injected by the control API; {@code sealedKey} is the codec's sealing of its key. */
  record Injected(
      Bytes id,
      String rpId,
      CoseAlgorithm algorithm,
      Bytes sealedKey,
      Optional<Bytes> userHandle,
      long signCount,
      boolean backupEligible,
      boolean backupState,
      Optional<String> userName,
      Optional<String> userDisplayName) {
    Injected withSignCount(long n) {
      return new Injected(id, rpId, algorithm, sealedKey, userHandle, n, backupEligible, backupState, userName, userDisplayName);
    }

    Injected withFlags(boolean be, boolean bs) {
      return new Injected(id, rpId, algorithm, sealedKey, userHandle, signCount, be, bs, userName, userDisplayName);
    }

    @Override
    public String toString() {
      return "Injected[" + rpId + "]";
    }
  }

  /** A non-discoverable credential this engine made, as far as the control API needs it. */
  record Made(Bytes id, String rpId, long signCount, boolean backupEligible, boolean backupState) {}

  private final Profile profile;
  private final DeviceStateStore state;
  private final DeviceKeys keys;
  private final Map<Bytes, Injected> injected = new LinkedHashMap<>();
  private final Set<Bytes> revoked = new LinkedHashSet<>();
  private final Map<Bytes, Flags> flagOverrides = new LinkedHashMap<>();
  private final LinkedHashMap<Bytes, Made> made =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Made> eldest) {
          return size() > MADE_KEPT;
        }
      };
  private final List<Consumer<CredentialEvent>> listeners = new CopyOnWriteArrayList<>();
  private ResponseOverrides overrides = ResponseOverrides.NONE;
  private Optional<Boolean> uvVerdict = Optional.empty();
  private final Deque<Boolean> uvQueue = new ArrayDeque<>();

  public ControlState(Profile profile, DeviceStateStore state, DeviceKeys keys) {
    this.profile = profile;
    this.state = state;
    this.keys = keys;
    state.get(STORE_KEY).ifPresent(this::decode);
  }

  // ---------------------------------------------------------------- lookups for the handlers

  /**
   * The key of a credential the codec did not open: a non-discoverable one the control API
   * injected for this RP (its sealed key opens only under the RP ID hash it was sealed for).
   */
  public synchronized Optional<CredentialIdCodec.Sealed> injected(Bytes id, Bytes rpIdHash) {
    Injected i = injected.get(id);
    if (i == null) {
      return Optional.empty();
    }
    return keys.codec().open(i.sealedKey(), rpIdHash)
        .map(s -> new CredentialIdCodec.Sealed(s.algorithm(), s.key(), false, i.backupEligible()));
  }

  /** Whether {@code id} is a credential the control API injected as non-discoverable. */
  public synchronized boolean isInjected(Bytes id) {
    return injected.containsKey(id);
  }

  /** Whether the control API removed this device-made non-discoverable credential. */
  public synchronized boolean revoked(Bytes id) {
    return revoked.contains(id);
  }

  /**
   * The key of a discoverable credential whose ID this device did not seal (one the control API
   * added with an ID of its choosing): the store's record is the credential. Empty when the record's
   * key does not decode (a damaged record is skipped, not a CTAP1_ERR_OTHER for its whole RP).
   */
  public static Optional<CredentialIdCodec.Sealed> sealedOf(StoredCredential c) {
    try {
      return Optional.of(
          new CredentialIdCodec.Sealed(
              c.algorithm(), CredentialKey.fromPrivateEncoding(c.algorithm(), c.privateKey()), true, c.backupEligible()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** BE/BS the control API set for a non-discoverable credential (injected, or device-made), if any. */
  public synchronized Optional<Flags> flags(Bytes id) {
    Injected i = injected.get(id);
    if (i != null) {
      return Optional.of(new Flags(i.backupEligible(), i.backupState()));
    }
    return Optional.ofNullable(flagOverrides.get(id));
  }

  /** The next signature counter of an injected credential under the profile's counter policy. */
  public synchronized long nextInjectedCounter(Bytes id) {
    Injected i = injected.get(id);
    return switch (profile.credentials().signCounter()) {
      case ZERO -> 0;
      case GLOBAL -> keys.nextGlobalCounter();
      case PER_CREDENTIAL -> {
        long n = (i.signCount() + 1) & 0xFFFFFFFFL;
        injected.put(id, i.withSignCount(n));
        save();
        yield n;
      }
    };
  }

  /** The response overrides in force. */
  public synchronized ResponseOverrides overrides() {
    return overrides;
  }

  /** The steered verdict of the next built-in UV attempt: a queued one first, then the standing one; empty: the sensor decides. */
  public synchronized Optional<Boolean> nextUvVerdict() {
    Boolean q = uvQueue.pollFirst();
    return q != null ? Optional.of(q) : uvVerdict;
  }

  // ---------------------------------------------------------------- what the handlers report

  /** makeCredential stored a discoverable credential. */
  public void addedStored(StoredCredential c) {
    fire(event(CredentialEvent.Type.ADDED, c));
  }

  /** makeCredential made a non-discoverable credential (its ID is its sealed key). */
  public void madeNonResident(Bytes id, String rpId, long signCount, boolean be, boolean bs) {
    synchronized (this) {
      made.put(id, new Made(id, rpId, signCount, be, bs));
      // An ID is fresh randomness: a revoked one does not come back, but be exact anyway.
      if (revoked.remove(id)) {
        save();
      }
    }
    fire(new CredentialEvent(CredentialEvent.Type.ADDED, id, rpId, Optional.empty(), signCount, be, bs));
  }

  /** getAssertion or getNextAssertion signed with a credential; {@code signCount} is the new counter. */
  public void asserted(Bytes id, String rpId, Optional<Bytes> userHandle, long signCount, boolean be, boolean bs) {
    synchronized (this) {
      Made m = made.get(id);
      if (m != null) {
        made.put(id, new Made(id, m.rpId(), signCount, m.backupEligible(), m.backupState()));
      }
    }
    fire(new CredentialEvent(CredentialEvent.Type.ASSERTED, id, rpId, userHandle, signCount, be, bs));
  }

  /** credentialManagement deleted a discoverable credential. */
  public void deletedStored(StoredCredential c) {
    fire(event(CredentialEvent.Type.DELETED, c));
  }

  /** credentialManagement updated a discoverable credential's user. */
  public void updatedStored(StoredCredential c) {
    fire(event(CredentialEvent.Type.UPDATED, c));
  }

  /**
   * authenticatorReset happened: the injected credentials (whose keys the old device secret sealed)
   * and the device-made ones are gone with the stored {@code gone}; each is a DELETED event.
   */
  public void afterReset(List<StoredCredential> gone) {
    List<CredentialEvent> events = new ArrayList<>();
    for (StoredCredential c : gone) {
      events.add(event(CredentialEvent.Type.DELETED, c));
    }
    synchronized (this) {
      for (Injected i : injected.values()) {
        events.add(new CredentialEvent(CredentialEvent.Type.DELETED, i.id(), i.rpId(), i.userHandle(), i.signCount(), i.backupEligible(), i.backupState()));
      }
      for (Made m : made.values()) {
        events.add(new CredentialEvent(CredentialEvent.Type.DELETED, m.id(), m.rpId(), Optional.empty(), m.signCount(), m.backupEligible(), m.backupState()));
      }
      injected.clear();
      revoked.clear();
      flagOverrides.clear();
      made.clear();
      state.remove(STORE_KEY);
    }
    events.forEach(this::fire);
  }

  // ---------------------------------------------------------------- for DeviceControl

  synchronized void putInjected(Injected i) {
    injected.put(i.id(), i);
    revoked.remove(i.id());
    flagOverrides.remove(i.id());
    made.remove(i.id());
    save();
  }

  synchronized Optional<Injected> removeInjected(Bytes id) {
    Injected i = injected.remove(id);
    if (i != null) {
      save();
    }
    return Optional.ofNullable(i);
  }

  synchronized List<Injected> injectedList() {
    return List.copyOf(injected.values());
  }

  synchronized Optional<Injected> injectedEntry(Bytes id) {
    return Optional.ofNullable(injected.get(id));
  }

  synchronized void setInjectedFlags(Bytes id, boolean be, boolean bs) {
    injected.computeIfPresent(id, (k, i) -> i.withFlags(be, bs));
    save();
  }

  synchronized List<Made> madeList() {
    List<Made> out = new ArrayList<>();
    for (Made m : made.values()) {
      Flags f = flagOverrides.get(m.id());
      out.add(f == null ? m : new Made(m.id(), m.rpId(), m.signCount(), f.backupEligible(), f.backupState()));
    }
    return out;
  }

  synchronized Optional<Made> madeEntry(Bytes id) {
    Made m = made.get(id);
    if (m == null) {
      return Optional.empty();
    }
    Flags f = flagOverrides.get(id);
    return Optional.of(f == null ? m : new Made(m.id(), m.rpId(), m.signCount(), f.backupEligible(), f.backupState()));
  }

  /** Revokes a device-made credential: its ID stays sealed, so the next lookup must refuse it. */
  synchronized Optional<Made> revoke(Bytes id) {
    Optional<Made> m = madeEntry(id);
    made.remove(id);
    flagOverrides.remove(id);
    revoked.add(id);
    save();
    return m;
  }

  synchronized void setMadeFlags(Bytes id, boolean be, boolean bs) {
    flagOverrides.put(id, new Flags(be, bs));
    save();
  }

  synchronized void setOverrides(ResponseOverrides o) {
    overrides = java.util.Objects.requireNonNull(o);
  }

  synchronized void setUvVerdict(boolean verified) {
    uvVerdict = Optional.of(verified);
  }

  synchronized void queueUv(List<Boolean> results) {
    for (Boolean b : results) {
      uvQueue.addLast(java.util.Objects.requireNonNull(b));
    }
  }

  AutoCloseable subscribe(Consumer<CredentialEvent> listener) {
    java.util.Objects.requireNonNull(listener);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void fire(CredentialEvent e) {
    for (Consumer<CredentialEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        // A listener's failure is its own; the device carries on (no data in the log).
        LOG.log(Level.WARNING, "credential event listener failed: {0}", ex.getClass().getName());
      }
    }
  }

  static CredentialEvent event(CredentialEvent.Type type, StoredCredential c) {
    return new CredentialEvent(type, c.credentialId(), c.rpId(), Optional.of(c.userId()), c.signCount(), c.backupEligible(), c.backupState());
  }

  // ---------------------------------------------------------------- the record

  private void save() {
    if (injected.isEmpty() && revoked.isEmpty() && flagOverrides.isEmpty()) {
      state.remove(STORE_KEY);
      return;
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, VERSION);
    List<Object> inj = new ArrayList<>();
    for (Injected i : injected.values()) {
      Map<Object, Object> e = new LinkedHashMap<>();
      e.put(1L, i.id());
      e.put(2L, i.rpId());
      e.put(3L, (long) i.algorithm().id());
      e.put(4L, i.sealedKey());
      i.userHandle().ifPresent(u -> e.put(5L, u));
      e.put(6L, i.signCount());
      e.put(7L, i.backupEligible());
      e.put(8L, i.backupState());
      i.userName().ifPresent(u -> e.put(9L, u));
      i.userDisplayName().ifPresent(u -> e.put(10L, u));
      inj.add(e);
    }
    m.put(2L, inj);
    m.put(3L, new ArrayList<Object>(revoked));
    List<Object> fl = new ArrayList<>();
    flagOverrides.forEach((id, f) -> {
      Map<Object, Object> e = new LinkedHashMap<>();
      e.put(1L, id);
      e.put(2L, f.backupEligible());
      e.put(3L, f.backupState());
      fl.add(e);
    });
    m.put(4L, fl);
    state.put(STORE_KEY, CborEncoder.encodeBytes(m));
  }

  private void decode(Bytes stored) {
    try {
      CborMap m = CborDecoder.decodeMap(stored.unsafeArray());
      if (m.longValue(1L) != VERSION) {
        throw new IllegalStateException("unsupported " + STORE_KEY + " record version");
      }
      for (Object o : m.optList(2L).orElse(List.of())) {
        CborMap e = CborMap.asMap(o);
        Injected i =
            new Injected(
                e.bytes(1L), e.text(2L), CoseAlgorithm.fromId(e.longValue(3L)).orElseThrow(), e.bytes(4L), e.optBytes(5L),
                e.longValue(6L), e.optBool(7L).orElse(false), e.optBool(8L).orElse(false), e.optText(9L), e.optText(10L));
        injected.put(i.id(), i);
      }
      for (Object o : m.optList(3L).orElse(List.of())) {
        revoked.add((Bytes) o);
      }
      for (Object o : m.optList(4L).orElse(List.of())) {
        CborMap e = CborMap.asMap(o);
        flagOverrides.put(e.bytes(1L), new Flags(e.optBool(2L).orElse(false), e.optBool(3L).orElse(false)));
      }
    } catch (CtapException | IllegalArgumentException | ClassCastException | java.util.NoSuchElementException e) {
      throw new IllegalStateException("corrupt " + STORE_KEY + " record", e);
    }
  }
}
