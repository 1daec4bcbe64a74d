package dev.softkey.testkit;

import dev.softkey.core.Authenticator;
import dev.softkey.core.AuthenticatorBuilder;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.control.DeviceControl;
import dev.softkey.core.control.VirtualCredential;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.SteerablePresence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.NoReplyException;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.pin.PlatformPin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A softkey security key for relying-party tests, in one object: build it from a profile and a
 * seed, run {@link #create} and {@link #get} with the options JSON the RP made and get the
 * response JSON a browser would post back, and trust its attestation root ({@link
 * #attestationRoot()}, {@link #crlStore()}, {@link #attestationTrustStore()}) without reaching into
 * softkey's internals.
 *
 * <p>The ceremonies run softkey's own WebAuthn client ({@link WebAuthnClient}, the client role a
 * browser plays) against the real CTAP engine in-process, so everything an RP sees went through
 * CTAP2 bytes: the PIN protocol, attestation, extensions. A key is one device; it is not
 * thread-safe for concurrent ceremonies (the engine serves one request at a time anyway).
 *
 * <p>Attestation: a seeded key attests under a CA derived from its seed ({@link
 * AttestationCa#seeded}), so keys with the same seed share a root across runs; an unseeded key
 * uses one in-memory CA per JVM ({@link #sharedCa()}), so a test suite trusts a single root. Pass
 * {@link Builder#attestationCa} to choose another.
 *
 * <p>The PIN is a secret: it never appears in {@link #toString()}, logs or exception messages.
 */
public final class VirtualKey implements AutoCloseable {
  private static final class SharedCa {
    static final AttestationCa CA = AttestationCa.inMemory();
  }

  private final Profile profile;
  private final Authenticator engine;
  private final SteerablePresence presence;
  private final FaultPlan faults;
  private final CtapDevice device;
  private final AttestationCa ca;
  private final PlatformPin platformPin;
  private final List<String> transports;
  private final boolean keepAttestation;
  private final Duration timeout;
  private final AutoCloseable resources;
  private final OptionalLong seed;
  private volatile Optional<String> pin = Optional.empty();
  private volatile boolean inCeremony;
  private volatile long deadlineNanos;
  private volatile boolean closed;

  private VirtualKey(Builder b) {
    this.profile = b.profile;
    this.seed = b.seed;
    this.transports = List.copyOf(b.transports);
    this.keepAttestation = b.keepAttestation;
    this.timeout = b.timeout;
    this.ca = b.ca.orElseGet(() -> b.seed.isPresent() ? AttestationCa.seeded(new MemoryStore(), b.seed.getAsLong(), Clock.systemUTC()) : sharedCa());
    RandomSource random = b.seed.isPresent() ? RandomSource.seeded(b.seed.getAsLong()) : RandomSource.secure();
    this.presence = new SteerablePresence(b.presence);
    b.presenceDefault.ifPresent(presence::setDefault);
    AuthenticatorBuilder ab = Authenticator.builder().profile(profile).presence(presence).random(random).attestationCa(ca);
    if (b.storeDirectory.isPresent()) {
      FileStore fs = FileStore.open(b.storeDirectory.get(), Optional.empty());
      ab.store(fs);
      this.resources = fs;
    } else {
      ab.store(new MemoryStore());
      this.resources = () -> {};
    }
    try {
      if (profile.attestation().format() == AttestationFormat.PACKED || profile.attestation().format() == AttestationFormat.FIDO_U2F) {
        // The batch certificate (and so the vendor intermediate and its CRL) exists before the first
        // makeCredential: crls() and the trust helpers then cover the whole chain from the start.
        ca.certificateChain(profile);
      }
      this.engine = ab.build();
    } catch (RuntimeException e) {
      closeQuietly(resources, e);
      throw e;
    }
    this.faults = new FaultPlan(engine);
    this.device = faults;
    int protocol = profile.getInfo().pinUvAuthProtocols().isEmpty() ? 1 : profile.getInfo().pinUvAuthProtocols().get(0);
    this.platformPin =
        new PlatformPin(transport()::transact, protocol, profile.getInfo().supports(CtapVersion.FIDO_2_1), RandomSource.secure());
    if (b.pin.isPresent()) {
      try {
        setPin(b.pin.get());
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
  }

  /** A builder: profile {@code generic}, secure randomness, presence approves, memory store. */
  public static Builder builder() {
    return new Builder();
  }

  /** The one in-memory attestation CA that every unseeded key of this JVM attests under by default. */
  public static AttestationCa sharedCa() {
    return SharedCa.CA;
  }

  /** The requests of one ceremony: cancelled (CTAP2_ERR_KEEPALIVE_CANCEL) once the timeout passed. */
  private CtapTransport transport() {
    OperationContext ctx =
        new OperationContext() {
          @Override
          public void keepalive(KeepaliveStatus status) {}

          @Override
          public boolean isCancelled() {
            return inCeremony && System.nanoTime() - deadlineNanos > 0;
          }

          @Override
          public String transport() {
            return "internal";
          }
        };
    return request -> {
      if (closed) {
        throw new IllegalStateException("this VirtualKey is closed");
      }
      byte[] response = device.process(request, ctx);
      if (CtapDevice.isNoReply(response)) {
        // A dropped reply (a fault plan's dropReply): the ceremony's timer runs out, as a
        // browser's does when its key never answers, and the client rejects with NotAllowedError.
        waitOutCeremony();
        throw new NoReplyException("the key did not answer within the ceremony's timeout of " + timeout.toMillis() + " ms");
      }
      return response;
    };
  }

  private void waitOutCeremony() {
    long left = inCeremony ? deadlineNanos - System.nanoTime() : timeout.toNanos();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private WebAuthnClient client() {
    return WebAuthnClient.builder(transport())
        .transports(transports)
        .keepAttestationStatement(keepAttestation)
        .timeout(timeout)
        .pinTokenProvider(PinTokenProvider.of(platformPin))
        .build();
  }

  /**
   * navigator.credentials.create(): {@code optionsJson} is PublicKeyCredentialCreationOptionsJSON
   * (bare or as {"publicKey": ...}, what an RP library serialises), {@code origin} the calling
   * page's (e.g. {@code https://example.com}); returns RegistrationResponseJSON, what the page
   * posts to the RP. The key's PIN, if set, is used when the options or the key ask for UV.
   *
   * @throws dev.softkey.platform.WebAuthnException with the DOMException name a browser would
   *     reject with (NotAllowedError, InvalidStateError, TypeError, ...)
   */
  public String create(String optionsJson, String origin) {
    return create(optionsJson, origin, pin);
  }

  /** {@link #create(String, String)} with {@code pin} instead of the key's own (a wrong PIN, say). */
  public String create(String optionsJson, String origin, Optional<String> pin) {
    return timed(() -> client().create(optionsJson, origin, pin).toJson());
  }

  /**
   * navigator.credentials.get(): {@code optionsJson} is PublicKeyCredentialRequestOptionsJSON;
   * returns AuthenticationResponseJSON. Errors as {@link #create(String, String)}.
   */
  public String get(String optionsJson, String origin) {
    return get(optionsJson, origin, pin);
  }

  /** {@link #get(String, String)} with {@code pin} instead of the key's own. */
  public String get(String optionsJson, String origin, Optional<String> pin) {
    return timed(() -> client().get(optionsJson, origin, pin).toJson());
  }

  private String timed(java.util.function.Supplier<String> ceremony) {
    deadlineNanos = System.nanoTime() + timeout.toNanos();
    inCeremony = true;
    try {
      return ceremony.get();
    } finally {
      inCeremony = false;
    }
  }

  /**
   * authenticatorClientPIN setPIN on a key without a PIN; from now on ceremonies use it.
   *
   * @throws dev.softkey.ctap.CtapException with the key's status (CTAP2_ERR_PIN_POLICY_VIOLATION
   *     for a PIN the profile's policy refuses, CTAP2_ERR_PIN_AUTH_INVALID when a PIN is set)
   */
  public void setPin(String newPin) {
    Objects.requireNonNull(newPin, "pin");
    platformPin.setPin(newPin);
    pin = Optional.of(newPin);
  }

  /**
   * authenticatorClientPIN changePIN from the PIN this object set to {@code newPin}.
   *
   * @throws IllegalStateException when no PIN was set through this object
   */
  public void changePin(String newPin) {
    Objects.requireNonNull(newPin, "pin");
    String old = pin.orElseThrow(() -> new IllegalStateException("no PIN is set: use setPin"));
    platformPin.changePin(old, newPin);
    pin = Optional.of(newPin);
  }

  /** Whether a PIN was set through this object (the PIN itself is not given out). */
  public boolean hasPin() {
    return pin.isPresent();
  }

  /** getPINRetries: the PIN attempts left before the key blocks. */
  public int pinRetries() {
    return platformPin.pinRetries();
  }

  /**
   * Unplug and plug back: tokens, key agreement keys and pending getNextAssertion state are lost;
   * credentials, the PIN and counters stay.
   */
  public void powerCycle() {
    device.powerCycle();
  }

  /**
   * The key's control surface (what WebDriver's virtual authenticator commands do): inject, list
   * and remove credentials, flip backup flags, steer built-in UV, set the PIN state directly, the
   * response override bits, credential events. A PIN set with {@code control().setPin} is the
   * key's but not this object's: pass it to {@link #create(String, String, Optional)}, or use
   * {@link #setPin}.
   */
  public DeviceControl control() {
    return engine.control();
  }

  /** The credentials the key holds, discoverable and not ({@link DeviceControl#credentials()}). */
  public List<VirtualCredential> credentials() {
    return engine.control().credentials();
  }

  /**
   * The key's "touch": queue answers ({@code presence().queue(List.of(Answer.deny()))}), set a
   * default ({@code setDefault(Answer.approve().after(Duration.ofSeconds(2)))}); without either,
   * the builder's {@link Builder#presence(UserPresence)} answers.
   */
  public SteerablePresence presence() {
    return presence;
  }

  /**
   * The key's fault plan, between the engine and the client: {@code
   * faults().add(FaultRule.status(CtapCommand.MAKE_CREDENTIAL, CtapStatus.CTAP2_ERR_OPERATION_DENIED))}
   * fails the next makeCredential; delays hold a request (the ceremony's timeout cancels it),
   * dropReply makes the ceremony end with NotAllowedError when its timeout passes.
   */
  public FaultPlan faults() {
    return faults;
  }

  /** The profile this key presents. */
  public Profile profile() {
    return profile;
  }

  /** The AAGUID in the key's attested credential data (and its batch certificate). */
  public UUID aaguid() {
    return profile.identity().aaguid();
  }

  /** The seed of the key's randomness, empty for secure randomness. */
  public OptionalLong seed() {
    return seed;
  }

  /**
   * The CTAP device every ceremony of this key goes through (CTAP2 bytes and U2F APDUs): the engine
   * behind {@link #faults()}, for tests that speak CTAP themselves.
   */
  public CtapDevice device() {
    return device;
  }

  /** The attestation CA this key's batch certificate comes from. */
  public AttestationCa attestationCa() {
    return ca;
  }

  /** The root of the key's attestation chain (x5c holds [batch, intermediate]): what an RP trusts. */
  public X509Certificate attestationRoot() {
    return certificate(ca.rootCertificate());
  }

  /** {@link #attestationRoot()} as PEM. */
  public String attestationRootPem() {
    return ca.rootCertificatePem();
  }

  /**
   * The current CRLs of the CA: the root's, then each vendor intermediate's (RFC 5280; they revoke
   * nothing). An RP that checks revocation, as Yubico's does by default, needs them.
   */
  public List<X509CRL> crls() {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509CRL> out = new ArrayList<>();
      for (Bytes der : ca.crls()) {
        out.add((X509CRL) cf.generateCRL(new ByteArrayInputStream(der.toArray())));
      }
      return List.copyOf(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("softkey's CRLs do not parse", e);
    }
  }

  /**
   * A {@code Collection} CertStore of {@link #crls()}: the certStore of Yubico's {@code
   * TrustRootsResult}, so that revocation checking can stay on.
   */
  public CertStore crlStore() {
    try {
      return CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a CertStore", e);
    }
  }

  /**
   * An in-memory PKCS#12 KeyStore holding the root as a trusted certificate entry ({@code
   * softkey-root}): for webauthn4j's {@code KeyStoreTrustAnchorRepository} and anything else that
   * takes a trust store.
   */
  public KeyStore attestationTrustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("softkey-root", attestationRoot());
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a KeyStore", e);
    }
  }

  private static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("softkey's root certificate does not parse", e);
    }
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException cause) {
    try {
      c.close();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }

  /** Closes the store (a file store releases its lock); later ceremonies fail. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the key's store", e);
    }
  }

  @Override
  public String toString() {
    return "VirtualKey[" + profile.id() + (seed.isPresent() ? ", seed " + seed.getAsLong() : "") + (pin.isPresent() ? ", PIN set" : "") + "]";
  }

  /**
   * The seed of virtual user {@code userIndex} in a load test whose run seed is {@code runSeed}:
   * the same two numbers give the same seed on every machine, so a key built with it on one
   * injector opens (and signs for) the non-discoverable credentials another injector's key of the
   * same user registered, with no shared state. SplitMix64's finalizer over both numbers, so
   * neighbouring indexes get unrelated seeds.
   */
  public static long userSeed(long runSeed, long userIndex) {
    long z = runSeed * 0x9E3779B97F4A7C15L + userIndex;
    for (int round = 0; round < 2; round++) {
      z += 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
    }
    return z;
  }

  /** Options of a {@link VirtualKey}; every one has a default. */
  public static final class Builder {
    private Profile profile = Profiles.defaultProfile();
    private OptionalLong seed = OptionalLong.empty();
    private Optional<String> pin = Optional.empty();
    private UserPresence presence = Presence.approve();
    private Optional<SteerablePresence.Answer> presenceDefault = Optional.empty();
    private Optional<Path> storeDirectory = Optional.empty();
    private List<String> transports = List.of("usb");
    private boolean keepAttestation;
    private Duration timeout = Duration.ofSeconds(30);
    private Optional<AttestationCa> ca = Optional.empty();

    private Builder() {}

    /**
     * A built-in profile id ({@code generic}, {@code yubikey-5}, ... as {@code softkey profiles}
     * lists them) or a profile file's path.
     *
     * @throws dev.softkey.core.profile.InvalidProfileException for an unknown id or a bad file
     */
    public Builder profile(String idOrPath) {
      this.profile = Profiles.load(Objects.requireNonNull(idOrPath, "profile"));
      return this;
    }

    /** A profile object (one made with {@code Profile.toBuilder()}, say). */
    public Builder profile(Profile p) {
      this.profile = Objects.requireNonNull(p, "profile");
      return this;
    }

    /**
     * Deterministic randomness: the same seed and the same calls give the same credential IDs,
     * keys and signatures, and an attestation root derived from the seed.
     */
    public Builder seed(long s) {
      this.seed = OptionalLong.of(s);
      return this;
    }

    /** A PIN set (setPIN over CTAP) when the key is built; ceremonies use it. */
    public Builder pin(String p) {
      this.pin = Optional.of(Objects.requireNonNull(p, "pin"));
      return this;
    }

    /**
     * What answers the "touch" when {@link VirtualKey#presence()} has no queued or default answer
     * (default: approve at once).
     */
    public Builder presence(UserPresence p) {
      this.presence = Objects.requireNonNull(p, "presence");
      return this;
    }

    /** The key's default presence answer from the start ({@link SteerablePresence#setDefault}). */
    public Builder presence(SteerablePresence.Answer a) {
      this.presenceDefault = Optional.of(Objects.requireNonNull(a, "answer"));
      return this;
    }

    /** A persistent store (softkey's FileStore) in {@code dir}; default: in memory. */
    public Builder storeDirectory(Path dir) {
      this.storeDirectory = Optional.of(Objects.requireNonNull(dir, "dir"));
      return this;
    }

    /** The transports reported for new credentials (response.transports); default {@code usb}. */
    public Builder transports(List<String> t) {
      this.transports = List.copyOf(t);
      return this;
    }

    /**
     * Pass the attestation statement and AAGUID through whatever the options' attestation
     * preference; default: as browsers do ("none" and "indirect" get fmt "none").
     */
    public Builder keepAttestation(boolean keep) {
      this.keepAttestation = keep;
      return this;
    }

    /** How long one ceremony may wait for the user before it is cancelled (NotAllowedError); default 30 s. */
    public Builder timeout(Duration t) {
      if (t.isNegative() || t.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = t;
      return this;
    }

    /** The CA that issues the batch certificate (share one between keys to trust one root). */
    public Builder attestationCa(AttestationCa c) {
      this.ca = Optional.of(Objects.requireNonNull(c, "ca"));
      return this;
    }

    public VirtualKey build() {
      return new VirtualKey(this);
    }
  }
}
