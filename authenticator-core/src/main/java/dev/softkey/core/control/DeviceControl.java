package dev.softkey.core.control;

import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Steering one engine from outside CTAP, as WebDriver's virtual authenticator commands (WebAuthn L3
 * section 11) and Chromium's DevTools WebAuthn domain do: inject, list and remove credentials, set
 * their BE/BS flags, the built-in UV verdict, the PIN state and deliberately broken responses, and
 * listen to what happens to credentials. Obtained from {@code Authenticator.control()}, one per
 * engine; every call holds the engine's lock, so it never runs in the middle of a CTAP request (and
 * waits while one waits for the user).
 *
 * <p>Injected discoverable credentials go into the credential store; non-discoverable ones into the
 * state record {@value ControlState#STORE_KEY} (their keys sealed with the device's credential-ID
 * codec). getAssertion and makeCredential's excludeList find them by ID like any other.
 */
public final class DeviceControl {
  /** WebAuthn's limit on a credential ID (section 5.8.3: at most 1023 bytes). */
  public static final int MAX_CREDENTIAL_ID = 1023;

  private final Object lock;
  private final AuthenticatorEnv env;
  private final ControlState control;

  /**
   * Built by the engine.
   *
   * @param lock the engine's request lock
   */
  public DeviceControl(Object lock, AuthenticatorEnv env) {
    this.lock = Objects.requireNonNull(lock);
    this.env = Objects.requireNonNull(env);
    this.control = env.control();
  }

  // ---------------------------------------------------------------- credentials

  /**
   * Adds a credential (WebDriver Add Credential). The PKCS#8 key must decode to {@code
   * c.algorithm()}; a discoverable credential needs a user handle of 1 to 64 bytes and a model with
   * discoverable credentials, and replaces one of the same RP ID and user handle
   * (CTAP2_ERR_KEY_STORE_FULL when there is no room); a credential with the same ID is replaced.
   * IllegalArgumentException for bad input (the message names the member, never key material).
   */
  public VirtualCredential addCredential(VirtualCredential c) {
    Objects.requireNonNull(c);
    if (c.credentialId().isEmpty() || c.credentialId().length() > MAX_CREDENTIAL_ID) {
      throw new IllegalArgumentException("credentialId must be 1.." + MAX_CREDENTIAL_ID + " bytes");
    }
    if (c.rpId().isEmpty()) {
      throw new IllegalArgumentException("rpId must not be empty");
    }
    if (c.signCount() < 0 || c.signCount() > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("signCount must be an unsigned 32-bit value");
    }
    if (c.backupState() && !c.backupEligible()) {
      throw new IllegalArgumentException("backupState requires backupEligibility (WebAuthn L3 section 6.1.3)");
    }
    Pkcs8.Decoded key = Pkcs8.decode(c.privateKeyPkcs8());
    if (key.algorithm() != c.algorithm()) {
      throw new IllegalArgumentException("privateKey is a " + key.algorithm() + " key, not " + c.algorithm());
    }
    c.userHandle().ifPresent(u -> {
      if (u.isEmpty() || u.length() > 64) {
        throw new IllegalArgumentException("userHandle must be 1..64 bytes");
      }
    });
    CredentialKey k = CredentialKey.fromPrivateEncoding(key.algorithm(), key.privateKey());
    synchronized (lock) {
      if (c.residentCredential()) {
        if (!env.profile().getInfo().options().rk()) {
          throw new IllegalArgumentException("this authenticator has no resident keys (hasResidentKey false)");
        }
        Bytes user = c.userHandle().orElseThrow(() -> new IllegalArgumentException("a resident credential needs a userHandle"));
        boolean replacing =
            env.credentials().find(c.credentialId()).isPresent()
                || env.credentials().findByRpId(c.rpId()).stream().anyMatch(s -> s.userId().equals(user));
        if (!replacing && env.credentials().count() >= env.profile().limits().maxResidentCredentials()) {
          throw new CtapException(CtapStatus.CTAP2_ERR_KEY_STORE_FULL, "no room for another discoverable credential");
        }
        control.removeInjected(c.credentialId());
        env.credentials().delete(c.credentialId());
        StoredCredential s =
            new StoredCredential(
                c.credentialId(), c.rpId(), Optional.empty(), user, c.userName(), c.userDisplayName(), key.algorithm(),
                k.privateEncoding(), c.signCount(), c.backupEligible(), c.backupState(), creationTime(), Map.of());
        env.credentials().put(s);
        control.fire(ControlState.event(CredentialEvent.Type.ADDED, s));
      } else {
        env.credentials().delete(c.credentialId());
        Bytes sealed =
            env.keys().codec().seal(
                new CredentialIdCodec.Sealed(key.algorithm(), k, false, c.backupEligible()), DeviceKeys.sha256(utf8(c.rpId())));
        control.putInjected(
            new ControlState.Injected(
                c.credentialId(), c.rpId(), key.algorithm(), sealed, c.userHandle(), c.signCount(), c.backupEligible(),
                c.backupState(), c.userName(), c.userDisplayName()));
        control.fire(
            new CredentialEvent(
                CredentialEvent.Type.ADDED, c.credentialId(), c.rpId(), c.userHandle(), c.signCount(), c.backupEligible(),
                c.backupState()));
      }
    }
    return c;
  }

