package dev.softkey.platform;

import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.PublicKeyCredentialParameters;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The platform's reading of an authenticatorGetInfo response (CTAP 2.1 section 6.4): the members
 * the client needs to decide rk, uv and the PIN flow, plus the whole map for display.
 *
 * @param response the response as the wire record reads it (strictly)
 * @param raw the whole response map, for display in the order the authenticator sent it
 */
public record AuthenticatorInfo(GetInfoResponse response, CborMap raw) {
  /** Reads a getInfo response map strictly ({@link GetInfoResponse#fromCbor}); throws CtapException with the CBOR status if malformed. */
  public static AuthenticatorInfo parse(CborMap m) {
    return new AuthenticatorInfo(GetInfoResponse.fromCbor(m), m);
  }

  /** Member 0x01. */
  public List<String> versions() {
    return response.versions();
  }

  /** Member 0x02, empty when omitted. */
  public List<String> extensions() {
    return response.extensions().orElse(List.of());
  }

  /** Member 0x03. */
  public Bytes aaguid() {
    return response.aaguid();
  }

  /** Member 0x04; an absent option is absent here, not false. */
  public Map<String, Boolean> options() {
    return response.options().orElse(Map.of());
  }

  /** Member 0x06, empty when omitted. */
  public List<Long> pinUvAuthProtocols() {
    return response.pinUvAuthProtocols().orElse(List.of());
  }

  /** Member 0x07. */
  public Optional<Long> maxCredentialCountInList() {
    return response.maxCredentialCountInList();
  }

  /** Member 0x08. */
  public Optional<Long> maxCredentialIdLength() {
    return response.maxCredentialIdLength();
  }

  /** Member 0x0A, the COSE algorithm identifiers (empty when omitted). */
  public List<Long> algorithms() {
    return response.algorithms().orElse(List.of()).stream().map(PublicKeyCredentialParameters::alg).toList();
  }

  /** The value of an option, empty when the authenticator does not report it. */
  public Optional<Boolean> option(String id) {
    return response.option(id);
  }

  /** options.clientPin is true: a PIN is set. */
  public boolean isPinSet() {
    return option("clientPin").orElse(false);
  }

  /** options.clientPin is present: the authenticator supports the PIN protocol. */
  public boolean supportsClientPin() {
    return options().containsKey("clientPin");
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
   * or 0.
   */
  public Optional<Long> preferredPlatformUvAttempts() {
    return response.preferredPlatformUvAttempts().filter(n -> n > 0);
  }

  /** Member 0x0C forcePINChange: the PIN must be changed before it is accepted (absent: false). */
  public boolean forcePinChange() {
    return response.forcePinChange().orElse(false);
  }

  /** Member 0x0D minPINLength, the current minimum PIN length; empty when omitted. */
  public Optional<Long> minPinLength() {
    return response.minPinLength();
  }

  /** Member 0x10 maxRPIDsForSetMinPINLength; empty when omitted. */
  public Optional<Long> maxRpIdsForSetMinPinLength() {
    return response.maxRpIdsForSetMinPinLength();
  }

  /** options.rk is true: discoverable credentials can be stored. */
  public boolean supportsResidentKeys() {
    return option("rk").orElse(false);
  }

  /** options.makeCredUvNotRqd is true (CTAP 2.1 section 6.4; absent means false). */
  public boolean makeCredUvNotRequired() {
    return option("makeCredUvNotRqd").orElse(false);
  }

  /** The AAGUID as a UUID (GetInfoResponse ensures its 16 bytes). */
  public Optional<UUID> aaguidUuid() {
    ByteBuffer b = ByteBuffer.wrap(aaguid().unsafeArray());
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
              ? aaguidUuid().map(UUID::toString).orElse(aaguid().hex())
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
