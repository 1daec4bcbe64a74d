package dev.softkey.core.extension;

import dev.softkey.core.pin.PinUvAuthState;
import dev.softkey.core.pin.SharedSecret;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What hmac-secret (CTAP 2.1 section 12.5) and hmac-secret-mc (CTAP 2.2 section 12.8) share: the
 * input map, the per-credential CredRandomWithUV and CredRandomWithoutUV, and the evaluation
 * (decapsulate, verify saltAuth, decrypt the salts, HMAC them with a CredRandom, encrypt the
 * outputs).
 *
 * <p>The state kept with a credential (extension state "hmac-secret") holds the two CredRandoms:
 *
 * <ul>
 *   <li>a discoverable credential keeps both random 32-byte values in its stored record, as the
 *       spec words it (64 bytes: CredRandomWithUV || CredRandomWithoutUV);
 *   <li>a non-discoverable credential would carry them inside its sealed ID, which must stay within
 *       the profile's maxCredentialIdLength (128 bytes on the YubiKey profiles, which an EdDSA ID
 *       with even a 16-byte seed passes), so its state is the one byte {@code 0x01} and both values
 *       are HMAC-SHA-256(credential secret, label) under distinct labels: the credential secret
 *       ({@code Extensions.credentialSecret}) comes from the credential's own random private key,
 *       as OpenSK derives its CredRandom from the private key ({@code generate_cred_random}).
 * </ul>
 *
 * Neither value is ever logged or printed ({@link CredRandoms#toString()}).
 */
final class HmacSecret {
  static final String IDENTIFIER = "hmac-secret";
  static final String MC_IDENTIFIER = "hmac-secret-mc";
  /** A salt and an output are 32 bytes; one or two of them are sent. */
  static final int SALT_LENGTH = 32;
  static final int CRED_RANDOM_LENGTH = 32;
  /** The state of a non-discoverable credential: CredRandoms derived from the credential secret. */
  static final Bytes DERIVED = Bytes.wrap(new byte[] {0x01});

  private static final byte[] WITH_UV_LABEL = "softkey hmac-secret CredRandomWithUV".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WITHOUT_UV_LABEL =
      "softkey hmac-secret CredRandomWithoutUV".getBytes(StandardCharsets.US_ASCII);

  // The input map's keys (section 12.5, authenticator extension input).
  static final long KEY_AGREEMENT = 0x01;
  static final long SALT_ENC = 0x02;
  static final long SALT_AUTH = 0x03;
  static final long PIN_UV_AUTH_PROTOCOL = 0x04;

  private HmacSecret() {}

  /**
   * The input of hmac-secret at getAssertion, and of hmac-secret-mc at makeCredential.
   *
   * @param keyAgreement 0x01, the platform key agreement key (COSE_Key)
   * @param saltEnc 0x02, encrypt(shared secret, salt1) or encrypt(shared secret, salt1 || salt2)
   * @param saltAuth 0x03, authenticate(shared secret, saltEnc)
   * @param pinUvAuthProtocol 0x04, optional; 1 when absent
   */
  record Input(CborMap keyAgreement, Bytes saltEnc, Bytes saltAuth, long pinUvAuthProtocol) {
    /**
     * Parses the input: not a map, or a member of the wrong type, is CTAP2_ERR_CBOR_UNEXPECTED_TYPE;
     * a missing keyAgreement, saltEnc or saltAuth is CTAP2_ERR_MISSING_PARAMETER.
     */
    static Input parse(Object input) {
      CborMap m = CborMap.asMap(input);
      return new Input(
          m.map(KEY_AGREEMENT), m.bytes(SALT_ENC), m.bytes(SALT_AUTH), m.optLong(PIN_UV_AUTH_PROTOCOL).orElse(1L));
    }
  }

  /** A credential's two CredRandoms (secret). */
  record CredRandoms(Bytes withUv, Bytes withoutUv) {
    /** CredRandomWithUV when the response's "uv" bit is set, else CredRandomWithoutUV. */
    Bytes select(boolean uv) {
      return uv ? withUv : withoutUv;
    }

    @Override
    public String toString() {
      return "CredRandoms[secret]";
    }
  }

  /**
   * The state of a new hmac-secret credential: "the authenticator generates two random 32-byte
   * values (called CredRandomWithUV and CredRandomWithoutUV) and associates them with the
   * credential" (section 12.5, makeCredential), in the form described on the class.
   */
  static Bytes newState(RandomSource random, boolean discoverable) {
    return discoverable ? Bytes.wrap(random.bytes(2 * CRED_RANDOM_LENGTH)) : DERIVED;
  }

  /**
   * The CredRandoms a state holds; empty for a credential made without hmac-secret.
   *
   * @param credentialSecret the credential's secret, for the derived form
   */
  static Optional<CredRandoms> credRandoms(Optional<Bytes> state, Bytes credentialSecret) {
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Bytes s = state.get();
    if (s.length() == 2 * CRED_RANDOM_LENGTH) {
      return Optional.of(new CredRandoms(s.slice(0, CRED_RANDOM_LENGTH), s.slice(CRED_RANDOM_LENGTH, 2 * CRED_RANDOM_LENGTH)));
    }
    if (s.equals(DERIVED)) {
      if (credentialSecret.length() != CRED_RANDOM_LENGTH) {
        throw new IllegalStateException("hmac-secret needs the credential secret");
      }
      return Optional.of(
          new CredRandoms(
              Bytes.wrap(hmacSha256(credentialSecret, WITH_UV_LABEL)),
              Bytes.wrap(hmacSha256(credentialSecret, WITHOUT_UV_LABEL))));
    }
    throw new IllegalStateException("hmac-secret state of an unknown form");
  }

  /**
   * The authenticator's processing of the input (section 12.5, getAssertion; hmac-secret-mc uses
   * the same steps), returning the encrypted outputs.
   *
   * @param credRandom CredRandomWithUV or CredRandomWithoutUV, as the response's "uv" bit selects
   */
  static Bytes evaluate(PinUvAuthState pin, Input in, Bytes credRandom) {
    // decapsulate(keyAgreement) with the selected pinUvAuthProtocol (1 when absent): an
    // unsupported protocol or an invalid key is CTAP1_ERR_INVALID_PARAMETER.
    SharedSecret shared = pin.sharedSecret(in.pinUvAuthProtocol(), in.keyAgreement());
    // verify(shared secret, saltEnc, saltAuth); on failure CTAP2_ERR_PIN_AUTH_INVALID.
    CtapException.check(shared.verify(in.saltEnc(), in.saltAuth()), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    // decrypt(shared secret, saltEnc): an error, or anything but one (32) or two (64) salts, is
    // CTAP1_ERR_INVALID_PARAMETER (as OpenSK's process_hmac_secret answers).
    Bytes salts =
        shared
            .decrypt(in.saltEnc())
            .filter(s -> s.length() == SALT_LENGTH || s.length() == 2 * SALT_LENGTH)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "saltEnc must hold one or two salts"));
    // output1 = HMAC-SHA-256(CredRandom, salt1), and output2 = HMAC-SHA-256(CredRandom, salt2).
    byte[] outputs = new byte[salts.length()];
    try {
      for (int i = 0; i < salts.length(); i += SALT_LENGTH) {
        byte[] salt = Arrays.copyOfRange(salts.unsafeArray(), i, i + SALT_LENGTH);
        System.arraycopy(hmacSha256(credRandom, salt), 0, outputs, i, SALT_LENGTH);
        Arrays.fill(salt, (byte) 0);
      }
      // encrypt(shared secret, output1 || output2), the extension output.
      return shared.encrypt(Bytes.wrap(outputs));
    } finally {
      Arrays.fill(outputs, (byte) 0);
    }
  }

  static byte[] hmacSha256(Bytes key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.unsafeArray(), "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
    }
  }
}
