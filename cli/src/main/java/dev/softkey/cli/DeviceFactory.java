package dev.softkey.cli;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.MemoryStore;
import java.time.Clock;
import dev.softkey.core.store.StoreException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The one place where the CLI assembles objects from other modules: the authenticator with its
 * profile, store, randomness and presence policy, the PIN client, the attestation CA. Commands get
 * everything through this class, so wiring changes touch nothing else.
 *
 * <p>Every transport a command starts (the in-process client, CTAPHID, the hybrid phone) serves the
 * same {@link CtapDevice}: the engine, passed once through the factory's decorator. That is where
 * a fault plan sits, for all transports at once.
 *
 * <p>Tests subclass this class to put fakes behind the commands.
 */
public class DeviceFactory {
  private final UnaryOperator<CtapDevice> decorator;
  /** One CA per directory and seed, shared by every device this factory opens. */
  private final Map<CaKey, InstallationCa> cas = new HashMap<>();

  private record CaKey(Path dir, OptionalLong seed) {}

  private record InstallationCa(AttestationCa ca, CaStore store) {}

  /** A factory whose devices are the engine itself. */
  public DeviceFactory() {
    this(UnaryOperator.identity());
  }

  /**
   * A factory that wraps each engine it builds with {@code decorator} (e.g. a {@code
   * ForwardingCtapDevice} that injects faults) before any transport sees it.
   */
  public DeviceFactory(UnaryOperator<CtapDevice> decorator) {
    this.decorator = Objects.requireNonNull(decorator, "decorator");
  }

  /**
   * The global options, as parsed.
   *
   * @param storeDir the persistent store directory, empty for an in-memory store
   * @param profileId the profile id or path ({@link Profiles#load})
   * @param seed the seed for deterministic randomness, empty for secure randomness
   * @param presence "approve" or "deny"
   * @param passphraseEnv the name of the environment variable holding the store passphrase
   * @param caDir the installation's attestation CA directory ({@code --ca}; {@link
   *     #defaultCaDir()} unless given)
   */
  public record DeviceOptions(
      Optional<Path> storeDir,
      String profileId,
      OptionalLong seed,
      String presence,
      Optional<String> passphraseEnv,
      boolean preEnrolledFinger,
      Path caDir) {

    public DeviceOptions {
      Objects.requireNonNull(caDir, "caDir");
    }

    /** Options with the default CA directory ({@link #defaultCaDir()}). */
    public DeviceOptions(
        Optional<Path> storeDir, String profileId, OptionalLong seed, String presence, Optional<String> passphraseEnv,
        boolean preEnrolledFinger) {
      this(storeDir, profileId, seed, presence, passphraseEnv, preEnrolledFinger, defaultCaDir());
    }

    /** Options whose new fingerprint sensor (profiles with built-in UV) holds one pre-enrolled template. */
    public DeviceOptions(
        Optional<Path> storeDir, String profileId, OptionalLong seed, String presence, Optional<String> passphraseEnv) {
      this(storeDir, profileId, seed, presence, passphraseEnv, true);
    }

    /** The user presence policy for {@link #presence}. */
    public UserPresence userPresence() {
      return switch (presence.toLowerCase(Locale.ROOT)) {
        case "approve" -> Presence.approve();
        case "deny" -> Presence.deny();
        case "prompt" -> ConsolePresence.shared();
        default -> throw new IllegalArgumentException("--presence must be approve, deny or prompt");
      };
    }

    /**
     * The store passphrase from the environment variable named by {@link #passphraseEnv}; the
     * value is a secret and is never printed.
     */
    public Optional<char[]> passphrase() {
      if (passphraseEnv.isEmpty()) {
        return Optional.empty();
      }
      String v = System.getenv(passphraseEnv.get());
      if (v == null) {
        throw new IllegalArgumentException("environment variable " + passphraseEnv.get() + " (--passphrase-env) is not set; export it with the store's passphrase");
      }
      return Optional.of(v.toCharArray());
    }

    /** The same options with another store directory (one per device in {@code serve --count}). */
    public DeviceOptions withStoreDir(Optional<Path> dir) {
      return new DeviceOptions(dir, profileId, seed, presence, passphraseEnv, preEnrolledFinger, caDir);
    }

    /** The same options with another profile. */
    public DeviceOptions withProfile(String id) {
      return new DeviceOptions(storeDir, id, seed, presence, passphraseEnv, preEnrolledFinger, caDir);
    }

    /** The same options with an in-memory store (for {@code demo}). */
    public DeviceOptions inMemory() {
      return new DeviceOptions(Optional.empty(), profileId, seed, presence, passphraseEnv, preEnrolledFinger, caDir);
    }

    /** The same options with another seed (empty: secure randomness). */
    public DeviceOptions withSeed(OptionalLong s) {
      return new DeviceOptions(storeDir, profileId, s, presence, passphraseEnv, preEnrolledFinger, caDir);
    }

    /** The same options with another presence policy (approve, deny or prompt). */
    public DeviceOptions withPresence(String p) {
      return new DeviceOptions(storeDir, profileId, seed, p, passphraseEnv, preEnrolledFinger, caDir);
    }

    /** The same options with another attestation CA directory. */
    public DeviceOptions withCaDir(Path dir) {
      return new DeviceOptions(storeDir, profileId, seed, presence, passphraseEnv, preEnrolledFinger, dir);
    }
  }

