package dev.softkey.core.pin;

import dev.softkey.core.cbor.CborDecoder;
import dev.softkey.core.cbor.CborEncoder;
import dev.softkey.core.cbor.CborMap;
import dev.softkey.core.crypto.RandomSource;
import dev.softkey.core.ctap2.CtapException;
import dev.softkey.core.ctap2.CtapStatus;
import dev.softkey.core.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The platform (client) side of authenticatorClientPIN (CTAP 2.1 section 6.5.5), over any channel
 * that carries a full CTAP request (command byte 0x06 followed by CBOR) and returns the full
 * response (status byte, then CBOR). A status other than CTAP2_OK surfaces as a {@link
 * CtapException} with that status (CTAP1_ERR_OTHER for codes {@link CtapStatus} does not name).
 *
 * <p>PINs are normalized to Unicode Normalization Form C and encoded as UTF-8. The platform checks
 * only that a PIN fits the 64-byte padded block; minimum and maximum length are the authenticator's
 * to enforce, so that tests can see its answers.
 */
public final class PlatformPin {
  /** authenticatorClientPIN command byte. */
  public static final int AUTHENTICATOR_CLIENT_PIN = 0x06;

  private final Function<byte[], byte[]> transport;
  private final PinUvAuthProtocol protocol;
  private final boolean pinUvAuthTokenSupported;

  /**
   * A platform using {@code protocolVersion}; tokens come from getPinUvAuthTokenUsingPinWithPermissions
   * (0x09) when the version is 2 (a FIDO_2_1 authenticator), from getPinToken (0x05) when it is 1.
   */
  public PlatformPin(Function<byte[], byte[]> transport, int protocolVersion, RandomSource random) {
    this(transport, protocolVersion, protocolVersion == PinUvAuthProtocolTwo.VERSION, random);
  }

  /**
   * @param pinUvAuthTokenSupported whether the authenticator reports the pinUvAuthToken option (so
   *     that 0x09 is used rather than getPinToken)
   */
  public PlatformPin(
      Function<byte[], byte[]> transport, int protocolVersion, boolean pinUvAuthTokenSupported, RandomSource random) {
    this.transport = transport;
    this.protocol = PinUvAuthProtocol.of(protocolVersion, random);
    this.pinUvAuthTokenSupported = pinUvAuthTokenSupported;
  }

  public int protocolVersion() {
    return protocol.version();
  }

  /** getPINRetries (0x01). */
  public int pinRetries() {
    return (int) send(request(ClientPin.GET_PIN_RETRIES, false)).longValue(ClientPin.RESP_PIN_RETRIES);
  }

  /** getUVRetries (0x07). */
  public int uvRetries() {
    return (int) send(request(ClientPin.GET_UV_RETRIES, false)).longValue(ClientPin.RESP_UV_RETRIES);
  }

  /** getKeyAgreement (0x02): the authenticator's key agreement key as a COSE_Key. */
  public CborMap keyAgreement() {
    return send(request(ClientPin.GET_KEY_AGREEMENT, true)).map(ClientPin.RESP_KEY_AGREEMENT);
  }

  /** setPIN (0x03). */
  public void setPin(String pin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Bytes newPinEnc = protocol.encrypt(e.sharedSecret(), paddedPin(pin));
    Map<Object, Object> req = request(ClientPin.SET_PIN, true);
    req.put(ClientPin.REQ_KEY_AGREEMENT, e.keyAgreement());
    req.put(ClientPin.REQ_PIN_UV_AUTH_PARAM, protocol.authenticate(e.sharedSecret(), newPinEnc.unsafeArray()));
    req.put(ClientPin.REQ_NEW_PIN_ENC, newPinEnc);
    send(req);
  }

  /** changePIN (0x04). */
  public void changePin(String oldPin, String newPin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Bytes newPinEnc = protocol.encrypt(e.sharedSecret(), paddedPin(newPin));
    Bytes pinHashEnc = protocol.encrypt(e.sharedSecret(), pinHash(oldPin));
    Map<Object, Object> req = request(ClientPin.CHANGE_PIN, true);
    req.put(ClientPin.REQ_KEY_AGREEMENT, e.keyAgreement());
    req.put(
        ClientPin.REQ_PIN_UV_AUTH_PARAM,
        protocol.authenticate(e.sharedSecret(), Bytes.concat(newPinEnc, pinHashEnc).unsafeArray()));
    req.put(ClientPin.REQ_NEW_PIN_ENC, newPinEnc);
    req.put(ClientPin.REQ_PIN_HASH_ENC, pinHashEnc);
    send(req);
  }

