package dev.softkey.core.ctap1;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.SignCounters;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.store.StoredCredential;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * CTAP1/U2F over APDUs (FIDO U2F Raw Message Formats v1.2; CTAP 2.1 section 11.2.9.1.1 carries
 * them in CTAPHID_MSG): U2F_REGISTER, U2F_AUTHENTICATE (check-only, enforce-user-presence-and-sign,
 * dont-enforce-user-presence-and-sign) and U2F_VERSION. Key handles are sealed like CTAP2
 * credential IDs with the application parameter as RP ID hash, so a U2F registration made for an
 * RP ID works with CTAP2 getAssertion too, as the CTAP 2.1 spec expects (section 10.2).
 */
public final class U2fHandler {
  public static final int SW_NO_ERROR = 0x9000;
  public static final int SW_CONDITIONS_NOT_SATISFIED = 0x6985;
  public static final int SW_WRONG_DATA = 0x6A80;
  public static final int SW_WRONG_LENGTH = 0x6700;
  public static final int SW_INS_NOT_SUPPORTED = 0x6D00;
  public static final int SW_CLA_NOT_SUPPORTED = 0x6E00;

  static final int INS_REGISTER = 0x01;
  static final int INS_AUTHENTICATE = 0x02;
  static final int INS_VERSION = 0x03;

  static final int P1_CHECK_ONLY = 0x07;
  static final int P1_ENFORCE_UP = 0x03;
  static final int P1_DONT_ENFORCE_UP = 0x08;

  private final AuthenticatorEnv env;

  public U2fHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  /** A parsed command APDU (ISO 7816-4 short or extended length). */
  record Apdu(int cla, int ins, int p1, int p2, byte[] data) {}

  /** Parses an APDU; empty when its length fields do not add up. */
  static Optional<Apdu> parse(byte[] a) {
    if (a.length < 4) {
      return Optional.empty();
    }
    int cla = a[0] & 0xFF;
    int ins = a[1] & 0xFF;
    int p1 = a[2] & 0xFF;
    int p2 = a[3] & 0xFF;
    int rest = a.length - 4;
    if (rest == 0) {
      return Optional.of(new Apdu(cla, ins, p1, p2, new byte[0]));
    }
    if (a[4] == 0 && rest >= 3) {
      // Extended length: 00 Lc1 Lc2 data [Le1 Le2] or 00 Le1 Le2.
      int lc = ((a[5] & 0xFF) << 8) | (a[6] & 0xFF);
      if (rest == 3) {
        return Optional.of(new Apdu(cla, ins, p1, p2, new byte[0])); // Le only
      }
      if (rest == 3 + lc || rest == 3 + lc + 2) {
        return Optional.of(new Apdu(cla, ins, p1, p2, java.util.Arrays.copyOfRange(a, 7, 7 + lc)));
      }
      return Optional.empty();
    }
    // Short: Lc data [Le] or Le only.
    int lc = a[4] & 0xFF;
    if (rest == 1) {
      return Optional.of(new Apdu(cla, ins, p1, p2, new byte[0]));
    }
    if (rest == 1 + lc || rest == 1 + lc + 1) {
      return Optional.of(new Apdu(cla, ins, p1, p2, java.util.Arrays.copyOfRange(a, 5, 5 + lc)));
    }
    return Optional.empty();
  }

  public byte[] process(byte[] apdu, OperationContext ctx) {
    Optional<Apdu> parsed = parse(apdu);
    if (parsed.isEmpty()) {
      return sw(SW_WRONG_LENGTH);
    }
    Apdu a = parsed.get();
    if (a.cla() != 0) {
      return sw(SW_CLA_NOT_SUPPORTED);
    }
    return switch (a.ins()) {
      case INS_REGISTER -> register(a, ctx);
      case INS_AUTHENTICATE -> authenticate(a, ctx);
      case INS_VERSION -> a.data().length == 0 ? withSw("U2F_V2".getBytes(java.nio.charset.StandardCharsets.US_ASCII), SW_NO_ERROR) : sw(SW_WRONG_LENGTH);
      default -> sw(SW_INS_NOT_SUPPORTED);
    };
  }

