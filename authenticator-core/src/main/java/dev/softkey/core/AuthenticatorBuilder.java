package dev.softkey.core;

import dev.softkey.core.ctap2.CommandRegistry;
import dev.softkey.core.extension.AuthenticatorExtension;
import dev.softkey.core.extension.Extensions;
import java.util.ArrayList;
import java.util.List;
import dev.softkey.core.ctap2.DeviceSession;
import dev.softkey.core.ctap2.UnsupportedCommand;
import dev.softkey.core.ctap2.clientpin.ClientPinHandler;
import dev.softkey.core.ctap2.config.ConfigHandler;
import dev.softkey.core.ctap2.getassertion.GetAssertionHandler;
import dev.softkey.core.ctap2.getinfo.GetInfoHandler;
import dev.softkey.core.ctap2.makecredential.MakeCredentialHandler;
import dev.softkey.core.ctap2.reset.ResetHandler;
import dev.softkey.core.ctap2.selection.SelectionHandler;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.pin.Permission;
import java.util.Set;
import java.util.function.Supplier;

import dev.softkey.core.attestation.AttestationProvider;
import dev.softkey.core.attestation.DefaultAttestationProvider;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserVerifier;
import dev.softkey.core.presence.UserVerifiers;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.MemoryStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place an {@link Authenticator} is assembled. Defaults: the generic profile, a memory
 * store, presence always approved, a secure random source, the system clock, {@code ClientPin}
 * for PIN/UV and {@code DefaultAttestationProvider} with softkey's own CA. A profile with built-in
 * UV gets, unless {@link #verifier} or {@link #noEnrolledFingerprint} says otherwise, a sensor with
 * one pre-enrolled template and the same simulated user as the presence policy ({@link
 * UserVerifiers#following}: approve is the enrolled finger, deny another one).
 */
public final class AuthenticatorBuilder {
  private Profile profile = Profiles.defaultProfile();
  private CredentialStore credentials;
  private DeviceStateStore state;
  private UserPresence presence = Presence.approve();
  private Optional<UserVerifier> verifier = Optional.empty();
  /** No verifier was chosen: a profile with built-in UV gets one following the presence policy. */
  private boolean defaultVerifier = true;
  private RandomSource random;
  private Clock clock = Clock.systemUTC();
  private final List<AuthenticatorExtension> extensions = new ArrayList<>();
  private Function<PinContext, PinUvAuthState> pinFactory =
      c -> new ClientPin(c.profile(), c.state(), c.presence(), c.verifier(), c.random(), c.clock(), c.grantablePermissions());
  private Function<AttestationContext, AttestationProvider> attestationFactory =
      c -> new DefaultAttestationProvider(c.profile(), c.state(), c.random(), c.clock());

  /**
   * What a PIN/UV implementation is built from.
   *
   * @param grantablePermissions the permissions of the registered commands (CTAP 2.1 section
   *     6.5.5.7: others are CTAP2_ERR_UNAUTHORIZED_PERMISSION); readable once the authenticator is built
   */
  public record PinContext(
      Profile profile,
      DeviceStateStore state,
      UserPresence presence,
      Optional<UserVerifier> verifier,
      RandomSource random,
      Clock clock,
      Supplier<Set<Permission>> grantablePermissions) {}

  /** What an attestation provider is built from. */
  public record AttestationContext(Profile profile, DeviceStateStore state, RandomSource random, Clock clock) {}

  AuthenticatorBuilder() {}

  public AuthenticatorBuilder profile(Profile p) {
    this.profile = Objects.requireNonNull(p).validate();
    return this;
  }

  /** One object that stores both credentials and device state (MemoryStore, FileStore). */
  public <S extends CredentialStore & DeviceStateStore> AuthenticatorBuilder store(S store) {
    this.credentials = store;
    this.state = store;
    return this;
  }

  public AuthenticatorBuilder credentialStore(CredentialStore s) {
    this.credentials = Objects.requireNonNull(s);
    return this;
  }

  public AuthenticatorBuilder stateStore(DeviceStateStore s) {
    this.state = Objects.requireNonNull(s);
    return this;
  }

  public AuthenticatorBuilder presence(UserPresence p) {
    this.presence = Objects.requireNonNull(p);
    return this;
  }

  /** The fingerprint sensor of a profile with built-in UV (ignored by profiles without it). */
  public AuthenticatorBuilder verifier(UserVerifier v) {
    this.verifier = Optional.of(v);
    this.defaultVerifier = false;
    return this;
  }

  /**
   * A profile with built-in UV whose sensor has no template: getInfo uv is false and built-in UV
   * answers CTAP2_ERR_NOT_ALLOWED (what a Bio key is before bioEnrollment).
   */
  public AuthenticatorBuilder noEnrolledFingerprint() {
    this.verifier = Optional.empty();
    this.defaultVerifier = false;
    return this;
  }

  public AuthenticatorBuilder random(RandomSource r) {
    this.random = Objects.requireNonNull(r);
    return this;
  }

  /** Reproducible keys, IDs and signatures (tests and demos only). */
  public AuthenticatorBuilder seed(long seed) {
    return random(RandomSource.seeded(seed));
  }

  /**
   * Registers an authenticator extension (CTAP 2.1 section 12): getInfo lists it and the
   * makeCredential and getAssertion handlers run it at their extension steps. None by default.
   */
  public AuthenticatorBuilder extension(AuthenticatorExtension e) {
    extensions.add(Objects.requireNonNull(e));
    return this;
  }

  public AuthenticatorBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c);
    return this;
  }

  public AuthenticatorBuilder pin(Function<PinContext, PinUvAuthState> factory) {
    this.pinFactory = Objects.requireNonNull(factory);
    return this;
  }

  public AuthenticatorBuilder attestation(Function<AttestationContext, AttestationProvider> factory) {
    this.attestationFactory = Objects.requireNonNull(factory);
    return this;
  }

  public Authenticator build() {
    if (credentials == null && state == null) {
      MemoryStore m = new MemoryStore();
      credentials = m;
      state = m;
    }
    if (credentials == null || state == null) {
      throw new IllegalStateException("set both a credential store and a device state store");
    }
    RandomSource rnd = random != null ? random : RandomSource.secure();
    if (pinFactory == null || attestationFactory == null) {
      throw new IllegalStateException("PIN and attestation implementations are required");
    }
    CommandRegistry commands = new CommandRegistry();
    Optional<UserVerifier> uv =
        defaultVerifier && profile.getInfo().options().builtInUv() ? Optional.of(UserVerifiers.following(presence)) : verifier;
    PinUvAuthState pin =
        pinFactory.apply(new PinContext(profile, state, presence, uv, rnd, clock, commands::permissions));
    AttestationProvider att = attestationFactory.apply(new AttestationContext(profile, state, rnd, clock));
    DeviceKeys keys = new DeviceKeys(state, rnd);
    AuthenticatorEnv env =
        new AuthenticatorEnv(
            profile, credentials, state, presence, pin, att, keys, rnd, clock, new DeviceSession(clock), new Extensions(extensions));
    registerCommands(commands, env);
    return new Authenticator(env, commands.seal());
  }

  /**
   * Every CTAP2 command and what answers it. A command added to {@code CtapCommand} without a line
   * here fails {@link CommandRegistry#seal()} at the first build.
   */
  private static void registerCommands(CommandRegistry commands, AuthenticatorEnv env) {
    GetAssertionHandler getAssertion = new GetAssertionHandler(env);
    commands
        .register(new MakeCredentialHandler(env))
        .register(getAssertion)
        .register(getAssertion.next())
        .register(new GetInfoHandler(env, commands))
        .register(new ClientPinHandler(env))
        .register(new ResetHandler(env))
        .register(new SelectionHandler(env))
        // Not built yet (CTAP 2.1 sections 6.7, 6.8, 6.10, 6.11): CTAP1_ERR_INVALID_COMMAND.
        .register(new UnsupportedCommand(CtapCommand.BIO_ENROLLMENT))
        .register(new UnsupportedCommand(CtapCommand.BIO_ENROLLMENT_PREVIEW))
        .register(new UnsupportedCommand(CtapCommand.CREDENTIAL_MANAGEMENT))
        .register(new UnsupportedCommand(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW))
        .register(new UnsupportedCommand(CtapCommand.LARGE_BLOBS))
        .register(new ConfigHandler(env));
  }
}
