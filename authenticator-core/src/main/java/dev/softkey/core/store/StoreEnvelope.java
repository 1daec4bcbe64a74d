package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The file-store envelope: magic, format version and protection scheme, then the payload either in
 * the clear with a checksum or sealed with a passphrase. All integers are big-endian.
 *
 * <pre>
 * common header   magic "SOFTKEY\0" (8) | formatVersion u16 = 1 or 2 | protection u8
 *
 * protection 0 (plain)
 *   payloadLength u32 | payload | crc32c u32 (CRC-32C of every byte before it)
 *
 * protection 1 (Argon2id + AES-256-GCM)
 *   memoryKib u32 | iterations u32 | parallelism u8 | saltLength u8 = 16 | salt
 *   | keyCheck (16) | nonce (12) | ciphertextLength u32 | ciphertext with 16-byte GCM tag
 * </pre>
 *
 * <p>Encryption: Argon2id version 0x13 (RFC 9106) over the UTF-8 passphrase and the salt gives 64
 * bytes; the first 32 are the AES-256 key, the last 32 key an HMAC-SHA-256 whose first 16 bytes
 * over {@link #KEY_CHECK_LABEL} are the key check, so a wrong passphrase is told apart from a
 * damaged file (the key check reveals no more than the GCM tag already lets an attacker test). The
 * salt is fixed when the store is created, so the key is derived once per open; every write takes a
 * fresh random 96-bit nonce. The whole header, up to and including {@code ciphertextLength}, is the
 * GCM additional authenticated data, so no byte of the file can change unnoticed.
 *
 * <p>Format versions: 1 is the snapshot-per-write store's file; 2, the same layout, is the
 * snapshot of the journalled store, whose payload carries the generation its journal continues
 * ({@link StorePayload}, {@link StoreJournal}). A softkey that reads only version 1 refuses a
 * version 2 file by number instead of missing the writes in its journal.
 */
final class StoreEnvelope {
  static final byte[] MAGIC = {'S', 'O', 'F', 'T', 'K', 'E', 'Y', 0};
  /** The version this softkey writes. */
  static final int FORMAT_VERSION = 2;

  /** The oldest version this softkey reads (and migrates at open). */
  static final int OLDEST_FORMAT_VERSION = 1;
  static final int PROTECTION_PLAIN = 0;
  static final int PROTECTION_ARGON2ID_AES256GCM = 1;

  static final int SALT_LENGTH = 16;
  static final int KEY_CHECK_LENGTH = 16;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int COMMON_HEADER_LENGTH = MAGIC.length + 2 + 1;
  static final int ENCRYPTED_HEADER_LENGTH =
      COMMON_HEADER_LENGTH + 4 + 4 + 1 + 1 + SALT_LENGTH + KEY_CHECK_LENGTH + NONCE_LENGTH + 4;

  /** Largest file accepted, a sanity bound long above any realistic store. */
  static final int MAX_FILE_LENGTH = 256 * 1024 * 1024;

  private static final byte[] KEY_CHECK_LABEL =
      "softkey file store key check v1".getBytes(StandardCharsets.US_ASCII);

  private StoreEnvelope() {}

  /** The key of an encrypted store, derived once at open. Holds the AES key; never printed. */
  static final class StoreKey implements AutoCloseable {
    private final KdfParameters kdf;
    private final byte[] salt;
    private final byte[] keyCheck;
    private final byte[] aesKey;

    private StoreKey(KdfParameters kdf, byte[] salt, byte[] keyCheck, byte[] aesKey) {
      this.kdf = kdf;
      this.salt = salt;
      this.keyCheck = keyCheck;
      this.aesKey = aesKey;
    }

    /** Runs Argon2id; the expensive step of opening an encrypted store. */
    static StoreKey derive(char[] passphrase, KdfParameters kdf, byte[] salt) {
      Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
      argon2.init(
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(Argon2Parameters.ARGON2_VERSION_13)
              .withMemoryAsKB(kdf.memoryKib())
              .withIterations(kdf.iterations())
              .withParallelism(kdf.parallelism())
              .withSalt(salt)
              .build());
      byte[] out = new byte[64];
      argon2.generateBytes(passphrase, out); // UTF-8, Bouncy Castle's default converter
      byte[] aesKey = Arrays.copyOfRange(out, 0, 32);
      byte[] checkKey = Arrays.copyOfRange(out, 32, 64);
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(checkKey, "HmacSHA256"));
        byte[] keyCheck = Arrays.copyOf(mac.doFinal(KEY_CHECK_LABEL), KEY_CHECK_LENGTH);
        return new StoreKey(kdf, salt.clone(), keyCheck, aesKey);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      } finally {
        Arrays.fill(out, (byte) 0);
        Arrays.fill(checkKey, (byte) 0);
      }
    }

    KdfParameters kdf() {
      return kdf;
    }

    @Override
    public void close() {
      Arrays.fill(aesKey, (byte) 0);
    }

    @Override
    public String toString() {
      return "StoreKey[" + kdf + "]";
    }
  }

  /** The header fields of an encrypted file. */
  record Sealing(KdfParameters kdf, Bytes salt, Bytes keyCheck, Bytes nonce) {}

  /**
   * A parsed file.
   *
   * @param version the format version, {@link #OLDEST_FORMAT_VERSION}..{@link #FORMAT_VERSION}
   * @param sealing present for an encrypted file
   * @param header the bytes before the body (the GCM additional data of an encrypted file)
   * @param body the plain payload, or the ciphertext with its tag
   */
  record Parsed(int version, Optional<Sealing> sealing, Bytes header, Bytes body) {}

  /** Seals {@code payload} into {@link #FORMAT_VERSION} file bytes, encrypted when {@code key} is present. */
  static byte[] seal(byte[] payload, Optional<StoreKey> key, SecureRandom random) {
    return seal(payload, FORMAT_VERSION, key, random);
  }

  /** Seals {@code payload} into file bytes of {@code version} (1 only for tests of migration). */
  static byte[] seal(byte[] payload, int version, Optional<StoreKey> key, SecureRandom random) {
    if (key.isEmpty()) {
      ByteBuffer b = ByteBuffer.allocate(COMMON_HEADER_LENGTH + 4 + payload.length + 4);
      b.put(MAGIC).putShort((short) version).put((byte) PROTECTION_PLAIN);
      b.putInt(payload.length).put(payload);
      CRC32C crc = new CRC32C();
      crc.update(b.array(), 0, b.position());
      b.putInt((int) crc.getValue());
      return b.array();
    }
    StoreKey k = key.get();
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    int ciphertextLength = payload.length + TAG_LENGTH;
    ByteBuffer h = ByteBuffer.allocate(ENCRYPTED_HEADER_LENGTH);
    h.put(MAGIC).putShort((short) version).put((byte) PROTECTION_ARGON2ID_AES256GCM);
    h.putInt(k.kdf.memoryKib()).putInt(k.kdf.iterations()).put((byte) k.kdf.parallelism());
    h.put((byte) SALT_LENGTH).put(k.salt).put(k.keyCheck).put(nonce).putInt(ciphertextLength);
    byte[] header = h.array();
    byte[] out = Arrays.copyOf(header, header.length + ciphertextLength);
    try {
      Cipher gcm = gcm(Cipher.ENCRYPT_MODE, k, nonce);
      gcm.updateAAD(header);
      int n = gcm.doFinal(payload, 0, payload.length, out, header.length);
      if (n != ciphertextLength) {
        throw new IllegalStateException("unexpected GCM output length");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return out;
  }

  /** Parses the header and checks lengths; no key needed yet. */
  static Parsed parse(byte[] file, Path path) {
    if (file.length == 0) {
      throw StoreException.corrupt(path, "the store file is empty");
    }
    if (file.length < COMMON_HEADER_LENGTH
        || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw StoreException.corrupt(path, "not a softkey store file (bad magic or truncated header)");
    }
    ByteBuffer b = ByteBuffer.wrap(file);
    b.position(MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
      throw new StoreException(
          StoreException.Reason.UNSUPPORTED_VERSION,
          path,
          "store format version "
              + version
              + " is not supported (this softkey reads versions "
              + OLDEST_FORMAT_VERSION
              + " to "
              + FORMAT_VERSION
              + ")");
    }
    int protection = Byte.toUnsignedInt(b.get());
    if (protection == PROTECTION_PLAIN) {
      return parsePlain(file, version, b, path);
    }
    if (protection == PROTECTION_ARGON2ID_AES256GCM) {
      return parseEncrypted(file, version, b, path);
    }
    throw new StoreException(
        StoreException.Reason.UNSUPPORTED_VERSION,
        path,
        "unknown protection scheme " + protection + " in a version " + version + " store");
  }

  private static Parsed parsePlain(byte[] file, int version, ByteBuffer b, Path path) {
    if (b.remaining() < 8) {
      throw truncated(path, file.length);
    }
    long payloadLength = Integer.toUnsignedLong(b.getInt());
    long expected = COMMON_HEADER_LENGTH + 4 + payloadLength + 4;
    if (file.length < expected) {
      throw truncated(path, file.length);
    }
    if (file.length > expected) {
      throw StoreException.corrupt(path, "trailing bytes after the store payload");
    }
    int crcAt = (int) (expected - 4);
    CRC32C crc = new CRC32C();
    crc.update(file, 0, crcAt);
    if ((int) crc.getValue() != ByteBuffer.wrap(file, crcAt, 4).getInt()) {
      throw StoreException.corrupt(path, "checksum mismatch: the store file was modified or damaged");
    }
    Bytes header = Bytes.of(file, 0, COMMON_HEADER_LENGTH + 4);
    Bytes body = Bytes.of(file, COMMON_HEADER_LENGTH + 4, crcAt - COMMON_HEADER_LENGTH - 4);
    return new Parsed(version, Optional.empty(), header, body);
  }

  private static Parsed parseEncrypted(byte[] file, int version, ByteBuffer b, Path path) {
    if (file.length < ENCRYPTED_HEADER_LENGTH) {
      throw truncated(path, file.length);
    }
    long memoryKib = Integer.toUnsignedLong(b.getInt());
    long iterations = Integer.toUnsignedLong(b.getInt());
    int parallelism = Byte.toUnsignedInt(b.get());
    int saltLength = Byte.toUnsignedInt(b.get());
    if (saltLength != SALT_LENGTH) {
      throw StoreException.corrupt(path, "unexpected salt length " + saltLength);
    }
    KdfParameters kdf;
    if (memoryKib > KdfParameters.MAX_MEMORY_KIB || iterations > KdfParameters.MAX_ITERATIONS) {
      throw StoreException.corrupt(path, "Argon2 parameters in the header are out of range");
    }
    try {
      kdf = new KdfParameters((int) memoryKib, (int) iterations, parallelism);
    } catch (IllegalArgumentException e) {
      throw StoreException.corrupt(path, "Argon2 parameters in the header are out of range: " + e.getMessage());
    }
    byte[] salt = new byte[SALT_LENGTH];
    byte[] keyCheck = new byte[KEY_CHECK_LENGTH];
    byte[] nonce = new byte[NONCE_LENGTH];
    b.get(salt).get(keyCheck).get(nonce);
    long ciphertextLength = Integer.toUnsignedLong(b.getInt());
    long expected = ENCRYPTED_HEADER_LENGTH + ciphertextLength;
    if (ciphertextLength < TAG_LENGTH || file.length < expected) {
      throw truncated(path, file.length);
    }
    if (file.length > expected) {
      throw StoreException.corrupt(path, "trailing bytes after the encrypted payload");
    }
    Sealing sealing = new Sealing(kdf, Bytes.wrap(salt), Bytes.wrap(keyCheck), Bytes.wrap(nonce));
    Bytes header = Bytes.of(file, 0, ENCRYPTED_HEADER_LENGTH);
    Bytes body = Bytes.of(file, ENCRYPTED_HEADER_LENGTH, file.length - ENCRYPTED_HEADER_LENGTH);
    return new Parsed(version, Optional.of(sealing), header, body);
  }

  /** True if {@code key} was derived from the passphrase this file was sealed with. */
  static boolean keyMatches(Sealing sealing, StoreKey key) {
    return MessageDigest.isEqual(sealing.keyCheck().unsafeArray(), key.keyCheck);
  }

  /** The payload of a parsed file; for an encrypted file, checks the GCM tag over everything. */
  static byte[] open(Parsed parsed, Optional<StoreKey> key, Path path) {
    if (parsed.sealing().isEmpty()) {
      return parsed.body().toArray();
    }
    StoreKey k = key.orElseThrow(() -> new IllegalArgumentException("encrypted store needs a key"));
    try {
      Cipher gcm = gcm(Cipher.DECRYPT_MODE, k, parsed.sealing().get().nonce().unsafeArray());
      gcm.updateAAD(parsed.header().unsafeArray());
      return gcm.doFinal(parsed.body().unsafeArray());
    } catch (AEADBadTagException e) {
      throw StoreException.corrupt(
          path, "authentication failed (GCM tag mismatch): the store file was modified or damaged");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /** AES-256-GCM under the store key with a 16-byte tag (the snapshot's and the journal's records). */
  static Cipher gcm(int mode, StoreKey key, byte[] nonce) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key.aesKey, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    return c;
  }

  private static StoreException truncated(Path path, int length) {
    return StoreException.corrupt(path, "the store file is truncated (" + length + " bytes)");
  }

}