  /** U2F_REGISTER: challenge (32) || application (32). */
  private byte[] register(Apdu a, OperationContext ctx) {
    if (a.data().length != 64) {
      return sw(SW_WRONG_LENGTH);
    }
    byte[] challenge = java.util.Arrays.copyOfRange(a.data(), 0, 32);
    byte[] application = java.util.Arrays.copyOfRange(a.data(), 32, 64);
    if (env.presence().requestPresence(UserRequest.of(UserRequest.Kind.U2F_REGISTER), ctx) != UserPresence.Result.APPROVED) {
      return sw(SW_CONDITIONS_NOT_SATISFIED);
    }
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, env.random());
    Bytes keyHandle =
        env.keys().codec()
            .seal(new CredentialIdCodec.Sealed(CoseAlgorithm.ES256, key, false, false), Bytes.wrap(application));
    byte[] publicKey = key.uncompressedEcPoint().toArray();
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0x00);
    signed.writeBytes(application);
    signed.writeBytes(challenge);
    signed.writeBytes(keyHandle.unsafeArray());
    signed.writeBytes(publicKey);
    byte[] signature = env.attestation().signU2f(signed.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x05); // reserved byte
    out.writeBytes(publicKey);
    out.write(keyHandle.length());
    out.writeBytes(keyHandle.unsafeArray());
    out.writeBytes(env.attestation().u2fCertificate());
    out.writeBytes(signature);
    return withSw(out.toByteArray(), SW_NO_ERROR);
  }

  /** U2F_AUTHENTICATE: challenge (32) || application (32) || L (1) || key handle (L). */
  private byte[] authenticate(Apdu a, OperationContext ctx) {
    byte[] d = a.data();
    if (d.length < 65 || d.length != 65 + (d[64] & 0xFF)) {
      return sw(SW_WRONG_LENGTH);
    }
    byte[] challenge = java.util.Arrays.copyOfRange(d, 0, 32);
    byte[] application = java.util.Arrays.copyOfRange(d, 32, 64);
    Bytes keyHandle = Bytes.of(d, 65, d[64] & 0xFF);
    Optional<CredentialIdCodec.Sealed> sealed = env.keys().codec().open(keyHandle, Bytes.wrap(application));
    if (sealed.isEmpty() || sealed.get().algorithm() != CoseAlgorithm.ES256) {
      return sw(SW_WRONG_DATA);
    }
    Optional<StoredCredential> stored = sealed.get().discoverable() ? env.credentials().find(keyHandle) : Optional.empty();
    if (sealed.get().discoverable() && stored.isEmpty()) {
      return sw(SW_WRONG_DATA);
    }
    // A key handle the control API removed (DeviceControl.removeCredential) is unknown here too.
    if (!sealed.get().discoverable() && env.control().revoked(keyHandle)) {
      return sw(SW_WRONG_DATA);
    }
    // U2F has no user verification and names the key handle: a credential an extension keeps out
    // of sight without UV (credProtect userVerificationRequired) is not ours to use here (OpenSK's
    // ctap1 authenticate filters the same way, with has_uv false).
    Map<String, Bytes> states = stored.map(StoredCredential::extensionData).orElse(sealed.get().extensionState());
    if (!env.extensions().applicable(states, false, true)) {
      return sw(SW_WRONG_DATA);
    }
    boolean userPresent;
    switch (a.p1()) {
      case P1_CHECK_ONLY:
        // A valid handle answers "conditions not satisfied" by design (U2F raw messages 5.2).
        return sw(SW_CONDITIONS_NOT_SATISFIED);
      case P1_ENFORCE_UP:
        if (env.presence().requestPresence(UserRequest.of(UserRequest.Kind.U2F_AUTHENTICATE), ctx) != UserPresence.Result.APPROVED) {
          return sw(SW_CONDITIONS_NOT_SATISFIED);
        }
        userPresent = true;
        break;
      case P1_DONT_ENFORCE_UP:
        userPresent = false;
        break;
      default:
        return sw(SW_WRONG_DATA);
    }
    long counter = SignCounters.next(env, keyHandle, stored);
    byte[] head = new byte[5];
    head[0] = (byte) (userPresent ? 1 : 0);
    head[1] = (byte) (counter >>> 24);
    head[2] = (byte) (counter >>> 16);
    head[3] = (byte) (counter >>> 8);
    head[4] = (byte) counter;
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.writeBytes(application);
    signed.writeBytes(head);
    signed.writeBytes(challenge);
    Bytes signature = sealed.get().key().sign(signed.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head);
    out.writeBytes(signature.unsafeArray());
    return withSw(out.toByteArray(), SW_NO_ERROR);
  }

  static byte[] sw(int sw) {
    return new byte[] {(byte) (sw >>> 8), (byte) sw};
  }

  static byte[] withSw(byte[] data, int sw) {
    byte[] out = new byte[data.length + 2];
    System.arraycopy(data, 0, out, 0, data.length);
    out[data.length] = (byte) (sw >>> 8);
    out[data.length + 1] = (byte) sw;
    return out;
  }
}
