package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The platform's reading of an authenticatorGetInfo response (CTAP 2.1 section 6.4): the members
 * the client needs to decide rk, uv and the PIN flow, plus the whole map for display.
 *
 * @param versions member 0x01
 * @param extensions member 0x02 (empty when omitted)
 * @param aaguid member 0x03
 * @param options member 0x04; an absent option is absent here, not false
 * @param pinUvAuthProtocols member 0x06 (empty when omitted)
 * @param maxCredentialCountInList member 0x07
 * @param maxCredentialIdLength member 0x08
 * @param algorithms member 0x0A, the COSE algorithm identifiers (empty when omitted)
 * @param raw the whole response map
 */
public record AuthenticatorInfo(
    List<String> versions,
    List<String> extensions,
    Bytes aaguid,
    Map<String, Boolean> options,
    List<Long> pinUvAuthProtocols,
    Optional<Long> maxCredentialCountInList,
    Optional<Long> maxCredentialIdLength,
    List<Long> algorithms,
    CborMap raw) {

  /** CTAP 2.1 section 6.4 member names by key, for display. */
  private static final Map<Long, String> MEMBER_NAMES = memberNames();

  public AuthenticatorInfo {
    versions = List.copyOf(versions);
    extensions = List.copyOf(extensions);
    options = Map.copyOf(options);
    pinUvAuthProtocols = List.copyOf(pinUvAuthProtocols);
    algorithms = List.copyOf(algorithms);
  }

  private static Map<Long, String> memberNames() {
    String[] names = {
      "versions", "extensions", "aaguid", "options", "maxMsgSize", "pinUvAuthProtocols",
      "maxCredentialCountInList", "maxCredentialIdLength", "transports", "algorithms",
      "maxSerializedLargeBlobArray", "forcePINChange", "minPINLength", "firmwareVersion",
      "maxCredBlobLength", "maxRPIDsForSetMinPINLength", "preferredPlatformUVAttempts",
      "uvModality", "certifications", "remainingDiscoverableCredentials",
      "vendorPrototypeConfigCommands"
    };
    Map<Long, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put((long) i + 1, names[i]);
    }
    return Map.copyOf(m);
  }

  /** Parses a getInfo response map; throws CtapException with the CBOR status if malformed. */
  public static AuthenticatorInfo parse(CborMap m) {
    Map<String, Boolean> options = new LinkedHashMap<>();
    m.optMap(0x04L)
        .ifPresent(
            o -> o.asMap().forEach((k, v) -> {
              if (k instanceof String s && v instanceof Boolean b) {
                options.put(s, b);
              }
            }));
    List<Long> algs = new ArrayList<>();
    for (Object o : m.optList(0x0AL).orElse(List.of())) {
      CborMap.asMap(o).optLong("alg").ifPresent(algs::add);
    }
    return new AuthenticatorInfo(
        texts(m.list(0x01L)),
        texts(m.optList(0x02L).orElse(List.of())),
        m.bytes(0x03L),
        options,
        longs(m.optList(0x06L).orElse(List.of())),
        m.optLong(0x07L),
        m.optLong(0x08L),
        algs,
        m);
  }

  private static List<String> texts(List<Object> l) {
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Long> longs(List<Object> l) {
    List<Long> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof Long n) {
        out.add(n);
      }
    }
    return out;
  }

  /** The value of an option, empty when the authenticator does not report it. */
  public Optional<Boolean> option(String id) {
    return Optional.ofNullable(options.get(id));
  }

  /** options.clientPin is true: a PIN is set. */
  public boolean isPinSet() {
    return option("clientPin").orElse(false);
  }

  /** options.clientPin is present: the authenticator supports the PIN protocol. */
  public boolean supportsClientPin() {
    return options.containsKey("clientPin");
  }

  /** options.uv is true: built-in user verification is configured. */
  public boolean hasBuiltInUv() {
    return option("uv").orElse(false);
  }

  /**
   * options.pinUvAuthToken is true: the authenticator issues tokens with permissions
   * (getPinUvAuthTokenUsingPinWithPermissions, and getPinUvAuthTokenUsingUvWithPermissions when
   * options.uv is true too; CTAP 2.1 section 6.5.5.7.3).
   */
  public boolean supportsPinUvAuthToken() {
    return option("pinUvAuthToken").orElse(false);
  }

  /**
   * Member 0x11 preferredPlatformUvAttempts: how many times the platform should call
   * getPinUvAuthTokenUsingUvWithPermissions before falling back to the PIN; empty when omitted
   * (or not an unsigned integer: it is only a hint, so a malformed one counts as absent).
   */
  public Optional<Long> preferredPlatformUvAttempts() {
    try {
      return raw.optLong(0x11L).filter(n -> n > 0);
    } catch (CtapException e) {
      return Optional.empty();
    }
  }

  /** options.rk is true: discoverable credentials can be stored. */
  public boolean supportsResidentKeys() {
    return option("rk").orElse(false);
  }

  /** options.makeCredUvNotRqd is true (CTAP 2.1 section 6.4; absent means false). */
  public boolean makeCredUvNotRequired() {
    return option("makeCredUvNotRqd").orElse(false);
  }

  /** The AAGUID as a UUID, when it has 16 bytes. */
  public Optional<UUID> aaguidUuid() {
    if (aaguid.length() != 16) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(aaguid.unsafeArray());
    return Optional.of(new UUID(b.getLong(), b.getLong()));
  }

  /**
   * The whole response in readable form, one member per line, named as in CTAP 2.1 section 6.4
   * (unknown members by their key).
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Object, Object> e : raw.asMap().entrySet()) {
      String name =
          e.getKey() instanceof Long k
              ? MEMBER_NAMES.getOrDefault(k, "0x" + Long.toHexString(k))
              : String.valueOf(e.getKey());
      String value =
          Long.valueOf(0x03L).equals(e.getKey())
              ? aaguidUuid().map(UUID::toString).orElse(aaguid.hex())
              : render(e.getValue());
      sb.append(String.format("%-34s %s%n", name + ":", value));
    }
    return sb.toString();
  }

  /** Renders a decoded CBOR value: maps as {k: v, ...}, lists as [..], bytes as hex. */
  static String render(Object v) {
    if (v instanceof Bytes b) {
      return "h'" + b.hex() + "'";
    }
    if (v instanceof CborMap m) {
      List<String> parts = new ArrayList<>();
      m.asMap().forEach((k, x) -> parts.add(render(k) + ": " + render(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(render(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof CborNull) {
      return "null";
    }
    return String.valueOf(v);
  }
}