  /**
   * A pinUvAuthToken from the PIN: getPinUvAuthTokenUsingPinWithPermissions (0x09) with {@code
   * permissions} and {@code rpId} when the authenticator supports it, else getPinToken (0x05), whose
   * token has the mc and ga permissions and no RP ID.
   */
  public PinToken getPinUvAuthToken(String pin, Set<Permission> permissions, Optional<String> rpId) {
    if (!pinUvAuthTokenSupported) {
      return getPinToken(pin);
    }
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Map<Object, Object> req = request(ClientPin.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS, true);
    req.put(ClientPin.REQ_KEY_AGREEMENT, e.keyAgreement());
    req.put(ClientPin.REQ_PIN_HASH_ENC, protocol.encrypt(e.sharedSecret(), pinHash(pin)));
    req.put(ClientPin.REQ_PERMISSIONS, bits(permissions));
    req.put(ClientPin.REQ_RP_ID, rpId.orElse(null));
    return token(e, send(req));
  }

  /** getPinToken (0x05), the superseded subcommand. */
  public PinToken getPinToken(String pin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Map<Object, Object> req = request(ClientPin.GET_PIN_TOKEN, true);
    req.put(ClientPin.REQ_KEY_AGREEMENT, e.keyAgreement());
    req.put(ClientPin.REQ_PIN_HASH_ENC, protocol.encrypt(e.sharedSecret(), pinHash(pin)));
    return token(e, send(req));
  }

  /** getPinUvAuthTokenUsingUvWithPermissions (0x06): a token from built-in UV. */
  public PinToken getUvToken(Set<Permission> permissions, Optional<String> rpId) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Map<Object, Object> req = request(ClientPin.GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS, true);
    req.put(ClientPin.REQ_KEY_AGREEMENT, e.keyAgreement());
    req.put(ClientPin.REQ_PERMISSIONS, bits(permissions));
    req.put(ClientPin.REQ_RP_ID, rpId.orElse(null));
    return token(e, send(req));
  }

  /** The PIN as UTF-8 in Normalization Form C, padded with zero bytes to 64 bytes. */
  public static Bytes paddedPin(String pin) {
    byte[] utf8 = utf8(pin);
    if (utf8.length > ClientPin.PADDED_PIN_LENGTH) {
      throw new IllegalArgumentException("a PIN is at most 64 bytes of UTF-8");
    }
    return Bytes.wrap(Arrays.copyOf(utf8, ClientPin.PADDED_PIN_LENGTH));
  }

  /** LEFT(SHA-256(pin), 16) of the NFC UTF-8 PIN. */
  public static Bytes pinHash(String pin) {
    return Bytes.wrap(Arrays.copyOf(PinCrypto.sha256(utf8(pin)), 16));
  }

  private static byte[] utf8(String pin) {
    return Normalizer.normalize(pin, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
  }

  private static long bits(Set<Permission> permissions) {
    long b = 0;
    for (Permission p : permissions) {
      b |= p.bit();
    }
    return b;
  }

  private PinToken token(PinUvAuthProtocol.Encapsulation e, CborMap response) {
    Bytes enc = response.bytes(ClientPin.RESP_PIN_UV_AUTH_TOKEN);
    Bytes token =
        protocol
            .decrypt(e.sharedSecret(), enc)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_OTHER, "undecryptable pinUvAuthToken"));
    return new PinToken(protocol.version(), token);
  }

  private Map<Object, Object> request(long subCommand, boolean withProtocol) {
    Map<Object, Object> m = new LinkedHashMap<>();
    if (withProtocol) {
      m.put(ClientPin.REQ_PIN_UV_AUTH_PROTOCOL, (long) protocol.version());
    }
    m.put(ClientPin.REQ_SUB_COMMAND, subCommand);
    return m;
  }

  private CborMap send(Map<Object, Object> params) {
    byte[] cbor = CborEncoder.encode(params);
    byte[] req = new byte[cbor.length + 1];
    req[0] = (byte) AUTHENTICATOR_CLIENT_PIN;
    System.arraycopy(cbor, 0, req, 1, cbor.length);
    byte[] resp = transport.apply(req);
    if (resp == null || resp.length == 0) {
      throw new CtapException(CtapStatus.CTAP1_ERR_OTHER, "empty response");
    }
    int status = resp[0] & 0xFF;
    if (status != CtapStatus.CTAP2_OK.code()) {
      throw CtapStatus.fromCode(status)
          .map(CtapException::new)
          .orElseGet(() -> new CtapException(CtapStatus.CTAP1_ERR_OTHER, "status 0x" + Integer.toHexString(status)));
    }
    if (resp.length == 1) {
      return new CborMap(Map.of());
    }
    return CborDecoder.decodeMap(Arrays.copyOfRange(resp, 1, resp.length));
  }
}
