package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * authenticatorGetInfo response (CTAP 2.1 section 6.4; members 0x16 to 0x1D from CTAP 2.2). A
 * member the authenticator leaves out is empty here, never a default: what a model omits is part
 * of the model. Unknown members are ignored when reading.
 *
 * @param versions 0x01 versions
 * @param extensions 0x02 extensions
 * @param aaguid 0x03 aaguid
 * @param options 0x04 options
 * @param maxMsgSize 0x05 maxMsgSize
 * @param pinUvAuthProtocols 0x06 pinUvAuthProtocols
 * @param maxCredentialCountInList 0x07 maxCredentialCountInList
 * @param maxCredentialIdLength 0x08 maxCredentialIdLength
 * @param transports 0x09 transports
 * @param algorithms 0x0A algorithms
 * @param maxSerializedLargeBlobArray 0x0B maxSerializedLargeBlobArray
 * @param forcePinChange 0x0C forcePINChange
 * @param minPinLength 0x0D minPINLength
 * @param firmwareVersion 0x0E firmwareVersion
 * @param maxCredBlobLength 0x0F maxCredBlobLength
 * @param maxRpIdsForSetMinPinLength 0x10 maxRPIDsForSetMinPINLength
 * @param preferredPlatformUvAttempts 0x11 preferredPlatformUVAttempts
 * @param uvModality 0x12 uvModality
 * @param certifications 0x13 certifications
 * @param remainingDiscoverableCredentials 0x14 remainingDiscoverableCredentials
 * @param vendorPrototypeConfigCommands 0x15 vendorPrototypeConfigCommands
 * @param attestationFormats 0x16 attestationFormats
 * @param uvCountSinceLastPinEntry 0x17 uvCountSinceLastPinEntry
 * @param longTouchForReset 0x18 longTouchForReset
 * @param encIdentifier 0x19 encIdentifier
 * @param transportsForReset 0x1A transportsForReset
 * @param pinComplexityPolicy 0x1B pinComplexityPolicy
 * @param pinComplexityPolicyUrl 0x1C pinComplexityPolicyURL
 * @param maxPinLength 0x1D maxPINLength
 */
