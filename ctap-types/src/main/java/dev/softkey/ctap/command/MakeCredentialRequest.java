package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorMakeCredential parameters (CTAP 2.1 section 6.1.1), decoded strictly.
 *
 * @param clientDataHash 0x01
 * @param rp 0x02
 * @param user 0x03 (user.id at most 64 bytes: CTAP1_ERR_INVALID_LENGTH otherwise)
 * @param pubKeyCredParams 0x04, in the platform's order of preference
 * @param excludeList 0x05, left out when empty
 * @param extensions 0x06, extension identifier to input
 * @param options 0x07, left out when empty
 * @param pinUvAuthParam 0x08
 * @param pinUvAuthProtocol 0x09
 * @param enterpriseAttestation 0x0A
 */
public record MakeCredentialRequest(
    Bytes clientDataHash,
    PublicKeyCredentialRpEntity rp,
    PublicKeyCredentialUserEntity user,
    List<PublicKeyCredentialParameters> pubKeyCredParams,
    List<PublicKeyCredentialDescriptor> excludeList,
    Optional<CborMap> extensions,
    CtapOptions options,
    Optional<Bytes> pinUvAuthParam,
    Optional<Long> pinUvAuthProtocol,
    Optional<Long> enterpriseAttestation)
    implements CtapRequest {
  public static final long CLIENT_DATA_HASH = 0x01;
  public static final long RP = 0x02;
  public static final long USER = 0x03;
  public static final long PUB_KEY_CRED_PARAMS = 0x04;
  public static final long EXCLUDE_LIST = 0x05;
  public static final long EXTENSIONS = 0x06;
  public static final long OPTIONS = 0x07;
  public static final long PIN_UV_AUTH_PARAM = 0x08;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x09;
  public static final long ENTERPRISE_ATTESTATION = 0x0A;

  /** pinUvAuthProtocol and enterpriseAttestation are "Unsigned Integer" (section 6.1.1): a negative one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
  public MakeCredentialRequest {
    pubKeyCredParams = List.copyOf(pubKeyCredParams);
    excludeList = List.copyOf(excludeList);
    if (user.id().length() > PublicKeyCredentialUserEntity.MAX_ID_LENGTH) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "user.id longer than 64 bytes");
    }
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
    Members.requireUnsigned("enterpriseAttestation", enterpriseAttestation);
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.MAKE_CREDENTIAL;
  }

  public String rpId() {
    return rp.id();
  }

  /** SHA-256 of rp.id, the rpIdHash of authenticatorData. */
  public Bytes rpIdHash() {
    return PublicKeyCredentialRpEntity.idHash(rp.id());
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

  /** The input of one extension, when the platform sent it. */
  public Optional<Object> extension(String identifier) {
    return extensions.flatMap(e -> e.opt(identifier));
  }

  public static MakeCredentialRequest fromCbor(CborMap m) {
    return new MakeCredentialRequest(
        m.bytes(CLIENT_DATA_HASH),
        PublicKeyCredentialRpEntity.fromCbor(m.map(RP)),
        PublicKeyCredentialUserEntity.fromCbor(m.map(USER)),
        WireLists.maps(m.list(PUB_KEY_CRED_PARAMS), PublicKeyCredentialParameters::fromCbor),
        WireLists.maps(m.optList(EXCLUDE_LIST).orElse(List.of()), PublicKeyCredentialDescriptor::fromCbor),
        m.optMap(EXTENSIONS),
        m.optMap(OPTIONS).map(CtapOptions::fromCbor).orElse(CtapOptions.NONE),
        m.optBytes(PIN_UV_AUTH_PARAM),
        m.optLong(PIN_UV_AUTH_PROTOCOL),
        m.optLong(ENTERPRISE_ATTESTATION));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .put(CLIENT_DATA_HASH, clientDataHash)
        .put(RP, rp)
        .put(USER, user)
        .put(PUB_KEY_CRED_PARAMS, pubKeyCredParams)
        .putNonEmpty(EXCLUDE_LIST, excludeList)
        .putOpt(EXTENSIONS, extensions)
        .put(OPTIONS, options.isEmpty() ? null : options)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .putOpt(ENTERPRISE_ATTESTATION, enterpriseAttestation)
        .build();
  }
}
