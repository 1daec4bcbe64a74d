package dev.softkey.core.profile;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The emulated device model, in groups that match the sections of a profile file ({@code
 * docs/profile-schema.md}): who it is, what getInfo reports, its limits, PIN policy, attestation,
 * what new credentials get, its quirks and its USB identity. Loaded from JSON by {@link Profiles};
 * {@link #validate()} names every violated invariant. getInfo is computed from this record plus
 * live state, never written by hand. Variants for tests and tools: {@link #toBuilder()}.
 *
 * @param identity id, description, source and AAGUID
 * @param getInfo the getInfo members that describe the model (versions, algorithms, options ...)
 * @param limits message, list, ID and storage limits
 * @param pinPolicy the PIN rules the model starts with
 * @param attestation what attestation new credentials get
 * @param credentials signature counter and backup flags of new credentials
 * @param management what the model offers to manage it: credential management, authenticatorConfig,
 *     enterprise attestation, the fingerprint sensor for bioEnrollment
 * @param extensions the authenticator extensions the model has and their limits, and large blobs
 * @param quirks where the model departs from the plain reading of the spec
 * @param usb CTAPHID and USB identity
 * @param metadata what softkey's FIDO metadata statement (MDS3) says about the model beyond getInfo
 */
public record Profile(
    Identity identity,
    GetInfo getInfo,
    Limits limits,
    PinPolicy pinPolicy,
    Attestation attestation,
    Credentials credentials,
    Management management,
    ExtensionSupport extensions,
    Quirks quirks,
    UsbIdentity usb,
    Metadata metadata) {

  public Profile {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(getInfo, "getInfo");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(pinPolicy, "pinPolicy");
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(management, "management");
    Objects.requireNonNull(extensions, "extensions");
    Objects.requireNonNull(quirks, "quirks");
    Objects.requireNonNull(usb, "usb");
    Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * @param id short name used on the command line and in store keys ("generic", "yubikey-5")
   * @param description one line for {@code softkey profiles}
   * @param source where the model's values come from (a datasheet, a captured getInfo)
   * @param aaguid the AAGUID (getInfo member aaguid, attested credential data)
   * @param vendor who makes the model ("Yubico", "Feitian"; "softkey" for softkey's own): softkey's
   *     attestation CA issues one intermediate per vendor, and the batch certificates of the
   *     vendor's models under it
   * @param firmware the firmware version as the vendor writes it ("5.4.3"), for {@code softkey
   *     profiles}; empty when the model has none to name
   */
  public record Identity(String id, String description, String source, UUID aaguid, String vendor, Optional<String> firmware) {
    /** The vendor of a profile file that names none. */
    public static final String DEFAULT_VENDOR = "softkey";

    public Identity {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(aaguid, "aaguid");
      Objects.requireNonNull(vendor, "vendor");
      Objects.requireNonNull(firmware, "firmware");
    }

    /** An identity of softkey's own, without a firmware version. */
    public Identity(String id, String description, String source, UUID aaguid) {
      this(id, description, source, aaguid, DEFAULT_VENDOR, Optional.empty());
    }
  }

  /**
   * What getInfo reports about the model (CTAP 2.1 section 6.4); members that depend on live
   * state (clientPin, remainingDiscoverableCredentials ...) are computed by the getInfo handler.
   *
   * @param versions member versions (0x01)
   * @param algorithms member algorithms (0x0A), in order of preference
   * @param pinUvAuthProtocols member pinUvAuthProtocols (0x06), preferred first
   * @param transports member transports (0x09)
   * @param firmwareVersion member firmwareVersion (0x0E); empty: not reported
   * @param options what the model can do that the options member (0x04) reports
   * @param certifications member certifications (0x13): the model's certifications as the FIDO
   *     Metadata Statement's authenticatorGetInfo gives them (certification name to level, e.g.
   *     {@code FIPS-CMVP-2: 2}); informational, nothing depends on it; empty: not reported (an
   *     empty map is reported as an empty map, as the Thales IDPrime FIDO Bio does)
   */
  public record GetInfo(
      List<CtapVersion> versions,
      List<CoseAlgorithm> algorithms,
      List<Integer> pinUvAuthProtocols,
      List<Transport> transports,
      OptionalInt firmwareVersion,
      Options options,
      Optional<Map<String, Integer>> certifications) {
    public GetInfo {
      versions = List.copyOf(versions);
      algorithms = List.copyOf(algorithms);
      pinUvAuthProtocols = List.copyOf(pinUvAuthProtocols);
      transports = List.copyOf(transports);
      Objects.requireNonNull(firmwareVersion, "firmwareVersion");
      Objects.requireNonNull(options, "options");
      certifications = certifications.map(m -> Collections.unmodifiableMap(new TreeMap<>(m)));
    }

    /** A model that reports no certifications. */
    public GetInfo(
        List<CtapVersion> versions,
        List<CoseAlgorithm> algorithms,
        List<Integer> pinUvAuthProtocols,
        List<Transport> transports,
        OptionalInt firmwareVersion,
        Options options) {
      this(versions, algorithms, pinUvAuthProtocols, transports, firmwareVersion, options, Optional.empty());
    }

    /** Whether {@code versions} lists {@code v}. */
    public boolean supports(CtapVersion v) {
      return versions.contains(v);
    }
  }

  /**
   * Capabilities the getInfo options map (CTAP 2.1 section 6.4, member options) reports.
   *
   * @param rk discoverable credentials (option rk)
   * @param builtInUv built-in user verification, a "Bio" model: option uv is reported (true once a
   *     verifier is attached), with uvModality and preferredPlatformUvAttempts; absent otherwise
   * @param makeCredUvNotRqd non-discoverable credentials without UV on a protected key (option
   *     makeCredUvNotRqd)
   */
  public record Options(boolean rk, boolean builtInUv, boolean makeCredUvNotRqd) {}

  /**
   * @param maxMsgSize getInfo maxMsgSize; longer requests get CTAP1_ERR_INVALID_LENGTH
   * @param maxCredentialCountInList getInfo maxCredentialCountInList
   * @param maxCredentialIdLength getInfo maxCredentialIdLength
   * @param maxResidentCredentials how many discoverable credentials fit (then KEY_STORE_FULL)
   */
  public record Limits(int maxMsgSize, int maxCredentialCountInList, int maxCredentialIdLength, int maxResidentCredentials) {}

  /**
   * The PIN rules a new or reset device starts with (CTAP 2.1 section 6.5.1).
   *
   * @param minPinLength initial minimum PIN length in code points (at least 4)
   */
  public record PinPolicy(int minPinLength) {}

  /** @param format what new credentials' attestation statements are */
  public record Attestation(AttestationFormat format) {
    public Attestation {
      Objects.requireNonNull(format, "format");
    }
  }

  /**
   * What authenticator data says about new credentials (WebAuthn L3 section 6.1).
   *
   * @param signCounter the signature counter policy
   * @param backupEligible BE flag of new credentials (a synced passkey provider)
   * @param backupState BS flag of new credentials
   */
  public record Credentials(SignCounter signCounter, boolean backupEligible, boolean backupState) {
    public Credentials {
      Objects.requireNonNull(signCounter, "signCounter");
    }
  }

  /**
   * What the model offers to manage it (CTAP 2.1 sections 6.7, 6.8, 6.11 and 7.1). Each command is
   * answered only when the model has it; otherwise CTAP1_ERR_INVALID_COMMAND and nothing in getInfo.
   *
   * @param credentialManagement authenticatorCredentialManagement: command 0x0A with option credMgmt
   *     on FIDO_2_1 models, the preview command 0x41 with option credentialMgmtPreview on FIDO_2_1_PRE
   *     models (both when both versions are listed); a FIDO_2_1 model with rk must have it
   * @param config authenticatorConfig (option authnrCfg, FIDO_2_1 models); empty: not supported
   * @param enterpriseAttestation enterprise attestation (option ep, section 7.1), enabled through
   *     authenticatorConfig (without {@code config} ep stays false); empty: not capable
   * @param fingerprint the sensor of a model with built-in UV (getInfo.options.builtInUv), which
   *     authenticatorBioEnrollment manages; present exactly when builtInUv is
   * @param bioEnrollment whether authenticatorBioEnrollment (0x09, the prototype 0x40) manages the
   *     {@code fingerprint} sensor over CTAP. false: the model verifies its user itself and offers
   *     no enrollment over CTAP, as a phone passkey provider over hybrid does (its lock screen and
   *     biometrics are the phone's); the sensor is then the phone's built-in UV, enrolled on the
   *     phone, and getInfo has no bioEnroll or userVerificationMgmtPreview option
   */
  public record Management(
      boolean credentialManagement,
      Optional<Config> config,
      Optional<EnterpriseAttestation> enterpriseAttestation,
      Optional<Fingerprint> fingerprint,
      boolean bioEnrollment) {
    public static final Management NONE = new Management(false, Optional.empty(), Optional.empty(), Optional.empty());

    public Management {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(enterpriseAttestation, "enterpriseAttestation");
      Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A model whose fingerprint sensor, if it has one, authenticatorBioEnrollment manages. */
    public Management(
        boolean credentialManagement,
        Optional<Config> config,
        Optional<EnterpriseAttestation> enterpriseAttestation,
        Optional<Fingerprint> fingerprint) {
      this(credentialManagement, config, enterpriseAttestation, fingerprint, true);
    }
  }

  /**
   * authenticatorConfig (CTAP 2.1 section 6.11).
   *
   * @param alwaysUv the alwaysUv option's value on a new or reset device; toggleAlwaysUv is always
   *     supported with authenticatorConfig, so option alwaysUv is reported (true or false) whenever
   *     {@code config} is present
   * @param setMinPinLength the setMinPINLength subcommand (option setMinPINLength)
   * @param maxRpIdsForSetMinPinLength getInfo maxRPIDsForSetMinPINLength: how many RP IDs
   *     minPinLengthRPIDs may name; 0: the member is absent and a list is refused
   * @param uvAcfg option uvAcfg: getPinUvAuthTokenUsingUvWithPermissions may grant the acfg
   *     permission (section 6.4: absent or false, it may not; the token for authenticatorConfig then
   *     comes from the PIN)
   */
  public record Config(boolean alwaysUv, boolean setMinPinLength, int maxRpIdsForSetMinPinLength, boolean uvAcfg) {
    /** Without uvAcfg. */
    public Config(boolean alwaysUv, boolean setMinPinLength, int maxRpIdsForSetMinPinLength) {
      this(alwaysUv, setMinPinLength, maxRpIdsForSetMinPinLength, false);
    }
  }

  /**
   * Enterprise attestation (CTAP 2.1 section 7.1, makeCredential step 9): the modes the model has.
   *
   * @param vendorFacilitatedRpIds mode 1 (vendor-facilitated): the RP IDs the vendor pre-configured;
   *     empty: mode 1 is not supported
   * @param platformManaged mode 2 (platform-managed): any RP ID the platform vouches for
   */
  public record EnterpriseAttestation(List<String> vendorFacilitatedRpIds, boolean platformManaged) {
    public EnterpriseAttestation {
      vendorFacilitatedRpIds = List.copyOf(vendorFacilitatedRpIds);
    }

    /** Mode 1 is supported. */
    public boolean vendorFacilitated() {
      return !vendorFacilitatedRpIds.isEmpty();
    }
  }

  /**
   * The fingerprint sensor (authenticatorBioEnrollment getFingerprintSensorInfo, CTAP 2.1 section
   * 6.7.2).
   *
   * @param kind fingerprintKind: touch or swipe
   * @param samplesForEnrollment maxCaptureSamplesRequiredForEnroll: good samples one enrollment takes
   * @param maxTemplateFriendlyName maxTemplateFriendlyName: bytes of UTF-8 a template's name may have
   * @param maxTemplates how many fingerprints fit (then CTAP2_ERR_FP_DATABASE_FULL)
   * @param preferredPlatformUvAttempts getInfo preferredPlatformUvAttempts (0x11): how often the
   *     platform should call getPinUvAuthTokenUsingUvWithPermissions before falling back to the PIN;
   *     1 lets the authenticator retry internally (section 6.5.5.7.3 step 6)
   * @param uvModality getInfo uvModality (0x12), a FIDO Registry section 3.1 user verification
   *     method bit (2: USER_VERIFY_FINGERPRINT_INTERNAL)
   * @param uvBioEnroll option uvBioEnroll (CTAP 2.1 models): getPinUvAuthTokenUsingUvWithPermissions
   *     may grant the be permission (section 6.4: absent or false, it may not)
   */
  public record Fingerprint(
      FingerprintKind kind,
      int samplesForEnrollment,
      int maxTemplateFriendlyName,
      int maxTemplates,
      int preferredPlatformUvAttempts,
      int uvModality,
      boolean uvBioEnroll) {
    public Fingerprint {
      Objects.requireNonNull(kind, "kind");
    }

    /** A sensor with softkey's own Bio model's UV settings (1 platform attempt, fingerprint, uvBioEnroll). */
    public Fingerprint(FingerprintKind kind, int samplesForEnrollment, int maxTemplateFriendlyName, int maxTemplates) {
      this(kind, samplesForEnrollment, maxTemplateFriendlyName, maxTemplates, 1, 2, true);
    }

    /** The sensor of softkey's own Bio model when a profile says nothing else. */
    public static final Fingerprint DEFAULT = new Fingerprint(FingerprintKind.TOUCH, 4, 15, 5);
  }

  /**
   * The authenticator extensions the model has (CTAP 2.1 section 12 and CTAP 2.2), with their
   * limits, and authenticatorLargeBlobs (section 6.10), which the largeBlobKey extension serves.
   *
   * @param identifiers getInfo member extensions (0x02) in the model's order (real keys differ:
   *     YubiKeys list credProtect, hmac-secret, largeBlobKey, credBlob, minPinLength; Feitian sorts
   *     them); each one of {@link #KNOWN}; empty: the member is absent
   * @param credProtectDefault the credProtect level (1..3) a credential gets when the platform sends
   *     no credProtect input (section 12.1: an authenticator may have a default other than
   *     userVerificationOptional); above 1 needs credProtect listed
   * @param maxCredBlobLength getInfo maxCredBlobLength (0x0F), present exactly when credBlob is
   *     listed, at least 32 (section 6.4)
   * @param largeBlobs authenticatorLargeBlobs (option largeBlobs, getInfo
   *     maxSerializedLargeBlobArray 0x0B), present exactly when largeBlobKey is listed
   */
  public record ExtensionSupport(
      List<String> identifiers, int credProtectDefault, OptionalInt maxCredBlobLength, Optional<LargeBlobs> largeBlobs) {
    /** The extensions softkey builds, in the order a new profile lists them. */
    public static final List<String> KNOWN =
        List.of(
            "credProtect", "hmac-secret", "hmac-secret-mc", "largeBlobKey", "credBlob", "minPinLength", "thirdPartyPayment");

    /** A model without extensions (CTAP 2.0 keys often list only hmac-secret; some none at all). */
    public static final ExtensionSupport NONE = new ExtensionSupport(List.of(), 1, OptionalInt.empty(), Optional.empty());

    public ExtensionSupport {
      identifiers = List.copyOf(identifiers);
      Objects.requireNonNull(maxCredBlobLength, "maxCredBlobLength");
      Objects.requireNonNull(largeBlobs, "largeBlobs");
    }

    /** Whether the model lists extension {@code identifier}. */
    public boolean has(String identifier) {
      return identifiers.contains(identifier);
    }
  }

  /**
   * authenticatorLargeBlobs (CTAP 2.1 section 6.10).
   *
   * @param maxSerializedLargeBlobArray getInfo maxSerializedLargeBlobArray (0x0B): the most bytes the
   *     serialized large-blob array may take, at least 1024; maxFragmentLength is maxMsgSize - 64
   */
  public record LargeBlobs(int maxSerializedLargeBlobArray) {}

  /**
   * @param vendorId USB vendor ID
   * @param productId USB product ID
   * @param manufacturer USB manufacturer string
   * @param product USB product string
   * @param deviceVersion CTAPHID INIT device version: major, minor, build
   * @param capabilities CTAPHID capability flags (WINK 0x01, CBOR 0x04, NMSG 0x08)
   */
  public record UsbIdentity(
      int vendorId, int productId, String manufacturer, String product, List<Integer> deviceVersion, int capabilities) {
    public UsbIdentity {
      Objects.requireNonNull(manufacturer, "manufacturer");
      Objects.requireNonNull(product, "product");
      deviceVersion = List.copyOf(deviceVersion);
    }
  }

  /**
   * What softkey's FIDO metadata statement for the model says beyond getInfo (FIDO Metadata
   * Statement 3.0, section 4; values from the FIDO Registry of Predefined Values). A real model's
   * profile copies its vendor's statement; the defaults describe a software authenticator.
   *
   * @param description the statement's description; empty: {@code identity.description}
   * @param authenticatorVersion the statement's authenticatorVersion; empty: {@code
   *     getInfo.firmwareVersion}, or 1 without one
   * @param keyProtection keyProtection values (software, hardware, tee, secure_element,
   *     remote_handle)
   * @param matcherProtection matcherProtection values (software, tee, on_chip)
   * @param attachmentHint attachmentHint values (internal, external, wired, wireless, nfc,
   *     bluetooth, network, ready, wifi_direct)
   * @param cryptoStrength the statement's cryptoStrength in bits; empty: not stated
   * @param published whether {@code softkey mds export} writes a statement for the model (false
   *     for models absent from the FIDO MDS, such as phone passkey providers)
   */
  public record Metadata(
      Optional<String> description,
      OptionalInt authenticatorVersion,
      List<String> keyProtection,
      List<String> matcherProtection,
      List<String> attachmentHint,
      OptionalInt cryptoStrength,
      boolean published) {
    /** keyProtection values of the FIDO Registry of Predefined Values, section 3.2. */
    public static final List<String> KEY_PROTECTION = List.of("software", "hardware", "tee", "secure_element", "remote_handle");

    /** matcherProtection values of the FIDO Registry, section 3.3. */
    public static final List<String> MATCHER_PROTECTION = List.of("software", "tee", "on_chip");

    /** attachmentHint values of the FIDO Registry, section 3.4. */
    public static final List<String> ATTACHMENT_HINT =
        List.of("internal", "external", "wired", "wireless", "nfc", "bluetooth", "network", "ready", "wifi_direct");

    /** A software roaming authenticator on USB, published. */
    public static final Metadata DEFAULT =
        new Metadata(Optional.empty(), OptionalInt.empty(), List.of("software"), List.of("software"), List.of("external", "wired"), OptionalInt.empty(), true);

    public Metadata {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(authenticatorVersion, "authenticatorVersion");
      keyProtection = List.copyOf(keyProtection);
      matcherProtection = List.copyOf(matcherProtection);
      attachmentHint = List.copyOf(attachmentHint);
      Objects.requireNonNull(cryptoStrength, "cryptoStrength");
    }
  }

  /** The profile's short name ({@code identity().id()}), used in logs, store keys and the CLI. */
  public String id() {
    return identity.id();
  }

  /** Checks the invariants; throws {@link InvalidProfileException} naming every violation. */
  public Profile validate() {
    List<String> errors = new ArrayList<>();
    if (!identity.id().matches("[a-z0-9][a-z0-9-]*")) {
      errors.add("identity.id must be lower-case letters, digits and dashes");
    }
    List<CtapVersion> versions = getInfo.versions();
    if (new HashSet<>(versions).size() != versions.size()) {
      errors.add("getInfo.versions must not repeat a version");
    }
    if (!getInfo.supports(CtapVersion.FIDO_2_0) && !getInfo.supports(CtapVersion.FIDO_2_1)) {
      errors.add("getInfo.versions must include FIDO_2_0 or FIDO_2_1");
    }
    if (getInfo.supports(CtapVersion.FIDO_2_2) && !getInfo.supports(CtapVersion.FIDO_2_1)) {
      errors.add("getInfo.versions: FIDO_2_2 needs FIDO_2_1 (CTAP 2.2 extends CTAP 2.1)");
    }
    List<CoseAlgorithm> algorithms = getInfo.algorithms();
    if (algorithms.isEmpty()) {
      errors.add("getInfo.algorithms must not be empty");
    }
    if (new HashSet<>(algorithms).size() != algorithms.size()) {
      errors.add("getInfo.algorithms must not repeat an algorithm");
    }
    List<Integer> protocols = getInfo.pinUvAuthProtocols();
    if (protocols.isEmpty()) {
      errors.add("getInfo.pinUvAuthProtocols must not be empty");
    }
    if (!Set.of(1, 2).containsAll(protocols) || new HashSet<>(protocols).size() != protocols.size()) {
      errors.add("getInfo.pinUvAuthProtocols may contain only 1 and 2, each once");
    }
    if (getInfo.supports(CtapVersion.FIDO_2_1) && !protocols.contains(2)) {
      errors.add("a FIDO_2_1 authenticator must support PIN/UV auth protocol 2");
    }
    if (getInfo.transports().isEmpty()) {
      errors.add("getInfo.transports must not be empty");
    }
    if (new HashSet<>(getInfo.transports()).size() != getInfo.transports().size()) {
      errors.add("getInfo.transports must not repeat a transport");
    }
    getInfo.certifications().ifPresent(c -> c.forEach((k, v) -> {
      if (k.isBlank() || v == null || v < 1) {
        errors.add("getInfo.certifications: a certification needs a name and a level of at least 1");
      }
    }));
    if (getInfo.firmwareVersion().isPresent() && getInfo.firmwareVersion().getAsInt() < 0) {
      errors.add("getInfo.firmwareVersion must not be negative");
    }
    if (getInfo.supports(CtapVersion.U2F_V2) && !algorithms.contains(CoseAlgorithm.ES256)) {
      errors.add("a U2F_V2 authenticator needs ES256 (U2F registrations are P-256)");
    }
    if (pinPolicy.minPinLength() < 4 || pinPolicy.minPinLength() > 63) {
      errors.add("pinPolicy.minPinLength must be 4..63");
    }
    if (limits.maxMsgSize() < 1024) {
      errors.add("limits.maxMsgSize must be at least 1024 (CTAP 2.1 section 6.4)");
    }
    if (limits.maxCredentialCountInList() < 1) {
      errors.add("limits.maxCredentialCountInList must be at least 1");
    }
    if (limits.maxCredentialIdLength() < 64) {
      errors.add("limits.maxCredentialIdLength must be at least 64");
    }
    if (limits.maxResidentCredentials() < 0) {
      errors.add("limits.maxResidentCredentials must not be negative");
    }
    if (getInfo.options().rk() && limits.maxResidentCredentials() < 1) {
      errors.add("limits.maxResidentCredentials must be at least 1 when getInfo.options.rk is true");
    }
    if (attestation.format() == AttestationFormat.FIDO_U2F && !algorithms.contains(CoseAlgorithm.ES256)) {
      errors.add("fido-u2f attestation needs ES256");
    }
    if (credentials.backupState() && !credentials.backupEligible()) {
      errors.add("credentials.backupState requires credentials.backupEligible (WebAuthn L3 section 6.1.3)");
    }
    validateManagement(errors);
    validateExtensions(errors);
    validateQuirks(errors);
    if (usb.deviceVersion().size() != 3) {
      errors.add("usb.deviceVersion must have three numbers");
    }
    for (int b : usb.deviceVersion()) {
      if (b < 0 || b > 255) {
        errors.add("usb.deviceVersion numbers must be 0..255");
        break;
      }
    }
    if (usb.vendorId() < 0 || usb.vendorId() > 0xFFFF || usb.productId() < 0 || usb.productId() > 0xFFFF) {
      errors.add("usb.vendorId and usb.productId must be 0..65535");
    }
    if ((usb.capabilities() & ~0x0D) != 0) {
      errors.add("usb.capabilities may have only WINK 0x01, CBOR 0x04 and NMSG 0x08");
    }
    if (identity.vendor().isBlank()) {
      errors.add("identity.vendor must not be blank");
    }
    validateMetadata(errors);
    if (!errors.isEmpty()) {
      throw new InvalidProfileException("profile " + identity.id(), errors);
    }
    return this;
  }

  private void validateMetadata(List<String> errors) {
    checkValues(errors, "metadata.keyProtection", metadata.keyProtection(), Metadata.KEY_PROTECTION);
    checkValues(errors, "metadata.matcherProtection", metadata.matcherProtection(), Metadata.MATCHER_PROTECTION);
    checkValues(errors, "metadata.attachmentHint", metadata.attachmentHint(), Metadata.ATTACHMENT_HINT);
    if (metadata.authenticatorVersion().isPresent() && metadata.authenticatorVersion().getAsInt() < 0) {
      errors.add("metadata.authenticatorVersion must not be negative");
    }
    if (metadata.cryptoStrength().isPresent() && metadata.cryptoStrength().getAsInt() < 1) {
      errors.add("metadata.cryptoStrength must be at least 1");
    }
  }

  private static void checkValues(List<String> errors, String field, List<String> values, List<String> allowed) {
    if (values.isEmpty()) {
      errors.add(field + " must not be empty");
    }
    for (String v : values) {
      if (!allowed.contains(v)) {
        errors.add(field + ": \"" + v + "\" is not one of " + String.join(", ", allowed));
      }
    }
    if (new HashSet<>(values).size() != values.size()) {
      errors.add(field + " must not repeat a value");
    }
  }

  private void validateManagement(List<String> errors) {
    boolean v21 = getInfo.supports(CtapVersion.FIDO_2_1);
    boolean pre = getInfo.supports(CtapVersion.FIDO_2_1_PRE);
    if (management.credentialManagement() && !(v21 || pre)) {
      errors.add("management.credentialManagement needs FIDO_2_1 or FIDO_2_1_PRE in getInfo.versions");
    }
    if (v21 && getInfo.options().rk() && !management.credentialManagement()) {
      errors.add("a FIDO_2_1 model with discoverable credentials must have management.credentialManagement (CTAP 2.1 section 6.8)");
    }
    management.config().ifPresent(c -> {
      if (!v21) {
        errors.add("management.config (authenticatorConfig) needs FIDO_2_1 in getInfo.versions");
      }
      if (c.maxRpIdsForSetMinPinLength() < 0) {
        errors.add("management.config.maxRPIDsForSetMinPINLength must not be negative");
      }
      if (c.maxRpIdsForSetMinPinLength() > 0 && !c.setMinPinLength()) {
        errors.add("management.config.maxRPIDsForSetMinPINLength needs management.config.setMinPINLength");
      }
    });
    management.enterpriseAttestation().ifPresent(e -> {
      if (!e.vendorFacilitated() && !e.platformManaged()) {
        errors.add("management.enterpriseAttestation needs vendorFacilitatedRpIds or platformManaged");
      }
    });
    if (management.fingerprint().isPresent() != getInfo.options().builtInUv()) {
      errors.add("management.fingerprint must be present exactly when getInfo.options.builtInUv is true");
    }
    if (!management.bioEnrollment() && !getInfo.options().builtInUv()) {
      errors.add("management.bioEnrollment false needs getInfo.options.builtInUv (it says who enrolls the built-in UV)");
    }
    management.fingerprint().ifPresent(f -> {
      if (f.samplesForEnrollment() < 1 || f.samplesForEnrollment() > 255) {
        errors.add("management.fingerprint.samplesForEnrollment must be 1..255");
      }
      if (f.maxTemplateFriendlyName() < 1 || f.maxTemplateFriendlyName() > 255) {
        errors.add("management.fingerprint.maxTemplateFriendlyName must be 1..255");
      }
      if (f.maxTemplates() < 1 || f.maxTemplates() > 255) {
        errors.add("management.fingerprint.maxTemplates must be 1..255");
      }
      if (f.preferredPlatformUvAttempts() < 1) {
        errors.add("management.fingerprint.preferredPlatformUvAttempts must be at least 1 (CTAP 2.1 section 6.4)");
      }
      if (f.uvModality() < 1) {
        errors.add("management.fingerprint.uvModality must be a FIDO Registry user verification method (at least 1)");
      }
    });
  }

  private void validateExtensions(List<String> errors) {
    List<String> ids = extensions.identifiers();
    for (String id : ids) {
      if (!ExtensionSupport.KNOWN.contains(id)) {
        errors.add("extensions.identifiers: softkey does not build extension \"" + id + "\" (known: " + String.join(", ", ExtensionSupport.KNOWN) + ")");
      }
    }
    if (new HashSet<>(ids).size() != ids.size()) {
      errors.add("extensions.identifiers must not repeat an extension");
    }
    if (extensions.credProtectDefault() < 1 || extensions.credProtectDefault() > 3) {
      errors.add("extensions.credProtectDefault must be 1..3");
    } else if (extensions.credProtectDefault() > 1 && !extensions.has("credProtect")) {
      errors.add("extensions.credProtectDefault above 1 needs credProtect in extensions.identifiers");
    }
    if (extensions.has("credBlob") != extensions.maxCredBlobLength().isPresent()) {
      errors.add("extensions.maxCredBlobLength must be present exactly when credBlob is listed");
    }
    extensions.maxCredBlobLength().ifPresent(n -> {
      if (n < 32 || n > 1024) {
        errors.add("extensions.maxCredBlobLength must be 32..1024 (CTAP 2.1 section 6.4: at least 32)");
      }
    });
    if (extensions.has("largeBlobKey") != extensions.largeBlobs().isPresent()) {
      errors.add("extensions.largeBlobs must be present exactly when largeBlobKey is listed (CTAP 2.1 sections 6.10 and 12.3)");
    }
    extensions.largeBlobs().ifPresent(b -> {
      if (!getInfo.supports(CtapVersion.FIDO_2_1)) {
        errors.add("extensions.largeBlobs (authenticatorLargeBlobs) needs FIDO_2_1 in getInfo.versions");
      }
      if (b.maxSerializedLargeBlobArray() < 1024 || b.maxSerializedLargeBlobArray() > 1 << 20) {
        errors.add("extensions.largeBlobs.maxSerializedLargeBlobArray must be 1024..1048576 (CTAP 2.1 section 6.4: at least 1024)");
      }
    });
    if (extensions.has("hmac-secret-mc") && !extensions.has("hmac-secret")) {
      errors.add("extension hmac-secret-mc needs hmac-secret (CTAP 2.2: it returns hmac-secret outputs at makeCredential)");
    }
    if (extensions.has("minPinLength") && !management.config().map(Config::setMinPinLength).orElse(false)) {
      errors.add("extension minPinLength needs management.config.setMinPINLength (its RP IDs come from authenticatorConfig)");
    }
  }

  private void validateQuirks(List<String> errors) {
    Quirks.ResetWindows reset = quirks.resetWindow();
    List<Quirks.ResetWindow> windows = new ArrayList<>(reset.byTransport().values());
    windows.add(reset.otherwise());
    for (Quirks.ResetWindow w : windows) {
      if (w.kind() == Quirks.ResetWindow.Kind.AFTER_POWER_UP && (w.afterPowerUp().isZero() || w.afterPowerUp().isNegative())) {
        errors.add("quirks.resetWindow: a window after power-up must be longer than 0");
        break;
      }
    }
    // CTAP 2.1 section 6.6: reset MUST be supported on at least one transport, and on USB HID if
    // the authenticator has it.
    boolean anyAllowed = false;
    for (Transport t : getInfo.transports()) {
      boolean allowed = reset.forTransport(Optional.of(t)).kind() != Quirks.ResetWindow.Kind.DISABLED;
      anyAllowed |= allowed;
      if (t == Transport.USB && !allowed) {
        errors.add("quirks.resetWindow must allow reset over usb (CTAP 2.1 section 6.6)");
      }
    }
    if (!anyAllowed && !getInfo.transports().isEmpty()) {
      errors.add("quirks.resetWindow must allow reset over at least one of getInfo.transports (CTAP 2.1 section 6.6)");
    }
    for (String o : quirks.getInfoOmitsOptions()) {
      if (!Quirks.OMITTABLE_OPTIONS.contains(o)) {
        errors.add("quirks.getInfoOmitsOptions: \"" + o + "\" is not one of " + String.join(", ", new java.util.TreeSet<>(Quirks.OMITTABLE_OPTIONS)));
      }
    }
    for (String o : quirks.getInfoFalseOptions()) {
      if (!Quirks.FALSE_OPTIONS.contains(o)) {
        errors.add("quirks.getInfoFalseOptions: \"" + o + "\" is not one of " + String.join(", ", new java.util.TreeSet<>(Quirks.FALSE_OPTIONS)));
      }
    }
    Set<String> falseOptions = quirks.getInfoFalseOptions();
    if (falseOptions.contains("largeBlobs") && extensions.largeBlobs().isPresent()) {
      errors.add("quirks.getInfoFalseOptions: largeBlobs is reported true by a model with extensions.largeBlobs");
    }
    if (falseOptions.contains("uvAcfg") && management.config().map(Config::uvAcfg).orElse(false)) {
      errors.add("quirks.getInfoFalseOptions: uvAcfg is reported true by a model with management.config.uvAcfg");
    }
    if (falseOptions.contains("uvBioEnroll") && management.fingerprint().map(Fingerprint::uvBioEnroll).orElse(false)) {
      errors.add("quirks.getInfoFalseOptions: uvBioEnroll is reported true by a model with management.fingerprint.uvBioEnroll");
    }
    for (Quirks.GetInfoMember m : quirks.getInfoAdds()) {
      if (!Quirks.ADDABLE_MEMBERS.contains(m)) {
        errors.add("quirks.getInfoAdds: only minPINLength can be added");
      }
      if (quirks.getInfoOmits().contains(m)) {
        errors.add("quirks.getInfoAdds and quirks.getInfoOmits both name " + m.jsonName());
      }
    }
    if (quirks.userVerificationMgmtPreviewAlwaysTrue() && !(getInfo.options().builtInUv() && getInfo.supports(CtapVersion.FIDO_2_1_PRE))) {
      errors.add("quirks.userVerificationMgmtPreviewAlwaysTrue needs getInfo.options.builtInUv and FIDO_2_1_PRE (the preview bio enrollment command)");
    }
  }

  @Override
  public String toString() {
    return "Profile[" + identity.id() + "]";
  }

  /** A builder holding this profile's values, to make a variant: {@code p.toBuilder().minPinLength(6).build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Makes variants of a profile, one setter per field. {@link #build()} does not validate: tests
   * build invalid profiles on purpose; {@code AuthenticatorBuilder.profile} validates.
   */
  public static final class Builder {
    private String id;
    private String description;
    private String source;
    private UUID aaguid;
    private String vendor;
    private Optional<String> firmware;
    private List<CtapVersion> versions;
    private List<CoseAlgorithm> algorithms;
    private List<Integer> pinUvAuthProtocols;
    private List<Transport> transports;
    private OptionalInt firmwareVersion;
    private boolean rk;
    private boolean builtInUv;
    private boolean makeCredUvNotRqd;
    private int maxMsgSize;
    private int maxCredentialCountInList;
    private int maxCredentialIdLength;
    private int maxResidentCredentials;
    private int minPinLength;
    private AttestationFormat attestation;
    private SignCounter signCounter;
    private boolean backupEligible;
    private boolean backupState;
    private Management management;
    private ExtensionSupport extensions;
    private Quirks quirks;
    private UsbIdentity usb;
    private Metadata metadata;
    private Optional<Map<String, Integer>> certifications;

    private Builder(Profile p) {
      identity(p.identity);
      getInfo(p.getInfo);
      limits(p.limits);
      minPinLength = p.pinPolicy.minPinLength();
      attestation = p.attestation.format();
      credentials(p.credentials);
      management = p.management;
      extensions = p.extensions;
      quirks = p.quirks;
      usb = p.usb;
      metadata = p.metadata;
    }

    public Builder identity(Identity v) {
      id = v.id();
      description = v.description();
      source = v.source();
      aaguid = v.aaguid();
      vendor = v.vendor();
      firmware = v.firmware();
      return this;
    }

    public Builder vendor(String v) {
      vendor = v;
      return this;
    }

    public Builder firmware(Optional<String> v) {
      firmware = v;
      return this;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder description(String v) {
      description = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public Builder aaguid(UUID v) {
      aaguid = v;
      return this;
    }

    public Builder getInfo(GetInfo v) {
      versions = v.versions();
      algorithms = v.algorithms();
      pinUvAuthProtocols = v.pinUvAuthProtocols();
      transports = v.transports();
      firmwareVersion = v.firmwareVersion();
      rk = v.options().rk();
      builtInUv = v.options().builtInUv();
      makeCredUvNotRqd = v.options().makeCredUvNotRqd();
      certifications = v.certifications();
      return this;
    }

    public Builder versions(List<CtapVersion> v) {
      versions = v;
      return this;
    }

    public Builder versions(CtapVersion... v) {
      return versions(List.of(v));
    }

    public Builder algorithms(List<CoseAlgorithm> v) {
      algorithms = v;
      return this;
    }

    public Builder pinUvAuthProtocols(List<Integer> v) {
      pinUvAuthProtocols = v;
      return this;
    }

    public Builder transports(List<Transport> v) {
      transports = v;
      return this;
    }

    public Builder firmwareVersion(OptionalInt v) {
      firmwareVersion = v;
      return this;
    }

    public Builder rk(boolean v) {
      rk = v;
      return this;
    }

    public Builder builtInUv(boolean v) {
      builtInUv = v;
      return this;
    }

    public Builder makeCredUvNotRqd(boolean v) {
      makeCredUvNotRqd = v;
      return this;
    }

    public Builder limits(Limits v) {
      maxMsgSize = v.maxMsgSize();
      maxCredentialCountInList = v.maxCredentialCountInList();
      maxCredentialIdLength = v.maxCredentialIdLength();
      maxResidentCredentials = v.maxResidentCredentials();
      return this;
    }

    public Builder maxMsgSize(int v) {
      maxMsgSize = v;
      return this;
    }

    public Builder maxCredentialCountInList(int v) {
      maxCredentialCountInList = v;
      return this;
    }

    public Builder maxCredentialIdLength(int v) {
      maxCredentialIdLength = v;
      return this;
    }

    public Builder maxResidentCredentials(int v) {
      maxResidentCredentials = v;
      return this;
    }

    public Builder minPinLength(int v) {
      minPinLength = v;
      return this;
    }

    public Builder attestation(AttestationFormat v) {
      attestation = v;
      return this;
    }

    public Builder credentials(Credentials v) {
      signCounter = v.signCounter();
      backupEligible = v.backupEligible();
      backupState = v.backupState();
      return this;
    }

    public Builder signCounter(SignCounter v) {
      signCounter = v;
      return this;
    }

    public Builder backupEligible(boolean v) {
      backupEligible = v;
      return this;
    }

    public Builder backupState(boolean v) {
      backupState = v;
      return this;
    }

    public Builder management(Management v) {
      management = v;
      return this;
    }

    public Builder credentialManagement(boolean v) {
      management = new Management(v, management.config(), management.enterpriseAttestation(), management.fingerprint(), management.bioEnrollment());
      return this;
    }

    public Builder config(Optional<Config> v) {
      management = new Management(management.credentialManagement(), v, management.enterpriseAttestation(), management.fingerprint(), management.bioEnrollment());
      return this;
    }

    public Builder enterpriseAttestation(Optional<EnterpriseAttestation> v) {
      management = new Management(management.credentialManagement(), management.config(), v, management.fingerprint(), management.bioEnrollment());
      return this;
    }

    public Builder fingerprint(Optional<Fingerprint> v) {
      management = new Management(management.credentialManagement(), management.config(), management.enterpriseAttestation(), v, management.bioEnrollment());
      return this;
    }

    public Builder bioEnrollment(boolean v) {
      management = new Management(management.credentialManagement(), management.config(), management.enterpriseAttestation(), management.fingerprint(), v);
      return this;
    }

    public Builder extensions(ExtensionSupport v) {
      extensions = v;
      return this;
    }

    /** The extensions listed in getInfo, keeping the other extension settings. */
    public Builder extensionIdentifiers(List<String> v) {
      extensions = new ExtensionSupport(v, extensions.credProtectDefault(), extensions.maxCredBlobLength(), extensions.largeBlobs());
      return this;
    }

    public Builder credProtectDefault(int v) {
      extensions = new ExtensionSupport(extensions.identifiers(), v, extensions.maxCredBlobLength(), extensions.largeBlobs());
      return this;
    }

    public Builder maxCredBlobLength(OptionalInt v) {
      extensions = new ExtensionSupport(extensions.identifiers(), extensions.credProtectDefault(), v, extensions.largeBlobs());
      return this;
    }

    public Builder largeBlobs(Optional<LargeBlobs> v) {
      extensions = new ExtensionSupport(extensions.identifiers(), extensions.credProtectDefault(), extensions.maxCredBlobLength(), v);
      return this;
    }

    public Builder quirks(Quirks v) {
      quirks = v;
      return this;
    }

    public Builder resetWindow(Quirks.ResetWindows v) {
      quirks = quirks.withResetWindow(v);
      return this;
    }

    public Builder ctaphidChannelAllocation(Quirks.ChannelAllocation v) {
      quirks = quirks.withCtaphidChannelAllocation(v);
      return this;
    }

    public Builder getInfoOmits(Set<Quirks.GetInfoMember> v) {
      quirks = quirks.withGetInfoOmits(v);
      return this;
    }

    public Builder noCredentialsAfterTouch(boolean v) {
      quirks = quirks.withNoCredentialsAfterTouch(v);
      return this;
    }

    public Builder getInfoOmitsOptions(Set<String> v) {
      quirks = quirks.withGetInfoOmitsOptions(v);
      return this;
    }

    public Builder getInfoFalseOptions(Set<String> v) {
      quirks = quirks.withGetInfoFalseOptions(v);
      return this;
    }

    public Builder getInfoAdds(Set<Quirks.GetInfoMember> v) {
      quirks = quirks.withGetInfoAdds(v);
      return this;
    }

    public Builder userVerificationMgmtPreviewAlwaysTrue(boolean v) {
      quirks = quirks.withUserVerificationMgmtPreviewAlwaysTrue(v);
      return this;
    }

    public Builder credMgmtOnBothCommands(boolean v) {
      quirks = quirks.withCredMgmtOnBothCommands(v);
      return this;
    }

    public Builder keepUserIcon(boolean v) {
      quirks = quirks.withKeepUserIcon(v);
      return this;
    }

    public Builder certifications(Optional<Map<String, Integer>> v) {
      certifications = v;
      return this;
    }

    public Builder usb(UsbIdentity v) {
      usb = v;
      return this;
    }

    public Builder metadata(Metadata v) {
      metadata = v;
      return this;
    }

    public Profile build() {
      return new Profile(
          new Identity(id, description, source, aaguid, vendor, firmware),
          new GetInfo(
              versions, algorithms, pinUvAuthProtocols, transports, firmwareVersion, new Options(rk, builtInUv, makeCredUvNotRqd), certifications),
          new Limits(maxMsgSize, maxCredentialCountInList, maxCredentialIdLength, maxResidentCredentials),
          new PinPolicy(minPinLength),
          new Attestation(attestation),
          new Credentials(signCounter, backupEligible, backupState),
          management,
          extensions,
          quirks,
          usb,
          metadata);
    }
  }
}