  /**
   * Every credential this engine knows (WebDriver Get Credentials): the discoverable ones of the
   * store, the injected non-discoverable ones and the last {@value ControlState#MADE_KEPT}
   * non-discoverable ones it made since it started, each with its private key as PKCS#8.
   */
  public List<VirtualCredential> credentials() {
    synchronized (lock) {
      List<VirtualCredential> out = new ArrayList<>();
      for (StoredCredential s : env.credentials().all()) {
        out.add(fromStored(s));
      }
      for (ControlState.Injected i : control.injectedList()) {
        fromInjected(i).ifPresent(out::add);
      }
      for (ControlState.Made m : control.madeList()) {
        fromMade(m).ifPresent(out::add);
      }
      return out;
    }
  }

  /** The credential with this ID, if this engine knows it. */
  public Optional<VirtualCredential> credential(Bytes id) {
    synchronized (lock) {
      Optional<StoredCredential> s = env.credentials().find(id);
      if (s.isPresent()) {
        return Optional.of(fromStored(s.get()));
      }
      Optional<ControlState.Injected> i = control.injectedEntry(id);
      if (i.isPresent()) {
        return fromInjected(i.get());
      }
      return control.madeEntry(id).flatMap(this::fromMade);
    }
  }

  /**
   * Removes a credential (WebDriver Remove Credential): the next getAssertion naming it answers
   * CTAP2_ERR_NO_CREDENTIALS. False if this engine does not know the ID.
   */
  public boolean removeCredential(Bytes id) {
    synchronized (lock) {
      Optional<StoredCredential> s = env.credentials().find(id);
      if (s.isPresent()) {
        env.credentials().delete(id);
        control.fire(ControlState.event(CredentialEvent.Type.DELETED, s.get()));
        return true;
      }
      Optional<ControlState.Injected> i = control.removeInjected(id);
      if (i.isPresent()) {
        ControlState.Injected x = i.get();
        control.fire(
            new CredentialEvent(
                CredentialEvent.Type.DELETED, id, x.rpId(), x.userHandle(), x.signCount(), x.backupEligible(), x.backupState()));
        return true;
      }
      if (control.madeEntry(id).isPresent()) {
        ControlState.Made m = control.revoke(id).orElseThrow();
        control.fire(
            new CredentialEvent(
                CredentialEvent.Type.DELETED, id, m.rpId(), Optional.empty(), m.signCount(), m.backupEligible(), m.backupState()));
        return true;
      }
      return false;
    }
  }

  /** Removes every credential (WebDriver Remove All Credentials). */
  public void clearCredentials() {
    synchronized (lock) {
      for (StoredCredential s : env.credentials().all()) {
        removeCredential(s.credentialId());
      }
      for (ControlState.Injected i : control.injectedList()) {
        removeCredential(i.id());
      }
      for (ControlState.Made m : control.madeList()) {
        removeCredential(m.id());
      }
    }
  }

  /**
   * Sets a credential's BE and BS flags (WebDriver Set Credential Properties): what the
   * authenticatorData of its next assertion carries. An empty value keeps the current one;
   * IllegalArgumentException for an unknown ID or BS without BE.
   */
  public void setCredentialProperties(Bytes id, Optional<Boolean> backupEligible, Optional<Boolean> backupState) {
    synchronized (lock) {
      Optional<StoredCredential> s = env.credentials().find(id);
      if (s.isPresent()) {
        StoredCredential c = s.get();
        boolean be = backupEligible.orElse(c.backupEligible());
        boolean bs = backupState.orElse(c.backupState());
        StoredCredential u =
            new StoredCredential(
                c.credentialId(), c.rpId(), c.rpName(), c.userId(), c.userName(), c.userDisplayName(), c.algorithm(),
                c.privateKey(), c.signCount(), be, bs, c.createdAt(), c.extensionData(), c.userIcon());
        env.credentials().update(u);
        control.fire(ControlState.event(CredentialEvent.Type.UPDATED, u));
        return;
      }
      Optional<ControlState.Injected> i = control.injectedEntry(id);
      if (i.isPresent()) {
        ControlState.Injected x = i.get();
        boolean be = backupEligible.orElse(x.backupEligible());
        boolean bs = backupState.orElse(x.backupState());
        control.setInjectedFlags(id, be, bs);
        control.fire(new CredentialEvent(CredentialEvent.Type.UPDATED, id, x.rpId(), x.userHandle(), x.signCount(), be, bs));
        return;
      }
      Optional<ControlState.Made> m = control.madeEntry(id);
      if (m.isPresent()) {
        ControlState.Made x = m.get();
        boolean be = backupEligible.orElse(x.backupEligible());
        boolean bs = backupState.orElse(x.backupState());
        control.setMadeFlags(id, be, bs);
        control.fire(new CredentialEvent(CredentialEvent.Type.UPDATED, id, x.rpId(), Optional.empty(), x.signCount(), be, bs));
        return;
      }
      throw new IllegalArgumentException("unknown credentialId");
    }
  }

