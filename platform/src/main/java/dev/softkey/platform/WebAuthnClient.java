package dev.softkey.platform;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;


/**
 * What a browser does for navigator.credentials.create() and get() with one roaming authenticator
 * (WebAuthn L3 sections 5.1.3 and 5.1.4), over CTAP 2.1 (sections 6.1, 6.2, 6.4, and the platform
 * duties of section 10): JSON options in, checks of origin and RP ID, clientDataJSON, the CTAP
 * call, WebAuthn JSON out.
 *
 * <p>Platform decisions, stated once:
 *
 * <ul>
 *   <li>getInfo (0x04) is read before each ceremony; its options decide rk, uv and the PIN flow.
 *   <li>User verification: a pinUvAuthToken with permission mc (create) or ga (get) bound to the
 *       RP ID is obtained through the {@link PinTokenProvider}. With built-in UV configured and
 *       pinUvAuthToken supported (options.uv and options.pinUvAuthToken true), the token comes
 *       from built-in UV (getPinUvAuthTokenUsingUvWithPermissions), as Chrome and libfido2's
 *       fido_dev_get_uv_token do, asked up to preferredPlatformUvAttempts times while the answer
 *       is CTAP2_ERR_UV_INVALID; when built-in UV is blocked or keeps failing, a PIN set and given
 *       is the fallback. Otherwise, with a PIN set and given, the token comes from the PIN;
 *       otherwise built-in UV without tokens is requested with the "uv" option; "required" with
 *       none of these is NotAllowedError before anything is sent. For create, UV is also done
 *       when the authenticator would demand it (protected by a PIN or built-in UV and not
 *       makeCredUvNotRqd, or rk; CTAP 2.1 section 6.1.2 step 6).
 *   <li>Several discoverable credentials on get(): without a {@link CredentialSelector} the first
 *       one the authenticator returns (its most recent) is taken and no getNextAssertion is sent;
 *       with a selector all are fetched and the selector chooses.
 *   <li>Attestation conveyance as browsers do it (WebAuthn L3 section 5.1.3): "none" (the
 *       default) and "indirect" replace the statement with fmt "none", attStmt {} and a zero
 *       AAGUID (self attestation stays), "direct" and "enterprise" pass it through;
 *       {@link Builder#keepAttestationStatement} passes it through always. Enterprise attestation
 *       (attestation "enterprise") is requested only for the RP IDs given to {@link
 *       Builder#enterpriseAttestation} and only from an authenticator whose ep option is true;
 *       otherwise "enterprise" is treated as "direct".
 *   <li>Extensions (WebAuthn L3 sections 9 and 10, CTAP 2.1 section 12): credProps, prf and the
 *       legacy hmacCreateSecret/hmacGetSecret over hmac-secret (and hmac-secret-mc), largeBlob
 *       over largeBlobKey and authenticatorLargeBlobs, credentialProtectionPolicy, credBlob /
 *       getCredBlob, minPinLength. An authenticator extension input is sent only when getInfo
 *       lists the extension; outputs are in clientExtensionResults.
 *   <li>Errors: CTAP2_ERR_CREDENTIAL_EXCLUDED is InvalidStateError, every other CTAP status
 *       NotAllowedError ({@link CtapErrors}), with the status kept.
 *   <li>excludeCredentials/allowCredentials entries longer than maxCredentialIdLength are dropped,
 *       as Chromium does; lists are not split into batches of maxCredentialCountInList.
 *   <li>Responses are checked as browsers check them: rpIdHash matches the RP ID, an asserted
 *       credential was in the allowList.
 * </ul>
 */
public final class WebAuthnClient {
  private final Ctap ctap;
  private final CreateCeremony create;
  private final GetCeremony get;

