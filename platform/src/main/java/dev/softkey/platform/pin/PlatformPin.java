package dev.softkey.platform.pin;

import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.ctap.pin.PinUvAuthProtocolTwo;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinRequest.SubCommand;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
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
  /** Length of paddedNewPin (CTAP 2.1 section 6.5.5.5). */
  public static final int PADDED_PIN_LENGTH = 64;

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
    return send(request(SubCommand.GET_PIN_RETRIES, false)).pinRetries().orElseThrow(() -> missing("pinRetries")).intValue();
  }

  /** getUVRetries (0x07). */
  public int uvRetries() {
    return send(request(SubCommand.GET_UV_RETRIES, false)).uvRetries().orElseThrow(() -> missing("uvRetries")).intValue();
  }

  /** getKeyAgreement (0x02): the authenticator's key agreement key as a COSE_Key. */
  public CborMap keyAgreement() {
    return send(request(SubCommand.GET_KEY_AGREEMENT, true)).keyAgreement().orElseThrow(() -> missing("keyAgreement"));
  }

  /** setPIN (0x03). */
  public void setPin(String pin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Bytes newPinEnc = protocol.encrypt(e.sharedSecret(), paddedPin(pin));
    send(
        request(SubCommand.SET_PIN, true)
            .withKeyAgreement(new CborMap(e.keyAgreement()))
            .withPinUvAuthParam(protocol.authenticate(e.sharedSecret(), newPinEnc.unsafeArray()))
            .withNewPinEnc(newPinEnc));
  }

  /** changePIN (0x04). */
  public void changePin(String oldPin, String newPin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    Bytes newPinEnc = protocol.encrypt(e.sharedSecret(), paddedPin(newPin));
    Bytes pinHashEnc = protocol.encrypt(e.sharedSecret(), pinHash(oldPin));
    send(
        request(SubCommand.CHANGE_PIN, true)
            .withKeyAgreement(new CborMap(e.keyAgreement()))
            .withPinUvAuthParam(protocol.authenticate(e.sharedSecret(), Bytes.concat(newPinEnc, pinHashEnc).unsafeArray()))
            .withNewPinEnc(newPinEnc)
            .withPinHashEnc(pinHashEnc));
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
    return token(
        e,
        send(
            request(SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS, true)
                .withKeyAgreement(new CborMap(e.keyAgreement()))
                .withPinHashEnc(protocol.encrypt(e.sharedSecret(), pinHash(pin)))
                .withPermissions(Permission.bits(permissions), rpId)));
  }

  /** getPinToken (0x05), the superseded subcommand. */
  public PinToken getPinToken(String pin) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    return token(
        e,
        send(
            request(SubCommand.GET_PIN_TOKEN, true)
                .withKeyAgreement(new CborMap(e.keyAgreement()))
                .withPinHashEnc(protocol.encrypt(e.sharedSecret(), pinHash(pin)))));
  }

  /** getPinUvAuthTokenUsingUvWithPermissions (0x06): a token from built-in UV. */
  public PinToken getUvToken(Set<Permission> permissions, Optional<String> rpId) {
    PinUvAuthProtocol.Encapsulation e = protocol.encapsulate(keyAgreement());
    return token(
        e,
        send(
            request(SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS, true)
                .withKeyAgreement(new CborMap(e.keyAgreement()))
                .withPermissions(Permission.bits(permissions), rpId)));
  }

  /** The PIN as UTF-8 in Normalization Form C, padded with zero bytes to 64 bytes. */
  public static Bytes paddedPin(String pin) {
    byte[] utf8 = utf8(pin);
    if (utf8.length > PADDED_PIN_LENGTH) {
      throw new IllegalArgumentException("a PIN is at most 64 bytes of UTF-8");
    }
    return Bytes.wrap(Arrays.copyOf(utf8, PADDED_PIN_LENGTH));
  }

  /** LEFT(SHA-256(pin), 16) of the NFC UTF-8 PIN. */
  public static Bytes pinHash(String pin) {
    return Bytes.wrap(Arrays.copyOf(PinCrypto.sha256(utf8(pin)), 16));
  }

  private static byte[] utf8(String pin) {
    return Normalizer.normalize(pin, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
  }

  private static CtapException missing(String member) {
    return new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "the authenticator's response lacks " + member);
  }

  private PinToken token(PinUvAuthProtocol.Encapsulation e, ClientPinResponse response) {
    Bytes enc = response.pinUvAuthToken().orElseThrow(() -> missing("pinUvAuthToken"));
    Bytes token =
        protocol
            .decrypt(e.sharedSecret(), enc)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_OTHER, "undecryptable pinUvAuthToken"));
    return new PinToken(protocol.version(), token);
  }

  private ClientPinRequest request(SubCommand sub, boolean withProtocol) {
    return ClientPinRequest.of(withProtocol ? Optional.of((long) protocol.version()) : Optional.empty(), sub);
  }

  private ClientPinResponse send(ClientPinRequest request) {
    return ClientPinResponse.fromCbor(CtapReply.body(transport.apply(request.encode())));
  }
}