  // ---------------------------------------------------------------- user verification and PIN

  /**
   * The verdict of every built-in UV attempt from now on (WebDriver Set User Verified): true
   * verifies, false fails as a finger the sensor does not know (uvRetries taken,
   * CTAP2_ERR_OPERATION_DENIED / CTAP2_ERR_UV_INVALID as the command says). Until it is called the
   * sensor decides (its finger follows the presence policy: verified by default).
   */
  public void setUserVerified(boolean verified) {
    control.setUvVerdict(verified);
  }

  /** Verdicts consumed one per built-in UV attempt, before the standing one. */
  public void queueUvResults(List<Boolean> results) {
    control.queueUv(List.copyOf(results));
  }

  /** Sets the PIN directly (IllegalArgumentException if it breaks the PIN policy); retries back to maximum. */
  public void setPin(String pin) {
    Objects.requireNonNull(pin);
    synchronized (lock) {
      clientPin().controlSetPin(pin);
    }
  }

  /** Removes the PIN. */
  public void clearPin() {
    synchronized (lock) {
      clientPin().controlClearPin();
    }
  }

  /** Sets pinRetries (0..8; 0 blocks the PIN). */
  public void setPinRetries(int retries) {
    synchronized (lock) {
      clientPin().controlSetPinRetries(retries);
    }
  }

  /** Whether a PIN is set, pinRetries and forcePINChange. */
  public PinStatus pinStatus() {
    synchronized (lock) {
      return new PinStatus(env.pin().isPinSet(), env.pin().pinRetries(), env.pin().forcePinChange());
    }
  }

  private ClientPin clientPin() {
    if (env.pin() instanceof ClientPin cp) {
      return cp;
    }
    throw new IllegalStateException("this engine's PIN implementation is not ClientPin");
  }

  // ---------------------------------------------------------------- overrides and events

  /** Deliberately broken responses from now on ({@link ResponseOverrides#NONE} to stop). */
  public void setResponseOverrides(ResponseOverrides o) {
    control.setOverrides(o);
  }

  public ResponseOverrides responseOverrides() {
    return control.overrides();
  }

  /**
   * Calls {@code listener} synchronously after each change to a credential, on the thread that made
   * it; a listener that throws is logged (its class name) and ignored. Close the result to stop.
   */
  public AutoCloseable subscribe(Consumer<CredentialEvent> listener) {
    return control.subscribe(listener);
  }

  // ---------------------------------------------------------------- helpers

  private VirtualCredential fromStored(StoredCredential s) {
    return new VirtualCredential(
        s.credentialId(), true, s.rpId(), Pkcs8.encode(s.algorithm(), s.privateKey()), Optional.of(s.userId()), s.signCount(),
        s.backupEligible(), s.backupState(), s.userName(), s.userDisplayName(), s.algorithm());
  }

  private Optional<VirtualCredential> fromInjected(ControlState.Injected i) {
    return control.injected(i.id(), DeviceKeys.sha256(utf8(i.rpId())))
        .map(sealed -> new VirtualCredential(
            i.id(), false, i.rpId(), Pkcs8.encode(sealed.algorithm(), sealed.key().privateEncoding()), i.userHandle(),
            i.signCount(), i.backupEligible(), i.backupState(), i.userName(), i.userDisplayName(), sealed.algorithm()));
  }

  private Optional<VirtualCredential> fromMade(ControlState.Made m) {
    return env.keys().codec().open(m.id(), DeviceKeys.sha256(utf8(m.rpId())))
        .map(sealed -> new VirtualCredential(
            m.id(), false, m.rpId(), Pkcs8.encode(sealed.algorithm(), sealed.key().privateEncoding()), Optional.empty(),
            m.signCount(), m.backupEligible(), m.backupState(), Optional.empty(), Optional.empty(), sealed.algorithm()));
  }

  private long creationTime() {
    long now = env.clock().millis();
    List<StoredCredential> all = env.credentials().all();
    return all.isEmpty() ? now : Math.max(now, all.get(0).createdAt() + 1);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