  /**
   * An opened authenticator for one command.
   *
   * @param transport CTAP requests in, responses out ({@code authenticator} with
   *     OperationContext.INTERNAL)
   * @param pinTokenProvider the PIN client for WebAuthn ceremonies
   * @param resources closed when the command ends (stores, files)
   * @param authenticator the device every transport serves: the engine behind the factory's
   *     decorator
   * @param state the engine's state store, for the records a transport keeps itself (the hybrid
   *     phone's identity key and links)
   * @param ca the installation's attestation CA ({@link DeviceFactory#attestationCa}), which the
   *     engine's batch certificates come from
   * @param pinRefusals the PIN retries the key reported after it last refused a PIN on {@code
   *     transport}, for the error line
   */
  public record Device(
      CtapTransport transport,
      Optional<PinTokenProvider> pinTokenProvider,
      AutoCloseable resources,
      Optional<PlatformPin> pin,
      Optional<CtapDevice> authenticator,
      Optional<DeviceStateStore> state,
      Optional<AttestationCa> ca,
      PinRefusals pinRefusals)
      implements AutoCloseable {
    /** A device without the PIN client and engine handles (test fakes). */
    public Device(CtapTransport transport, Optional<PinTokenProvider> pinTokenProvider, AutoCloseable resources) {
      this(transport, pinTokenProvider, resources, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), new PinRefusals());
    }