public record GetInfoResponse(
    List<String> versions,
    Optional<List<String>> extensions,
    Bytes aaguid,
    Optional<Map<String, Boolean>> options,
    Optional<Long> maxMsgSize,
    Optional<List<Long>> pinUvAuthProtocols,
    Optional<Long> maxCredentialCountInList,
    Optional<Long> maxCredentialIdLength,
    Optional<List<String>> transports,
    Optional<List<PublicKeyCredentialParameters>> algorithms,
    Optional<Long> maxSerializedLargeBlobArray,
    Optional<Boolean> forcePinChange,
    Optional<Long> minPinLength,
    Optional<Long> firmwareVersion,
    Optional<Long> maxCredBlobLength,
    Optional<Long> maxRpIdsForSetMinPinLength,
    Optional<Long> preferredPlatformUvAttempts,
    Optional<Long> uvModality,
    Optional<CborMap> certifications,
    Optional<Long> remainingDiscoverableCredentials,
    Optional<List<Long>> vendorPrototypeConfigCommands,
    Optional<List<String>> attestationFormats,
    Optional<Long> uvCountSinceLastPinEntry,
    Optional<Boolean> longTouchForReset,
    Optional<Bytes> encIdentifier,
    Optional<List<String>> transportsForReset,
    Optional<Boolean> pinComplexityPolicy,
    Optional<Bytes> pinComplexityPolicyUrl,
    Optional<Long> maxPinLength)
    implements CborEncodable {
  public static final long VERSIONS = 0x01;
  public static final long EXTENSIONS = 0x02;
  public static final long AAGUID = 0x03;
  public static final long OPTIONS = 0x04;
  public static final long MAX_MSG_SIZE = 0x05;
  public static final long PIN_UV_AUTH_PROTOCOLS = 0x06;
  public static final long MAX_CREDENTIAL_COUNT_IN_LIST = 0x07;
  public static final long MAX_CREDENTIAL_ID_LENGTH = 0x08;
  public static final long TRANSPORTS = 0x09;
  public static final long ALGORITHMS = 0x0A;
  public static final long MAX_SERIALIZED_LARGE_BLOB_ARRAY = 0x0B;
  public static final long FORCE_PIN_CHANGE = 0x0C;
  public static final long MIN_PIN_LENGTH = 0x0D;
  public static final long FIRMWARE_VERSION = 0x0E;
  public static final long MAX_CRED_BLOB_LENGTH = 0x0F;
  public static final long MAX_RP_IDS_FOR_SET_MIN_PIN_LENGTH = 0x10;
  public static final long PREFERRED_PLATFORM_UV_ATTEMPTS = 0x11;
  public static final long UV_MODALITY = 0x12;
  public static final long CERTIFICATIONS = 0x13;
  public static final long REMAINING_DISCOVERABLE_CREDENTIALS = 0x14;
  public static final long VENDOR_PROTOTYPE_CONFIG_COMMANDS = 0x15;
  public static final long ATTESTATION_FORMATS = 0x16;
  public static final long UV_COUNT_SINCE_LAST_PIN_ENTRY = 0x17;
  public static final long LONG_TOUCH_FOR_RESET = 0x18;
  public static final long ENC_IDENTIFIER = 0x19;
  public static final long TRANSPORTS_FOR_RESET = 0x1A;
  public static final long PIN_COMPLEXITY_POLICY = 0x1B;
  public static final long PIN_COMPLEXITY_POLICY_URL = 0x1C;
  public static final long MAX_PIN_LENGTH = 0x1D;

  /** The spec's member names by key, for display (CTAP 2.1 section 6.4 and CTAP 2.2). */
  public static final Map<Long, String> MEMBER_NAMES = memberNames();

  private static Map<Long, String> memberNames() {
    Map<Long, String> m = new LinkedHashMap<>();
    m.put(VERSIONS, "versions");
    m.put(EXTENSIONS, "extensions");
    m.put(AAGUID, "aaguid");
    m.put(OPTIONS, "options");
    m.put(MAX_MSG_SIZE, "maxMsgSize");
    m.put(PIN_UV_AUTH_PROTOCOLS, "pinUvAuthProtocols");
    m.put(MAX_CREDENTIAL_COUNT_IN_LIST, "maxCredentialCountInList");
    m.put(MAX_CREDENTIAL_ID_LENGTH, "maxCredentialIdLength");
    m.put(TRANSPORTS, "transports");
    m.put(ALGORITHMS, "algorithms");
    m.put(MAX_SERIALIZED_LARGE_BLOB_ARRAY, "maxSerializedLargeBlobArray");
    m.put(FORCE_PIN_CHANGE, "forcePINChange");
    m.put(MIN_PIN_LENGTH, "minPINLength");
    m.put(FIRMWARE_VERSION, "firmwareVersion");
    m.put(MAX_CRED_BLOB_LENGTH, "maxCredBlobLength");
    m.put(MAX_RP_IDS_FOR_SET_MIN_PIN_LENGTH, "maxRPIDsForSetMinPINLength");
    m.put(PREFERRED_PLATFORM_UV_ATTEMPTS, "preferredPlatformUVAttempts");
    m.put(UV_MODALITY, "uvModality");
    m.put(CERTIFICATIONS, "certifications");
    m.put(REMAINING_DISCOVERABLE_CREDENTIALS, "remainingDiscoverableCredentials");
    m.put(VENDOR_PROTOTYPE_CONFIG_COMMANDS, "vendorPrototypeConfigCommands");
    m.put(ATTESTATION_FORMATS, "attestationFormats");
    m.put(UV_COUNT_SINCE_LAST_PIN_ENTRY, "uvCountSinceLastPinEntry");
    m.put(LONG_TOUCH_FOR_RESET, "longTouchForReset");
    m.put(ENC_IDENTIFIER, "encIdentifier");
    m.put(TRANSPORTS_FOR_RESET, "transportsForReset");
    m.put(PIN_COMPLEXITY_POLICY, "pinComplexityPolicy");
    m.put(PIN_COMPLEXITY_POLICY_URL, "pinComplexityPolicyURL");
    m.put(MAX_PIN_LENGTH, "maxPINLength");
    return java.util.Collections.unmodifiableMap(m);
  }

  public GetInfoResponse {
    versions = List.copyOf(versions);
    extensions = extensions.map(List::copyOf);
    options = options.map(o -> java.util.Collections.unmodifiableMap(new TreeMap<>(o)));
    pinUvAuthProtocols = pinUvAuthProtocols.map(List::copyOf);
    transports = transports.map(List::copyOf);
    algorithms = algorithms.map(List::copyOf);
    vendorPrototypeConfigCommands = vendorPrototypeConfigCommands.map(List::copyOf);
    attestationFormats = attestationFormats.map(List::copyOf);
    transportsForReset = transportsForReset.map(List::copyOf);
    if (aaguid.length() != 16) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_CBOR, "aaguid must be 16 bytes");
    }
    // The members section 6.4 types "Unsigned Integer" or "Array of Unsigned Integers": a negative
    // one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE (libfido2 refuses such a getInfo reply too).
    Members.requireUnsigned("maxMsgSize", maxMsgSize);
    Members.requireUnsignedElements("pinUvAuthProtocols", pinUvAuthProtocols);
    Members.requireUnsigned("maxCredentialCountInList", maxCredentialCountInList);
    Members.requireUnsigned("maxCredentialIdLength", maxCredentialIdLength);
    Members.requireUnsigned("maxSerializedLargeBlobArray", maxSerializedLargeBlobArray);
    Members.requireUnsigned("minPINLength", minPinLength);
    Members.requireUnsigned("firmwareVersion", firmwareVersion);
    Members.requireUnsigned("maxCredBlobLength", maxCredBlobLength);
    Members.requireUnsigned("maxRPIDsForSetMinPINLength", maxRpIdsForSetMinPinLength);
    Members.requireUnsigned("preferredPlatformUVAttempts", preferredPlatformUvAttempts);
    Members.requireUnsigned("uvModality", uvModality);
    Members.requireUnsigned("remainingDiscoverableCredentials", remainingDiscoverableCredentials);
    Members.requireUnsignedElements("vendorPrototypeConfigCommands", vendorPrototypeConfigCommands);
    Members.requireUnsigned("uvCountSinceLastPinEntry", uvCountSinceLastPinEntry);
    Members.requireUnsigned("maxPINLength", maxPinLength);
  }

  /** The value of an option; empty when the authenticator does not report it. */
  public Optional<Boolean> option(String id) {
    return options.flatMap(o -> Optional.ofNullable(o.get(id)));
  }

  public static GetInfoResponse fromCbor(CborMap m) {
    return new GetInfoResponse(
        WireLists.texts(m.list(VERSIONS)),
        m.optList(EXTENSIONS).map(WireLists::texts),
        m.bytes(AAGUID),
        m.optMap(OPTIONS).map(GetInfoResponse::options),
        m.optLong(MAX_MSG_SIZE),
        m.optList(PIN_UV_AUTH_PROTOCOLS).map(WireLists::longs),
        m.optLong(MAX_CREDENTIAL_COUNT_IN_LIST),
        m.optLong(MAX_CREDENTIAL_ID_LENGTH),
        m.optList(TRANSPORTS).map(WireLists::texts),
        m.optList(ALGORITHMS).map(l -> WireLists.maps(l, PublicKeyCredentialParameters::fromCbor)),
        m.optLong(MAX_SERIALIZED_LARGE_BLOB_ARRAY),
        m.optBool(FORCE_PIN_CHANGE),
        m.optLong(MIN_PIN_LENGTH),
        m.optLong(FIRMWARE_VERSION),
        m.optLong(MAX_CRED_BLOB_LENGTH),
        m.optLong(MAX_RP_IDS_FOR_SET_MIN_PIN_LENGTH),
        m.optLong(PREFERRED_PLATFORM_UV_ATTEMPTS),
        m.optLong(UV_MODALITY),
        m.optMap(CERTIFICATIONS),
        m.optLong(REMAINING_DISCOVERABLE_CREDENTIALS),
        m.optList(VENDOR_PROTOTYPE_CONFIG_COMMANDS).map(WireLists::longs),
        m.optList(ATTESTATION_FORMATS).map(WireLists::texts),
        m.optLong(UV_COUNT_SINCE_LAST_PIN_ENTRY),
        m.optBool(LONG_TOUCH_FOR_RESET),
        m.optBytes(ENC_IDENTIFIER),
        m.optList(TRANSPORTS_FOR_RESET).map(WireLists::texts),
        m.optBool(PIN_COMPLEXITY_POLICY),
        m.optBytes(PIN_COMPLEXITY_POLICY_URL),
        m.optLong(MAX_PIN_LENGTH));
  }

  private static Map<String, Boolean> options(CborMap o) {
    Map<String, Boolean> out = new TreeMap<>();
    o.asMap().forEach((k, v) -> {
      if (!(k instanceof String s) || !(v instanceof Boolean b)) {
        throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "options are text to boolean");
      }
      out.put(s, b);
    });
    return out;
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .put(VERSIONS, versions)
        .putOpt(EXTENSIONS, extensions)
        .put(AAGUID, aaguid)
        .putOpt(OPTIONS, options)
        .putOpt(MAX_MSG_SIZE, maxMsgSize)
        .putOpt(PIN_UV_AUTH_PROTOCOLS, pinUvAuthProtocols)
        .putOpt(MAX_CREDENTIAL_COUNT_IN_LIST, maxCredentialCountInList)
        .putOpt(MAX_CREDENTIAL_ID_LENGTH, maxCredentialIdLength)
        .putOpt(TRANSPORTS, transports)
        .putOpt(ALGORITHMS, algorithms)
        .putOpt(MAX_SERIALIZED_LARGE_BLOB_ARRAY, maxSerializedLargeBlobArray)
        .putOpt(FORCE_PIN_CHANGE, forcePinChange)
        .putOpt(MIN_PIN_LENGTH, minPinLength)
        .putOpt(FIRMWARE_VERSION, firmwareVersion)
        .putOpt(MAX_CRED_BLOB_LENGTH, maxCredBlobLength)
        .putOpt(MAX_RP_IDS_FOR_SET_MIN_PIN_LENGTH, maxRpIdsForSetMinPinLength)
        .putOpt(PREFERRED_PLATFORM_UV_ATTEMPTS, preferredPlatformUvAttempts)
        .putOpt(UV_MODALITY, uvModality)
        .putOpt(CERTIFICATIONS, certifications)
        .putOpt(REMAINING_DISCOVERABLE_CREDENTIALS, remainingDiscoverableCredentials)
        .putOpt(VENDOR_PROTOTYPE_CONFIG_COMMANDS, vendorPrototypeConfigCommands)
        .putOpt(ATTESTATION_FORMATS, attestationFormats)
        .putOpt(UV_COUNT_SINCE_LAST_PIN_ENTRY, uvCountSinceLastPinEntry)
        .putOpt(LONG_TOUCH_FOR_RESET, longTouchForReset)
        .putOpt(ENC_IDENTIFIER, encIdentifier)
        .putOpt(TRANSPORTS_FOR_RESET, transportsForReset)
        .putOpt(PIN_COMPLEXITY_POLICY, pinComplexityPolicy)
        .putOpt(PIN_COMPLEXITY_POLICY_URL, pinComplexityPolicyUrl)
        .putOpt(MAX_PIN_LENGTH, maxPinLength)
        .build();
  }

  public static Builder builder(List<String> versions, Bytes aaguid) {
    return new Builder(versions, aaguid);
  }

  /** Builds a response member by member; unset members are left out. */
  public static final class Builder {
    private List<String> versions;
    private Optional<List<String>> extensions = Optional.empty();
    private Bytes aaguid;
    private Optional<Map<String, Boolean>> options = Optional.empty();
    private Optional<Long> maxMsgSize = Optional.empty();
    private Optional<List<Long>> pinUvAuthProtocols = Optional.empty();
    private Optional<Long> maxCredentialCountInList = Optional.empty();
    private Optional<Long> maxCredentialIdLength = Optional.empty();
    private Optional<List<String>> transports = Optional.empty();
    private Optional<List<PublicKeyCredentialParameters>> algorithms = Optional.empty();
    private Optional<Long> maxSerializedLargeBlobArray = Optional.empty();
    private Optional<Boolean> forcePinChange = Optional.empty();
    private Optional<Long> minPinLength = Optional.empty();
    private Optional<Long> firmwareVersion = Optional.empty();
    private Optional<Long> maxCredBlobLength = Optional.empty();
    private Optional<Long> maxRpIdsForSetMinPinLength = Optional.empty();
    private Optional<Long> preferredPlatformUvAttempts = Optional.empty();
    private Optional<Long> uvModality = Optional.empty();
    private Optional<CborMap> certifications = Optional.empty();
    private Optional<Long> remainingDiscoverableCredentials = Optional.empty();
    private Optional<List<Long>> vendorPrototypeConfigCommands = Optional.empty();
    private Optional<List<String>> attestationFormats = Optional.empty();
    private Optional<Long> uvCountSinceLastPinEntry = Optional.empty();
    private Optional<Boolean> longTouchForReset = Optional.empty();
    private Optional<Bytes> encIdentifier = Optional.empty();
    private Optional<List<String>> transportsForReset = Optional.empty();
    private Optional<Boolean> pinComplexityPolicy = Optional.empty();
    private Optional<Bytes> pinComplexityPolicyUrl = Optional.empty();
    private Optional<Long> maxPinLength = Optional.empty();

    private Builder(List<String> versions, Bytes aaguid) {
      this.versions = versions;
      this.aaguid = aaguid;
    }

    public Builder extensions(List<String> v) {
      this.extensions = Optional.of(v);
      return this;
    }

    public Builder options(Map<String, Boolean> v) {
      this.options = Optional.of(v);
      return this;
    }

    public Builder maxMsgSize(Long v) {
      this.maxMsgSize = Optional.of(v);
      return this;
    }

    public Builder pinUvAuthProtocols(List<Long> v) {
      this.pinUvAuthProtocols = Optional.of(v);
      return this;
    }

    public Builder maxCredentialCountInList(Long v) {
      this.maxCredentialCountInList = Optional.of(v);
      return this;
    }

    public Builder maxCredentialIdLength(Long v) {
      this.maxCredentialIdLength = Optional.of(v);
      return this;
    }

    public Builder transports(List<String> v) {
      this.transports = Optional.of(v);
      return this;
    }

    public Builder algorithms(List<PublicKeyCredentialParameters> v) {
      this.algorithms = Optional.of(v);
      return this;
    }

    public Builder maxSerializedLargeBlobArray(Long v) {
      this.maxSerializedLargeBlobArray = Optional.of(v);
      return this;
    }

    public Builder forcePinChange(Boolean v) {
      this.forcePinChange = Optional.of(v);
      return this;
    }

    public Builder minPinLength(Long v) {
      this.minPinLength = Optional.of(v);
      return this;
    }

    public Builder firmwareVersion(Long v) {
      this.firmwareVersion = Optional.of(v);
      return this;
    }

    public Builder maxCredBlobLength(Long v) {
      this.maxCredBlobLength = Optional.of(v);
      return this;
    }

    public Builder maxRpIdsForSetMinPinLength(Long v) {
      this.maxRpIdsForSetMinPinLength = Optional.of(v);
      return this;
    }

    public Builder preferredPlatformUvAttempts(Long v) {
      this.preferredPlatformUvAttempts = Optional.of(v);
      return this;
    }

    public Builder uvModality(Long v) {
      this.uvModality = Optional.of(v);
      return this;
    }

    public Builder certifications(CborMap v) {
      this.certifications = Optional.of(v);
      return this;
    }

    public Builder remainingDiscoverableCredentials(Long v) {
      this.remainingDiscoverableCredentials = Optional.of(v);
      return this;
    }

    public Builder vendorPrototypeConfigCommands(List<Long> v) {
      this.vendorPrototypeConfigCommands = Optional.of(v);
      return this;
    }

    public Builder attestationFormats(List<String> v) {
      this.attestationFormats = Optional.of(v);
      return this;
    }

    public Builder uvCountSinceLastPinEntry(Long v) {
      this.uvCountSinceLastPinEntry = Optional.of(v);
      return this;
    }

    public Builder longTouchForReset(Boolean v) {
      this.longTouchForReset = Optional.of(v);
      return this;
    }

    public Builder encIdentifier(Bytes v) {
      this.encIdentifier = Optional.of(v);
      return this;
    }

    public Builder transportsForReset(List<String> v) {
      this.transportsForReset = Optional.of(v);
      return this;
    }

    public Builder pinComplexityPolicy(Boolean v) {
      this.pinComplexityPolicy = Optional.of(v);
      return this;
    }

    public Builder pinComplexityPolicyUrl(Bytes v) {
      this.pinComplexityPolicyUrl = Optional.of(v);
      return this;
    }

    public Builder maxPinLength(Long v) {
      this.maxPinLength = Optional.of(v);
      return this;
    }

    public GetInfoResponse build() {
      return new GetInfoResponse(versions, extensions, aaguid, options, maxMsgSize, pinUvAuthProtocols, maxCredentialCountInList, maxCredentialIdLength, transports, algorithms, maxSerializedLargeBlobArray, forcePinChange, minPinLength, firmwareVersion, maxCredBlobLength, maxRpIdsForSetMinPinLength, preferredPlatformUvAttempts, uvModality, certifications, remainingDiscoverableCredentials, vendorPrototypeConfigCommands, attestationFormats, uvCountSinceLastPinEntry, longTouchForReset, encIdentifier, transportsForReset, pinComplexityPolicy, pinComplexityPolicyUrl, maxPinLength);
    }
  }
}
