package dev.softkey.core;

import dev.softkey.core.ctap2.CommandRegistry;
import dev.softkey.core.extension.AuthenticatorExtension;
import dev.softkey.core.extension.BuiltInExtensions;
import dev.softkey.core.extension.Extensions;
import java.util.ArrayList;
import java.util.List;
import dev.softkey.core.ctap2.DeviceSession;
import dev.softkey.core.ctap2.clientpin.ClientPinHandler;
import dev.softkey.core.ctap2.credman.CredentialManagementHandler;
import dev.softkey.core.ctap2.config.ConfigHandler;
import dev.softkey.core.ctap2.getassertion.GetAssertionHandler;
import dev.softkey.core.ctap2.getinfo.GetInfoHandler;
import dev.softkey.core.ctap2.largeblobs.LargeBlobsHandler;
import dev.softkey.core.ctap2.makecredential.MakeCredentialHandler;
import dev.softkey.core.ctap2.reset.ResetHandler;
import dev.softkey.core.ctap2.selection.SelectionHandler;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.pin.Permission;
import java.util.Set;
import java.util.function.Supplier;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.attestation.AttestationProvider;
import dev.softkey.core.attestation.DefaultAttestationProvider;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.ConfigState;
import dev.softkey.core.control.ControlState;
import dev.softkey.core.ctap2.DeviceKeys;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.core.bio.Fingers;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.bio.Template;
import dev.softkey.core.ctap2.bio.BioEnrollmentHandler;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.MemoryStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The one place an {@link Authenticator} is assembled. Defaults: the generic profile, a memory
 * store, presence always approved, a secure random source, the system clock, {@code ClientPin}
 * for PIN/UV and {@code DefaultAttestationProvider} with a fresh in-memory CA ({@link
 * #attestationCa}). A profile with built-in UV gets a {@link FingerprintSensor}; on a new device (no {@code "bio"} record in the state store)
 * it holds one pre-enrolled template unless {@link #noEnrolledFingerprint} says otherwise, and the
 * finger on it is, unless {@link #finger} says otherwise, the same simulated user as the presence
 * policy ({@link Fingers#following}: approve is the enrolled finger and a good sample, deny another
 * finger).
 */
public final class AuthenticatorBuilder {
  private Profile profile = Profiles.defaultProfile();
  private CredentialStore credentials;
  private DeviceStateStore state;
  private UserPresence presence = Presence.approve();
  /** Empty: the finger follows the presence policy. */
  private Optional<SimulatedFinger> finger = Optional.empty();
  private boolean preEnrollFingerprint = true;
  private RandomSource random;
  private Clock clock = Clock.systemUTC();
  private final List<AuthenticatorExtension> extensions = new ArrayList<>();
  private Function<PinContext, PinUvAuthState> pinFactory =
      c -> new ClientPin(c.profile(), c.state(), c.presence(), c.fingerprint(), c.random(), c.clock(), c.grantablePermissions());
  private Function<AttestationContext, AttestationProvider> attestationFactory =
      c -> new DefaultAttestationProvider(c.profile(), c.ca(), c.state());
  /** Empty: a fresh CA per builder ({@link #attestationCa}). */
  private Optional<AttestationCa> attestationCa = Optional.empty();
  /** The seed given to {@link #seed}, for the default CA. */
  private OptionalLong seed = OptionalLong.empty();

  /**
   * What a PIN/UV implementation is built from.
   *
   * @param fingerprint the sensor of a profile with built-in UV, empty without
   * @param grantablePermissions the permissions of the registered commands (CTAP 2.1 section
   *     6.5.5.7: others are CTAP2_ERR_UNAUTHORIZED_PERMISSION); readable once the authenticator is built
   */
  public record PinContext(
      Profile profile,
      DeviceStateStore state,
      UserPresence presence,
      Optional<FingerprintSensor> fingerprint,
      RandomSource random,
      Clock clock,
      Supplier<Set<Permission>> grantablePermissions) {}

  /**
   * What an attestation provider is built from.
   *
   * @param ca the attestation CA ({@link AuthenticatorBuilder#attestationCa})
   */
  public record AttestationContext(Profile profile, DeviceStateStore state, RandomSource random, Clock clock, AttestationCa ca) {}

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

  /** The finger on the fingerprint sensor of a profile with built-in UV (ignored by profiles without it). */
  public AuthenticatorBuilder finger(SimulatedFinger f) {
    this.finger = Optional.of(f);
    return this;
  }

  /**
   * A new device of a profile with built-in UV starts with no template: getInfo uv and bioEnroll
   * are false and built-in UV answers CTAP2_ERR_NOT_ALLOWED until authenticatorBioEnrollment
   * enrolls a finger (what a Bio key is out of the box). Without this, a new device has one
   * pre-enrolled template ({@link FingerprintSensor#defaultTemplate()}). A store that already has
   * the sensor's record keeps what it holds either way.
   */
  public AuthenticatorBuilder noEnrolledFingerprint() {
    this.preEnrollFingerprint = false;
    return this;
  }

  public AuthenticatorBuilder random(RandomSource r) {
    this.random = Objects.requireNonNull(r);
    this.seed = OptionalLong.empty();
    return this;
  }

  /**
   * Reproducible keys, IDs and signatures (tests and demos only); without {@link #attestationCa},
   * the default CA is {@link AttestationCa#seeded} with the same seed, so attestation is
   * reproducible too.
   */
  public AuthenticatorBuilder seed(long seed) {
    random(RandomSource.seeded(seed));
    this.seed = OptionalLong.of(seed);
    return this;
  }

  /**
   * The attestation CA that issues the batch certificates (and the enterprise certificate, kept in
   * the device's state store): pass the installation's CA so that every device an application runs
   * attests under one root. Default: a fresh in-memory CA for each {@link #build()}, {@link AttestationCa#seeded}
   * after {@link #seed}, else {@link AttestationCa#inMemory()} (secure keys, validity from the
   * builder's clock); each such authenticator has its own root. The CA never draws from the device's
   * {@code RandomSource}.
   */
  public AuthenticatorBuilder attestationCa(AttestationCa ca) {
    this.attestationCa = Optional.of(ca);
    return this;
  }

  /**
   * Registers an authenticator extension (CTAP 2.1 section 12) besides the profile's own
   * ({@code profile.extensions()}, built by {@link BuiltInExtensions}): getInfo lists it after
   * them and the makeCredential and getAssertion handlers run it at their extension steps.
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
    Optional<FingerprintSensor> sensor =
        profile.getInfo().options().builtInUv()
            ? Optional.of(
                new FingerprintSensor(
                    profile.management().fingerprint().orElseThrow(),
                    state,
                    finger.orElseGet(() -> Fingers.following(presence)),
                    preEnrollFingerprint ? List.of(FingerprintSensor.defaultTemplate()) : List.<Template>of()))
            : Optional.empty();
    PinUvAuthState pin =
        pinFactory.apply(new PinContext(profile, state, presence, sensor, rnd, clock, commands::permissions));
    AttestationCa ca =
        attestationCa.orElseGet(
            () -> seed.isPresent()
                ? AttestationCa.seeded(new MemoryStore(), seed.getAsLong(), clock)
                : AttestationCa.open(new MemoryStore(), RandomSource.secure(), clock));
    AttestationProvider att = attestationFactory.apply(new AttestationContext(profile, state, rnd, clock, ca));
    DeviceKeys keys = new DeviceKeys(state, rnd);
    ControlState control = new ControlState(profile, state, keys);
    if (pin instanceof ClientPin cp) {
      // Built-in UV attempts first ask the control API's steered verdicts (DeviceControl.setUserVerified).
      cp.steerBuiltInUv(control::nextUvVerdict);
    }
    ConfigState config = new ConfigState(profile, state);
    // The profile's extensions first (getInfo's order), then any the caller registered.
    List<AuthenticatorExtension> all =
        new ArrayList<>(BuiltInExtensions.forProfile(new BuiltInExtensions.Context(profile, pin, config, state, rnd)));
    all.addAll(extensions);
    AuthenticatorEnv env =
        new AuthenticatorEnv(
            profile, credentials, state, presence, pin, att, keys, rnd, clock, new DeviceSession(clock), new Extensions(all),
            sensor, config, control);
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
        .register(BioEnrollmentHandler.forCommand(CtapCommand.BIO_ENROLLMENT, env))
        .register(BioEnrollmentHandler.forCommand(CtapCommand.BIO_ENROLLMENT_PREVIEW, env))
        .register(CredentialManagementHandler.standard(env))
        .register(CredentialManagementHandler.preview(env))
        // Only on models with extensions.largeBlobs; others answer CTAP1_ERR_INVALID_COMMAND.
        .register(new LargeBlobsHandler(env))
        .register(new ConfigHandler(env));
  }
}