    @Override
    public void close() throws Exception {
      resources.close();
    }
  }


  /**
   * Builds the authenticator for one command: the profile, the store (memory, or the file store in
   * the directory, encrypted when a passphrase is given), seeded or secure randomness, the presence
   * policy; the PIN client speaks to it through the same CTAP bytes a transport would carry, and
   * like every transport it reaches the engine through the factory's decorator.
   *
   * <p>A store that cannot be opened throws {@link StoreFailure}; so does the transport when a
   * store write failed while it processed a request (the engine itself answers CTAP1_ERR_OTHER).
   */
  public Device open(DeviceOptions o) {
    return open(o, UnaryOperator.identity());
  }

  /**
   * {@link #open(DeviceOptions)} with the builder adjusted by {@code customize} after the options
   * are applied (the simulated finger of {@code bio enroll --samples}).
   */
  public Device open(DeviceOptions o, UnaryOperator<AuthenticatorBuilder> customize) {
    return open(o, customize, engine -> engine);
  }

  /**
   * {@link #open(DeviceOptions, UnaryOperator)} with a chain of its own for this device: {@code
   * chain} gets the engine itself (an {@link Authenticator}) and returns what every transport
   * serves, before the factory's decorator. {@code softkey serve --control} puts the control API's
   * fault plan and tap there ({@code ControlServer.wrap}), one per device.
   */
  public Device open(DeviceOptions o, UnaryOperator<AuthenticatorBuilder> customize, java.util.function.Function<Authenticator, CtapDevice> chain) {
    Profile profile = Profiles.load(o.profileId());
    RandomSource random = o.seed().isPresent() ? RandomSource.seeded(o.seed().getAsLong()) : RandomSource.secure();
    AuthenticatorBuilder b = Authenticator.builder().profile(profile).presence(o.userPresence()).random(random);
    if (!o.preEnrolledFinger()) {
      b.noEnrolledFingerprint();
    }
    b = customize.apply(b);
    InstallationCa installation = installationCa(o);
    b.attestationCa(installation.ca());
    if (profile.attestation().format() == AttestationFormat.PACKED || profile.attestation().format() == AttestationFormat.FIDO_U2F) {
      // The model's attestation needs the installation CA's batch certificate: make (or read) it
      // now, so that an unusable --ca directory is one line naming it when the command starts,
      // not CTAP1_ERR_OTHER at the first makeCredential of a long-running serve or hybrid scan.
      installation.ca().certificateChain(profile);
    }
    AutoCloseable resources;
    DeviceStateStore state;
    Optional<ReportingStore> reporting;
    if (o.storeDir().isEmpty()) {
      MemoryStore m = new MemoryStore();
      b.store(m);
      state = m;
      resources = () -> {};
      reporting = Optional.empty();
    } else {
      Optional<char[]> passphrase = o.passphrase();
      FileStore fs;
      try {
        fs = FileStore.open(o.storeDir().get(), passphrase);
      } catch (StoreException e) {
        throw StoreFailure.opening(o.storeDir().get(), e);
      } finally {
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
      }
      ReportingStore store = new ReportingStore(fs);
      b.store(store);
      state = store;
      resources = store;
      reporting = Optional.of(store);
    }
    CtapDevice chained = Objects.requireNonNull(chain.apply(b.build()), "the chain returned null");
    CtapDevice authenticator = Objects.requireNonNull(decorator.apply(chained), "the decorator returned null");
    // A store write that fails inside the engine comes back as CTAP1_ERR_OTHER; the CLI, being
    // the only user of this transport, reports the store's reason instead. A refused PIN is
    // followed by getPINRetries, so that the error line can say how many tries are left.
    PinRefusals refusals = new PinRefusals();
    CtapTransport transport =
        req -> {
          reporting.ifPresent(ReportingStore::takeFailure);
          installation.store().takeFailure();
          byte[] resp = ReportingStore.reportedByCaller(() -> authenticator.process(req, OperationContext.INTERNAL));
          if (reporting.isPresent()) {
            Optional<StoreFailure> failure = reporting.get().takeFailure();
            if (failure.isPresent()) {
              throw failure.get();
            }
          }
          Optional<StoreFailure> caFailure = installation.store().takeFailure();
          if (caFailure.isPresent()) {
            throw caFailure.get();
          }
          refusals.observe(req, resp, r -> authenticator.process(r, OperationContext.INTERNAL));
          return resp;
        };
    int protocol = profile.getInfo().pinUvAuthProtocols().get(0);
    // getPinUvAuthTokenUsingPinWithPermissions (0x09) only where getInfo reports pinUvAuthToken: CTAP 2.1 models.
    boolean tokenPermissions = profile.getInfo().supports(CtapVersion.FIDO_2_1);
    PlatformPin pin = new PlatformPin(transport::transact, protocol, tokenPermissions, RandomSource.secure());
    PinTokenProvider tokens = PinTokenProvider.of(pin);
    return new Device(
        transport, Optional.of(tokens), resources, Optional.of(pin), Optional.of(authenticator), Optional.of(state),
        Optional.of(installation.ca()), refusals);
  }

  /**
   * The installation's attestation CA: the {@code FileStore} in {@link DeviceOptions#caDir()}, made
   * on first use, shared by every device this factory opens ({@code --store memory} included), so
   * that an RP trusts one root once. Its randomness is its own: secure, or with {@code --seed}
   * derived from the seed ({@link AttestationCa#seeded}, certificates valid from {@link
   * AttestationCa#SEEDED_NOT_BEFORE}), never the device's. The store is opened for each read or
   * write and closed again, so no process holds it; failures throw {@link StoreFailure}.
   */
  public AttestationCa attestationCa(DeviceOptions o) {
    return installationCa(o).ca();
  }

  private synchronized InstallationCa installationCa(DeviceOptions o) {
    CaKey key = new CaKey(o.caDir().toAbsolutePath().normalize(), o.seed());
    return cas.computeIfAbsent(
        key,
        k -> {
          CaStore store = new CaStore(k.dir());
          AttestationCa ca =
              k.seed().isPresent()
                  ? AttestationCa.seeded(store, k.seed().getAsLong(), Clock.systemUTC())
                  : AttestationCa.open(store, RandomSource.secure(), Clock.systemUTC());
          return new InstallationCa(ca, store);
        });
  }

  /** authenticatorClientPIN setPIN through the PIN client (CTAP 2.1 section 6.5.5.5). */
  public void setPin(Device device, String newPin) {
    device.pin().orElseThrow().setPin(newPin);
  }

  /** authenticatorClientPIN changePIN through the PIN client (CTAP 2.1 section 6.5.5.6). */
  public void changePin(Device device, String currentPin, String newPin) {
    device.pin().orElseThrow().changePin(currentPin, newPin);
  }

  /** The installation's attestation root CA certificate, PEM encoded (created on first use). */
  public String exportCaCertificatePem(DeviceOptions o) {
    return attestationCa(o).rootCertificatePem();
  }

  /**
   * The model name of the profile of {@code o}, for reports such as {@code softkey provision}'s: its
   * metadata description (the FIDO metadata statement's, e.g. "YubiKey 5 Series with NFC") with the
   * firmware the profile names, else its identity description.
   */
  public String modelName(DeviceOptions o) {
    Profile p = Profiles.load(o.profileId());
    return p.metadata().description()
        .map(d -> d + p.identity().firmware().map(f -> ", firmware " + f).orElse(""))
        .orElse(p.identity().description());
  }

  /** The built-in profiles, for {@code softkey profiles}. */
  public List<Profile> profiles() {
    return Profiles.allBuiltIn();
  }

  /** The default persistent store ({@link FileStore#defaultDirectory()}). */
  public static Path defaultStoreDir() {
    return FileStore.defaultDirectory();
  }

  /**
   * The default attestation CA directory: {@code ca} under the softkey home ({@link
   * FileStore#defaultDirectory()}); the device store there ignores the subdirectory.
   */
  public static Path defaultCaDir() {
    return FileStore.defaultDirectory().resolve("ca");
  }

}