  /** How long the client waits for an authenticator that says nothing, when not told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private WebAuthnClient(Builder b) {
    this.ctap = new Ctap(b.transport, b.timeout);
    UserVerification uv = new UserVerification(b.pinTokenProvider);
    this.create = new CreateCeremony(ctap, uv, List.copyOf(b.transports), b.enterprise, b.keepAttestationStatement, b.random);
    this.get = new GetCeremony(ctap, uv, b.credentialSelector, b.transport, b.random);
  }

  public static Builder builder(CtapTransport transport) {
    return new Builder(transport);
  }

  /** Configures a {@link WebAuthnClient}. */
  public static final class Builder {
    private final CtapTransport transport;
    private Optional<PinTokenProvider> pinTokenProvider = Optional.empty();
    private List<String> transports = List.of("usb");
    private Optional<CredentialSelector> credentialSelector = Optional.empty();
    private CreateCeremony.EnterprisePolicy enterprise = CreateCeremony.EnterprisePolicy.NONE;
    private boolean keepAttestationStatement;
    private RandomSource random = RandomSource.secure();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(CtapTransport transport) {
      this.transport = Objects.requireNonNull(transport);
    }

    /** The PIN client used when a PIN is given; without one a PIN cannot be used. */
    public Builder pinTokenProvider(PinTokenProvider p) {
      this.pinTokenProvider = Optional.of(p);
      return this;
    }

    /** What getTransports() reports for new credentials; default ["usb"]. */
    public Builder transports(List<String> t) {
      this.transports = List.copyOf(t);
      return this;
    }

    /** The account picker for get() with several discoverable credentials; default: the first. */
    public Builder credentialSelector(CredentialSelector s) {
      this.credentialSelector = Optional.of(s);
      return this;
    }

    /**
     * The RP IDs this client allows enterprise attestation for, as a browser's enterprise policy
     * does (Chrome's SecurityKeyPermitAttestation list): create() with {@code attestation: "enterprise"} for
     * one of them sends enterpriseAttestation {@code mode} when the authenticator's ep option is
     * true. Default: none, so "enterprise" is treated as "direct".
     *
     * @param mode 2 (platform-managed) or 1 (vendor-facilitated)
     */
    public Builder enterpriseAttestation(java.util.Collection<String> rpIds, long mode) {
      this.enterprise = new CreateCeremony.EnterprisePolicy(java.util.Set.copyOf(rpIds), mode);
      return this;
    }

    /**
     * Pass the authenticator's attestation statement and AAGUID through whatever the conveyance
     * preference, for RP tests that want to see them; default false: "none" and "indirect" are
     * anonymised as browsers do (WebAuthn L3 section 5.1.3).
     */
    public Builder keepAttestationStatement(boolean keep) {
      this.keepAttestationStatement = keep;
      return this;
    }

    /**
     * The randomness of the platform's ephemeral key agreement keys (hmac-secret, hmac-secret-mc);
     * default secure. A seeded source makes requests repeat, for tests only.
     */
    public Builder random(RandomSource r) {
      this.random = Objects.requireNonNull(r);
      return this;
    }

    /**
     * How long the client waits for an in-process authenticator that dropped its reply before it
     * rejects with NotAllowedError, as a browser's ceremony timer would; default {@link
     * #DEFAULT_TIMEOUT}. Transports with a timeout of their own (CTAPHID, hybrid) use theirs.
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("a timeout cannot be negative: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public WebAuthnClient build() {
      return new WebAuthnClient(this);
    }
  }

  /** authenticatorGetInfo (CTAP 2.1 section 6.4). */
  public AuthenticatorInfo getInfo() {
    return ctap.getInfo();
  }

  /** create() from PublicKeyCredentialCreationOptionsJSON (bare or in {"publicKey": ...}). */
  public RegistrationResponse create(String optionsJson, String origin, Optional<String> pin) {
    return create(CreationOptions.fromJson(optionsJson), origin, pin);
  }

  /** create() (WebAuthn L3 section 5.1.3) against the one authenticator behind the transport. */
  public RegistrationResponse create(CreationOptions options, String origin, Optional<String> pin) {
    return create.create(options, origin, pin);
  }

  /** get() from PublicKeyCredentialRequestOptionsJSON (bare or in {"publicKey": ...}). */
  public AuthenticationResponse get(String optionsJson, String origin, Optional<String> pin) {
    return get(RequestOptions.fromJson(optionsJson), origin, pin);
  }

  /** get() (WebAuthn L3 section 5.1.4) against the one authenticator behind the transport. */
  public AuthenticationResponse get(RequestOptions options, String origin, Optional<String> pin) {
    return get.get(options, origin, pin);
  }

  public static Bytes sha256(Bytes data) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(data.unsafeArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
