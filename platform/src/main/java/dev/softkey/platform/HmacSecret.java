package dev.softkey.platform;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.platform.WebAuthnException.Name;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's part of hmac-secret (CTAP 2.1 section 12.5) and hmac-secret-mc (CTAP 2.2 section
 * 12.7): one key agreement with the authenticator (authenticatorClientPIN getKeyAgreement, then the
 * protocol's encapsulate), the salts encrypted under the shared secret with their saltAuth, and the
 * authenticator's encrypted output decrypted. One instance serves one request: the shared secret
 * is never reused and never printed.
 */
final class HmacSecret {
  /** hmac-secret's input keys (CTAP 2.1 section 12.5): keyAgreement, saltEnc, saltAuth, pinUvAuthProtocol. */
  static final long KEY_AGREEMENT = 0x01;
  static final long SALT_ENC = 0x02;
  static final long SALT_AUTH = 0x03;
  static final long PIN_UV_AUTH_PROTOCOL = 0x04;

  /** Salt length, and length of each output. */
  static final int SALT_LENGTH = 32;

  /** The prefix of PRF salts: UTF8Encode("WebAuthn PRF") || 0x00 (WebAuthn L3 section 10.1.4). */
  private static final byte[] PRF_CONTEXT = "WebAuthn PRF\0".getBytes(StandardCharsets.US_ASCII);

  private final PinUvAuthProtocol protocol;
  private final Map<Object, Object> platformKey;
  private final Bytes sharedSecret;

  private HmacSecret(PinUvAuthProtocol protocol, Map<Object, Object> platformKey, Bytes sharedSecret) {
    this.protocol = protocol;
    this.platformKey = platformKey;
    this.sharedSecret = sharedSecret;
  }

  /**
   * The PIN/UV auth protocol the extension uses: the one of the pinUvAuthToken when the request
   * carries one (the authenticator checks pinUvAuthProtocol against both), else the first of the
   * authenticator's pinUvAuthProtocols (in order of its preference, CTAP 2.1 section 6.4) that the
   * platform implements; empty when there is none, and then hmac-secret cannot be used (Chromium:
   * supports_hmac_secret requires a chosen PIN protocol).
   */
  static Optional<Integer> protocolFor(AuthenticatorInfo info, Optional<PinTokenProvider.PinToken> token) {
    if (token.isPresent()) {
      return Optional.of(token.get().protocol());
    }
    for (long p : info.pinUvAuthProtocols()) {
      if (p == 1 || p == 2) {
        return Optional.of((int) p);
      }
    }
    return Optional.empty();
  }

  /** getKeyAgreement (CTAP 2.1 section 6.5.5.4) and encapsulate(peerCoseKey) of {@code version}. */
  static HmacSecret agree(Ctap ctap, int version, RandomSource random) {
    PinUvAuthProtocol protocol = PinUvAuthProtocol.of(version, random);
    ClientPinResponse r = ctap.call(ClientPinRequest.of(Optional.of((long) version), ClientPinRequest.SubCommand.GET_KEY_AGREEMENT), ClientPinResponse::fromCbor);
    CborMap peer =
        r.keyAgreement().orElseThrow(() -> new WebAuthnException(Name.UnknownError, "getKeyAgreement returned no keyAgreement"));
    PinUvAuthProtocol.Encapsulation e;
    try {
      e = protocol.encapsulate(peer);
    } catch (dev.softkey.ctap.CtapException ex) {
      throw new WebAuthnException(Name.UnknownError, "the authenticator's key agreement key is not a valid P-256 key");
    }
    return new HmacSecret(protocol, e.keyAgreement(), e.sharedSecret());
  }

  /** salt = SHA-256("WebAuthn PRF" || 0x00 || input) (WebAuthn L3 section 10.1.4, the PRF salts). */
  static Bytes prfSalt(Bytes input) {
    return WebAuthnClient.sha256(Bytes.concat(Bytes.wrap(PRF_CONTEXT), input));
  }

  /**
   * The authenticator extension input for one or two 32-byte salts: {1: keyAgreement, 2: saltEnc =
   * encrypt(sharedSecret, salt1 || salt2), 3: saltAuth = authenticate(sharedSecret, saltEnc), 4:
   * pinUvAuthProtocol}.
   */
  Map<Object, Object> input(Bytes salt1, Optional<Bytes> salt2) {
    Bytes salts = salt2.map(s -> Bytes.concat(salt1, s)).orElse(salt1);
    Bytes saltEnc = protocol.encrypt(sharedSecret, salts);
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(KEY_AGREEMENT, new CborMap(platformKey));
    m.put(SALT_ENC, saltEnc);
    m.put(SALT_AUTH, protocol.authenticate(sharedSecret, saltEnc.unsafeArray()));
    m.put(PIN_UV_AUTH_PROTOCOL, (long) protocol.version());
    return m;
  }

  /**
   * The decrypted output: output1, and output2 when two salts were sent. An output that does not
   * decrypt to one or two 32-byte values is UnknownError (the authenticator misbehaved).
   */
  Outputs decrypt(Bytes encrypted) {
    Bytes plain =
        protocol
            .decrypt(sharedSecret, encrypted)
            .orElseThrow(() -> new WebAuthnException(Name.UnknownError, "the hmac-secret output does not decrypt"));
    if (plain.length() == SALT_LENGTH) {
      return new Outputs(plain, Optional.empty());
    }
    if (plain.length() == 2 * SALT_LENGTH) {
      return new Outputs(plain.slice(0, SALT_LENGTH), Optional.of(plain.slice(SALT_LENGTH, 2 * SALT_LENGTH)));
    }
    throw new WebAuthnException(Name.UnknownError, "the hmac-secret output has " + plain.length() + " bytes, not 32 or 64");
  }

  /** The decrypted hmac-secret outputs (secret: {@link Bytes#toString()} hides them). */
  record Outputs(Bytes output1, Optional<Bytes> output2) {}
}
