package dev.softkey.platform;

import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
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

  public AuthenticatorInfo {
    versions = List.copyOf(versions);
    extensions = List.copyOf(extensions);
    options = Map.copyOf(options);
    pinUvAuthProtocols = List.copyOf(pinUvAuthProtocols);
    algorithms = List.copyOf(algorithms);
  }

  /** Reads a getInfo response map strictly ({@link GetInfoResponse#fromCbor}); throws CtapException with the CBOR status if malformed. */
  public static AuthenticatorInfo parse(CborMap m) {
    GetInfoResponse r = GetInfoResponse.fromCbor(m);
    List<Long> algs = new ArrayList<>();
    for (PublicKeyCredentialParameters p : r.algorithms().orElse(List.of())) {
      algs.add(p.alg());
    }
    return new AuthenticatorInfo(
        r.versions(),
        r.extensions().orElse(List.of()),
        r.aaguid(),
        r.options().orElse(Map.of()),
        r.pinUvAuthProtocols().orElse(List.of()),
        r.maxCredentialCountInList(),
        r.maxCredentialIdLength(),
        algs,
        m);
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
              ? GetInfoResponse.MEMBER_NAMES.getOrDefault(k, "0x" + Long.toHexString(k))
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
