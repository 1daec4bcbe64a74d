package dev.softkey.core.crypto;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credential IDs are the credential's private key and parameters sealed with the device secret
 * (AES-256-GCM, the RP ID hash as associated data), so a key needs no storage for non-discoverable
 * credentials and an ID only opens for the RP it was made for (OpenSK's {@code wrap_credential}
 * does the same). Reset replaces the device secret, which invalidates every ID at once.
 *
 * <p>Layout: {@code 0x01 (format) || nonce (12) || ciphertext || tag (16)}. The plaintext is a CBOR
 * map; its keys are a registry that only grows:
 *
 * <ul>
 *   <li>1: COSE algorithm identifier
 *   <li>2: compact private key ({@link CredentialKey#privateEncoding()})
 *   <li>3: retired: the credProtect level (always 1 before credProtect was built; now the
 *       credProtect extension's state under key 6); ignored when an older ID carries it
 *   <li>4: discoverable (true when the store holds a record for this ID)
 *   <li>5: backup eligible
 *   <li>6: extension state, extension identifier to bytes (omitted when empty; see {@code
 *       core.extension})
 * </ul>
 *
 * <p>Extension state must keep IDs within the profile's maxCredentialIdLength (a YubiKey's 128
 * bytes): hmac-secret carries one marker byte here and derives its CredRandoms from the sealed
 * private key rather than carrying the two 32-byte values ({@code core.extension.HmacSecret}).
 */
public final class CredentialIdCodec {
  public static final int FORMAT = 0x01;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final byte[] secret;
  /** Cipher lookups cost as much as the decryption itself; one decrypting instance per thread is reused. */
  private static final ThreadLocal<Cipher> GCM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES-GCM unavailable", e);
            }
          });
  /**
   * One encrypting instance per thread, reused: {@code Cipher.getInstance} was a third of seal's
   * cost on the makeCredential path. The JDK refuses to re-initialise a GCM cipher for encryption
   * with the key and nonce it last used (which seeded devices in one thread legitimately produce);
   * {@link #seal} then takes a fresh instance, so the output is the same either way.
   */
  private static final ThreadLocal<Cipher> GCM_ENCRYPT = ThreadLocal.withInitial(CredentialIdCodec::newGcm);
  private final RandomSource random;

  public CredentialIdCodec(Bytes deviceSecret, RandomSource random) {
    if (deviceSecret.length() != 32) {
      throw new IllegalArgumentException("device secret must be 32 bytes");
    }
    this.key = new SecretKeySpec(deviceSecret.toArray(), "AES");
    this.secret = deviceSecret.toArray();
    this.random = random;
  }

  /**
   * What a credential ID carries.
   *
   * @param algorithm the key's algorithm
   * @param key the private key
   * @param discoverable whether the credential is resident
   * @param backupEligible BE flag fixed at creation
   * @param extensionState per-extension state (key 6), kept here for a non-discoverable
   *     credential (a discoverable one keeps it in its stored record)
   */
  public record Sealed(
      CoseAlgorithm algorithm,
      CredentialKey key,
      boolean discoverable,
      boolean backupEligible,
      Map<String, Bytes> extensionState) {
    public Sealed {
      extensionState = Map.copyOf(extensionState);
    }

    /** Without extension state. */
    public Sealed(CoseAlgorithm algorithm, CredentialKey key, boolean discoverable, boolean backupEligible) {
      this(algorithm, key, discoverable, backupEligible, Map.of());
    }
  }

  public Bytes seal(Sealed c, Bytes rpIdHash) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, (long) c.algorithm().id());
    m.put(2L, c.key().privateEncoding());
    m.put(4L, c.discoverable());
    m.put(5L, c.backupEligible());
    if (!c.extensionState().isEmpty()) {
      m.put(6L, new java.util.TreeMap<>(c.extensionState()));
    }
    byte[] plain = CborEncoder.encode(m);
    byte[] nonce = random.bytes(NONCE);
    try {
      Cipher gcm = GCM_ENCRYPT.get();
      try {
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      } catch (java.security.InvalidAlgorithmParameterException sameKeyAndNonce) {
        // The key and nonce this thread's cipher last used (a seeded twin device): a fresh one.
        gcm = newGcm();
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      }
      gcm.updateAAD(rpIdHash.unsafeArray());
      byte[] ct = gcm.doFinal(plain);
      java.util.Arrays.fill(plain, (byte) 0);
      byte[] out = new byte[1 + NONCE + ct.length];
      out[0] = FORMAT;
      System.arraycopy(nonce, 0, out, 1, NONCE);
      System.arraycopy(ct, 0, out, 1 + NONCE, ct.length);
      return Bytes.wrap(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static Cipher newGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static Map<String, Bytes> extensionState(CborMap m) {
    Map<String, Bytes> out = new java.util.TreeMap<>();
    m.optMap(6).ifPresent(e -> e.asMap().forEach((k, v) -> {
      if (!(k instanceof String id) || !(v instanceof Bytes b)) {
        throw new IllegalArgumentException("extension state is text to bytes");
      }
      out.put(id, b);
    }));
    return out;
  }

  /** Opens an ID made by this device for this RP; empty for anything else (foreign, tampered, other RP). */
  public Optional<Sealed> open(Bytes credentialId, Bytes rpIdHash) {
    byte[] id = credentialId.unsafeArray();
    if (id.length < 1 + NONCE + 16 + 1 || id[0] != FORMAT) {
      return Optional.empty();
    }
    byte[] plain;
    try {
      Cipher gcm = GCM.get();
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, id, 1, NONCE));
      gcm.updateAAD(rpIdHash.unsafeArray());
      plain = gcm.doFinal(id, 1 + NONCE, id.length - 1 - NONCE);
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
    try {
      CborMap m = CborDecoder.decodeMap(plain);
      CoseAlgorithm alg = CoseAlgorithm.fromId(m.longValue(1)).orElseThrow();
      CredentialKey k = CredentialKey.fromPrivateEncoding(alg, m.bytes(2));
      return Optional.of(
          new Sealed(
              alg,
              k,
              m.optBool(4).orElse(false),
              m.optBool(5).orElse(false),
              extensionState(m)));
    } catch (CtapException | IllegalArgumentException | java.util.NoSuchElementException e) {
      return Optional.empty();
    } finally {
      java.util.Arrays.fill(plain, (byte) 0);
    }
  }
}
