package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorGetAssertion parameters (CTAP 2.1 section 6.2.1), decoded strictly.
 *
 * @param rpId 0x01
 * @param clientDataHash 0x02
 * @param allowList 0x03, left out when empty
 * @param extensions 0x04, extension identifier to input
 * @param options 0x05, left out when empty
 * @param pinUvAuthParam 0x06
 * @param pinUvAuthProtocol 0x07
 */
public record GetAssertionRequest(
    String rpId,
    Bytes clientDataHash,
    List<PublicKeyCredentialDescriptor> allowList,
    Optional<CborMap> extensions,
    CtapOptions options,
    Optional<Bytes> pinUvAuthParam,
    Optional<Long> pinUvAuthProtocol)
    implements CtapRequest {
  public static final long RP_ID = 0x01;
  public static final long CLIENT_DATA_HASH = 0x02;
  public static final long ALLOW_LIST = 0x03;
  public static final long EXTENSIONS = 0x04;
  public static final long OPTIONS = 0x05;
  public static final long PIN_UV_AUTH_PARAM = 0x06;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x07;

  /** pinUvAuthProtocol is "Unsigned Integer" (section 6.2.1): a negative one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
  public GetAssertionRequest {
    allowList = List.copyOf(allowList);
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.GET_ASSERTION;
  }

  public Optional<Boolean> rk() {
    return options.rk();
  }

  public Optional<Boolean> up() {
    return options.up();
  }

  public Optional<Boolean> uv() {
    return options.uv();
  }

  /** SHA-256 of the RP ID, the rpIdHash of authenticatorData. */
  public Bytes rpIdHash() {
    return PublicKeyCredentialRpEntity.idHash(rpId);
  }

  /** The input of one extension, when the platform sent it. */
  public Optional<Object> extension(String identifier) {
    return extensions.flatMap(e -> e.opt(identifier));
  }

  public static GetAssertionRequest fromCbor(CborMap m) {
    return new GetAssertionRequest(
        m.text(RP_ID),
        m.bytes(CLIENT_DATA_HASH),
        WireLists.maps(m.optList(ALLOW_LIST).orElse(List.of()), PublicKeyCredentialDescriptor::fromCbor),
        m.optMap(EXTENSIONS),
        m.optMap(OPTIONS).map(CtapOptions::fromCbor).orElse(CtapOptions.NONE),
        m.optBytes(PIN_UV_AUTH_PARAM),
        m.optLong(PIN_UV_AUTH_PROTOCOL));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .put(RP_ID, rpId)
        .put(CLIENT_DATA_HASH, clientDataHash)
        .putNonEmpty(ALLOW_LIST, allowList)
        .putOpt(EXTENSIONS, extensions)
        .put(OPTIONS, options.isEmpty() ? null : options)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .build();
  }
}
