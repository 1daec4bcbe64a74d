package dev.softkey.platform.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.command.CtapOptions;
import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.CredentialDescriptor;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.platform.config.PlatformConfig;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Provisions one security key for one user from a Graph creationOptions response, the way the
 * public provisioning tools do it (YubicoLabs/entraId-register-passkeys-on-behalf-of-users
 * bulkRegistration step2CreateAndActivateCredential.py; JMarkstrom/entra-id-security-key-eobo-enrollment;
 * ../shared/docs/entra.md section 1.4), over CTAP only:
 *
 * <ol>
 *   <li>authenticatorGetInfo (CTAP 2.1 section 6.4).
 *   <li>A key with a PIN is refused unless {@link Settings#reset}; with it, authenticatorReset
 *       (section 6.6), which a key accepts only shortly after power-up (10 s in the spec, 5 s on
 *       YubiKeys before 5.5.2): CTAP2_ERR_NOT_ALLOWED means the key must be re-plugged first.
 *   <li>The key must have the clientPin option and, when the options require a discoverable
 *       credential, options.rk.
 *   <li>excludeCredentials: a silent getAssertion (up false) for rp.id over the list, before the key
 *       is changed; a credential found is CTAP2_ERR_CREDENTIAL_EXCLUDED, InvalidStateError, as
 *       makeCredential would answer (section 6.1.2 step 11), and the key is left as it was.
 *   <li>A random PIN by the {@link PinPolicy}, at least the key's minPINLength digits long;
 *       clientPIN setPIN (section 6.5.5.5).
 *   <li>makeCredential through {@link WebAuthnClient} with origin {@link #ENTRA_ORIGIN}, user
 *       verification by a pinUvAuthToken from that PIN (mc permission, rp.id).
 *   <li>When getInfo has the setMinPINLength option: a pinUvAuthToken with the acfg permission,
 *       authenticatorConfig setMinPINLength(newMinPINLength = the PIN's length), then
 *       setMinPINLength(forceChangePin = true) (section 6.11.4), in YubicoLabs' order with one
 *       token: the new minimum is set while the PIN just set satisfies it, and forceChangePin comes
 *       last because, once forcePINChange is true, the key issues no pinUvAuthToken until the PIN
 *       is changed (section 6.5.5.7: CTAP2_ERR_PIN_POLICY_VIOLATION), so nothing that needs a token
 *       may come after it. Without the option nothing is sent, and the report says so.
 *   <li>The POST body and the report.
 * </ol>
 *
 * <p>The PIN comes from the {@link RandomSource} given (secure by default) and goes only into the
 * report; it is never logged or put in an exception message.
 */
public final class Provisioner {
  /** The origin of Entra ID's passkey ceremonies (entra.md section 1.3). */
  public static final String ENTRA_ORIGIN = "https://login.microsoft.com";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CtapTransport transport;
  private final RandomSource random;

  /**
   * @param transport the key
   * @param random the PIN's digits and the platform's key agreement keys
   */
  public Provisioner(CtapTransport transport, RandomSource random) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * How to provision.
   *
   * @param reset send authenticatorReset first (a key with a PIN is refused without it)
   * @param pinPolicy the PIN's length and banned list
   * @param forcePinChange send setMinPINLength(forceChangePin = true) after the minimum length
   * @param origin the caller origin of makeCredential
   * @param displayName the POST body's displayName; empty: the model's name
   * @param model the model's name for the report; empty: from getInfo
   * @param key the tool's name for the key, for the report
   * @param serial the key's serial number, when known
   */
  public record Settings(
      boolean reset, PinPolicy pinPolicy, boolean forcePinChange, String origin, Optional<String> displayName, Optional<String> model,
      String key, Optional<String> serial) {
    public Settings {
      Objects.requireNonNull(pinPolicy, "pinPolicy");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(serial, "serial");
    }

    /** No reset, six digits with the default banned list, forced PIN change, Entra's origin. */
    public static Settings defaults() {
      return new Settings(false, PinPolicy.defaults(), true, ENTRA_ORIGIN, Optional.empty(), Optional.empty(), "key", Optional.empty());
    }

    public Settings withReset(boolean r) {
      return new Settings(r, pinPolicy, forcePinChange, origin, displayName, model, key, serial);
    }

    public Settings withPinPolicy(PinPolicy p) {
      return new Settings(reset, p, forcePinChange, origin, displayName, model, key, serial);
    }

    public Settings withForcePinChange(boolean f) {
      return new Settings(reset, pinPolicy, f, origin, displayName, model, key, serial);
    }

    public Settings withDisplayName(Optional<String> d) {
      return new Settings(reset, pinPolicy, forcePinChange, origin, d, model, key, serial);
    }

    public Settings withModel(Optional<String> m) {
      return new Settings(reset, pinPolicy, forcePinChange, origin, displayName, m, key, serial);
    }

    public Settings withKey(String k, Optional<String> s) {
      return new Settings(reset, pinPolicy, forcePinChange, origin, displayName, model, k, s);
    }
  }

  /** Provisions the key for the user of {@code options}. */
  public ProvisionResult provision(GraphCreationOptions options, Settings settings) {
    // 0. The RP ID must be one the origin may use (WebAuthn L3 section 5.1.3 step 8), checked before
    //    the key is changed: after setPIN a failed makeCredential leaves a PIN nobody was told.
    checkRpId(options, settings.origin());
    WebAuthnClient plain = WebAuthnClient.builder(transport).random(random).build();
    // 1. authenticatorGetInfo.
    AuthenticatorInfo info = plain.getInfo();
    // 2. A key with a PIN: refused, or reset.
    if (info.isPinSet() && !settings.reset()) {
      throw new ProvisionException(ProvisionException.Step.KEY_HAS_PIN,
          "the key already has a PIN, so it may belong to someone: reset it first (authenticatorReset deletes every credential"
              + " and the PIN) or use a factory-fresh key");
    }
    if (settings.reset()) {
      reset();
      info = plain.getInfo();
    }
    // 3. What Entra's options need of the key.
    if (!info.supportsClientPin()) {
      throw new ProvisionException(ProvisionException.Step.KEY_UNSUITABLE,
          "the key has no clientPin option (authenticatorGetInfo): it cannot be given a PIN, which Entra's userVerification"
              + " \"required\" needs");
    }
    boolean rkRequired = options.publicKey().requireResidentKey() || options.publicKey().residentKey().filter("required"::equals).isPresent();
    if (rkRequired && !info.supportsResidentKeys()) {
      throw new ProvisionException(ProvisionException.Step.KEY_UNSUITABLE,
          "the key cannot store discoverable credentials (authenticatorGetInfo options.rk is not true), which the options require"
              + " (requireResidentKey true)");
    }
    List<Long> algs = options.publicKey().pubKeyCredParams().stream().filter(p -> p.type().equals("public-key"))
        .map(dev.softkey.platform.CreationOptions.CredentialParameters::alg).toList();
    if (!info.algorithms().isEmpty() && info.algorithms().stream().noneMatch(algs::contains)) {
      throw new ProvisionException(ProvisionException.Step.KEY_UNSUITABLE,
          "the key supports none of the algorithms in publicKey.pubKeyCredParams " + algs + " (authenticatorGetInfo algorithms "
              + info.algorithms() + ")");
    }
    // 4. excludeCredentials, before the key is changed.
    if (!info.isPinSet()) {
      checkExcluded(options);
    }
    // 5. The PIN: at least the key's minimum length.
    int length = Math.max(settings.pinPolicy().length(), info.minPinLength().map(Long::intValue).orElse(4));
    PinPolicy policy = settings.pinPolicy().withLength(length);
    String pin = policy.generate(random);
    int protocol = info.pinUvAuthProtocols().contains(2L) ? 2 : info.pinUvAuthProtocols().stream().findFirst().orElse(1L).intValue();
    PlatformPin platformPin = new PlatformPin(transport::transact, protocol, info.supportsPinUvAuthToken(), random);
    try {
      platformPin.setPin(pin);
    } catch (CtapException e) {
      throw new ProvisionException(ProvisionException.Step.SET_PIN,
          "clientPIN setPIN was refused: " + e.status().name() + " (" + e.status().meaning() + ")", Optional.of(e.status()), e);
    }
    // 6. makeCredential, with user verification by the PIN.
    WebAuthnClient client =
        WebAuthnClient.builder(transport).random(random).pinTokenProvider(PinTokenProvider.of(platformPin)).build();
    RegistrationResponse registration;
    try {
      registration = client.create(options.publicKey(), settings.origin(), Optional.of(pin));
    } catch (WebAuthnException e) {
      throw new ProvisionException(ProvisionException.Step.MAKE_CREDENTIAL,
          "makeCredential failed after the PIN was set, so the key now has a PIN nobody was told: provision it again with a reset ("
              + e + ")", e.ctapStatus(), e);
    }
    // 7. authenticatorConfig: the minimum PIN length, then the forced PIN change.
    String config;
    if (info.option("setMinPINLength").orElse(false)) {
      config = configure(platformPin, pin, length, settings.forcePinChange());
    } else {
      config = "not sent: the key's getInfo has no setMinPINLength option, so the PIN cannot be made to change on first use";
    }
    AuthenticatorInfo after = plain.getInfo();
    // 8. The POST body and the report.
    ObjectNode body = postBody(registration, settings.displayName().orElse(settings.model().orElse(modelOf(after))));
    ProvisioningReport report =
        new ProvisioningReport(
            options.userPrincipalName(),
            options.userId().base64Url(),
            body.get("displayName").asText(),
            settings.key(),
            settings.serial(),
            after.aaguidUuid().orElseThrow(),
            settings.model().orElse(modelOf(after)),
            pin,
            registration.rawId().base64Url(),
            attestationFormat(registration),
            after.minPinLength().map(n -> OptionalInt.of(n.intValue())).orElse(OptionalInt.empty()),
            after.forcePinChange(),
            config,
            settings.reset(),
            options.challengeTimeoutDateTime());
    return new ProvisionResult(body, report, registration);
  }

  /**
   * The options' rp.id is the origin's host or a parent domain of it (WebAuthn L3 section 5.1.3
   * step 8, without the public suffix check); else a {@link GraphOptionsException} for
   * publicKey.rp.id. A tool can call this before it opens the key.
   */
  public static void checkRpId(GraphCreationOptions options, String origin) {
    String host = java.net.URI.create(origin).getHost();
    String rpId = options.rpId();
    if (host == null || !(host.equals(rpId) || host.endsWith("." + rpId))) {
      throw new GraphOptionsException("publicKey.rp.id",
          "is " + rpId + ", which the origin " + origin + " cannot use (Entra's passkeys use login.microsoft.com)");
    }
  }

  /** authenticatorReset (0x07); a refusal says what to do next. */
  private void reset() {
    byte[] response = transport.transact(new byte[] {(byte) CtapCommand.RESET.code()});
    int status = response.length == 0 ? CtapStatus.CTAP1_ERR_OTHER.code() : response[0] & 0xFF;
    if (status == CtapStatus.CTAP2_OK.code()) {
      return;
    }
    CtapStatus s = CtapStatus.fromCode(status).orElse(CtapStatus.CTAP1_ERR_OTHER);
    String next =
        switch (s) {
          case CTAP2_ERR_NOT_ALLOWED ->
              "the key accepts authenticatorReset only shortly after power-up (CTAP 2.1 section 6.6: 10 s; YubiKeys before 5.5.2: 5 s):"
                  + " unplug the key, plug it in and provision it again at once";
          case CTAP2_ERR_OPERATION_DENIED, CTAP2_ERR_USER_ACTION_TIMEOUT ->
              "the key was not touched to confirm authenticatorReset: touch it when it blinks";
          case CTAP2_ERR_PIN_AUTH_BLOCKED -> "the key must be power-cycled first: unplug it and plug it in";
          default -> "authenticatorReset failed";
        };
    throw new ProvisionException(ProvisionException.Step.RESET,
        "authenticatorReset was refused with " + s.name() + " (" + s.meaning() + "): " + next, Optional.of(s), null);
  }

  /**
   * A silent getAssertion (up false, no PIN: the key has none yet) over excludeCredentials: a
   * credential found means makeCredential would answer CTAP2_ERR_CREDENTIAL_EXCLUDED.
   */
  private void checkExcluded(GraphCreationOptions options) {
    List<CredentialDescriptor> exclude = options.publicKey().excludeCredentials();
    if (exclude.isEmpty()) {
      return;
    }
    List<PublicKeyCredentialDescriptor> list = new ArrayList<>();
    exclude.forEach(d -> list.add(PublicKeyCredentialDescriptor.publicKey(d.id())));
    GetAssertionRequest silent =
        new GetAssertionRequest(
            options.rpId(), WebAuthnClient.sha256(options.publicKey().challenge()), list, Optional.empty(),
            new CtapOptions(Optional.empty(), Optional.of(false), Optional.empty()), Optional.empty(), Optional.empty());
    byte[] response = transport.transact(silent.encode());
    if (response.length > 0 && (response[0] & 0xFF) == CtapStatus.CTAP2_OK.code()) {
      throw new WebAuthnException(WebAuthnException.Name.InvalidStateError,
          "a credential in publicKey.excludeCredentials is already on the key: this user already has it registered; the key was left"
              + " as it was", Optional.of(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED));
    }
  }

  private String configure(PlatformPin platformPin, String pin, int length, boolean forcePinChange) {
    PlatformConfig config = new PlatformConfig(transport::transact);
    List<String> done = new ArrayList<>();
    try {
      PinToken token = platformPin.getPinUvAuthToken(pin, Set.of(PlatformConfig.PERMISSION), Optional.empty());
      config.setMinPinLength(Optional.of(token), Optional.of(length), List.of(), false);
      done.add("setMinPINLength(newMinPINLength=" + length + ")");
      if (forcePinChange) {
        config.setMinPinLength(Optional.of(token), Optional.empty(), List.of(), true);
        done.add("setMinPINLength(forceChangePin=true)");
      }
    } catch (CtapException e) {
      throw new ProvisionException(ProvisionException.Step.CONFIG,
          "authenticatorConfig failed after the credential was made" + (done.isEmpty() ? "" : " (done: " + String.join("; ", done) + ")")
              + ": " + e.status().name() + " (" + e.status().meaning() + "); the POST body was not written: provision the key again"
              + " with a reset",
          Optional.of(e.status()), e);
    }
    return String.join("; ", done);
  }

  /** The body of POST /users/{id}/authentication/fido2Methods. */
  static ObjectNode postBody(RegistrationResponse r, String displayName) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("displayName", displayName);
    ObjectNode cred = body.putObject("publicKeyCredential");
    cred.put("id", r.rawId().base64Url());
    ObjectNode response = cred.putObject("response");
    response.put("clientDataJSON", r.clientDataJson().base64Url());
    response.put("attestationObject", r.attestationObject().base64Url());
    r.clientExtensionResults().writeJson(cred.putObject("clientExtensionResults"));
    return body;
  }

  private static String attestationFormat(RegistrationResponse r) {
    try {
      return CborDecoder.decodeMap(r.attestationObject().unsafeArray()).text("fmt");
    } catch (CtapException e) {
      throw new WebAuthnException(WebAuthnException.Name.UnknownError, "the attestation object has no fmt: " + e.getMessage());
    }
  }

  /** A name for a key known only by its getInfo. */
  private static String modelOf(AuthenticatorInfo info) {
    return "FIDO2 security key " + info.aaguidUuid().map(Object::toString).orElse(info.aaguid().hex());
  }

}
