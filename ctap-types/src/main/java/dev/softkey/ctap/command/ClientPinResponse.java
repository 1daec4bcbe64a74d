package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorClientPIN response members (CTAP 2.1 section 6.5.5); each subcommand fills some.
 *
 * @param keyAgreement 0x01, the authenticator's COSE_Key
 * @param pinUvAuthToken 0x02, encrypted
 * @param pinRetries 0x03
 * @param powerCycleState 0x04
 * @param uvRetries 0x05
 */
public record ClientPinResponse(
    Optional<CborMap> keyAgreement,
    Optional<Bytes> pinUvAuthToken,
    Optional<Long> pinRetries,
    Optional<Boolean> powerCycleState,
    Optional<Long> uvRetries)
    implements CborEncodable {
  public static final long KEY_AGREEMENT = 0x01;
  public static final long PIN_UV_AUTH_TOKEN = 0x02;
  public static final long PIN_RETRIES = 0x03;
  public static final long POWER_CYCLE_STATE = 0x04;
  public static final long UV_RETRIES = 0x05;

  /** Section 6.5.5 types pinRetries and uvRetries "Unsigned Integer": a negative one is CTAP2_ERR_CBOR_UNEXPECTED_TYPE. */
  public ClientPinResponse {
    Members.requireUnsigned("pinRetries", pinRetries);
    Members.requireUnsigned("uvRetries", uvRetries);
  }

  public static ClientPinResponse empty() {
    return new ClientPinResponse(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static ClientPinResponse ofKeyAgreement(CborMap k) {
    return new ClientPinResponse(Optional.of(k), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static ClientPinResponse ofToken(Bytes encryptedToken) {
    return new ClientPinResponse(Optional.empty(), Optional.of(encryptedToken), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static ClientPinResponse ofPinRetries(long retries, Optional<Boolean> powerCycleState) {
    return new ClientPinResponse(Optional.empty(), Optional.empty(), Optional.of(retries), powerCycleState, Optional.empty());
  }

  public static ClientPinResponse ofUvRetries(long retries) {
    return new ClientPinResponse(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(retries));
  }

  public static ClientPinResponse fromCbor(CborMap m) {
    return new ClientPinResponse(
        m.optMap(KEY_AGREEMENT), m.optBytes(PIN_UV_AUTH_TOKEN), m.optLong(PIN_RETRIES), m.optBool(POWER_CYCLE_STATE), m.optLong(UV_RETRIES));
  }

  /** The members as a map; an empty response (setPIN, changePIN) is an empty map, which the dispatcher sends as no body. */
  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(KEY_AGREEMENT, keyAgreement)
        .putOpt(PIN_UV_AUTH_TOKEN, pinUvAuthToken)
        .putOpt(PIN_RETRIES, pinRetries)
        .putOpt(POWER_CYCLE_STATE, powerCycleState)
        .putOpt(UV_RETRIES, uvRetries)
        .build();
  }
}
