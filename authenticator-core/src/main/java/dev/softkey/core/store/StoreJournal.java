package dev.softkey.core.store;

import dev.softkey.core.store.StoreEnvelope.StoreKey;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * The journal file: the writes made since the snapshot of the same generation, one record per
 * mutating call, appended and forced before the call returns. All integers are big-endian.
 *
 * <pre>
 * header   magic "SOFTKEYJ" (8) | version u16 = 1 | protection u8 | generation u64
 *          | crc32c u32 (CRC-32C of the 19 bytes before it)
 * record   length u32 | headerCheck u32 | body (length bytes)
 *   headerCheck = CRC-32C of (generation u64 | sequence u64 | length u32)
 *   protection 0: body = cbor | crc32c u32, CRC-32C of (generation | sequence | length | cbor)
 *   protection 1: body = nonce (12) | AES-256-GCM(cbor) with its 16-byte tag,
 *                 additional data = generation u64 | sequence u64 | length u32
 * </pre>
 *
 * <p>The protection byte is the snapshot's: an encrypted store's records are encrypted under the
 * key its snapshot header derives (Argon2id over the passphrase and the snapshot's salt), each
 * with a fresh random 96-bit nonce from the store's {@link SecureRandom} (a counter nonce could
 * repeat: a record lost in a crash would give its number to a different record). {@code sequence}
 * is the record's position in the journal, counting from 0, so a record moved, repeated or taken
 * from another journal fails its check. {@code cbor} is one {@link JournalRecord}.
 *
 * <p><b>Torn tails.</b> A crash mid-append leaves a prefix of the last record, possibly followed
 * by zeros where the file system extended the file but the data did not reach the disk. {@link
 * #scan} drops such a tail: fewer than 8 bytes left, a header whose check fails with only zeros
 * after its 8 bytes, a length reaching past the end of the file, or a body whose check fails followed only by
 * zeros. Such a record was never acknowledged (its append had not returned). A failing record
 * followed by anything else is damage, not a crash, and opening refuses it ({@link
 * StoreException.Reason#CORRUPT}) rather than silently dropping the acknowledged writes after it.
 */
final class StoreJournal {
  static final byte[] MAGIC = {'S', 'O', 'F', 'T', 'K', 'E', 'Y', 'J'};
  static final int VERSION = 1;
  static final int HEADER_LENGTH = MAGIC.length + 2 + 1 + 8 + 4;
  static final int RECORD_HEADER_LENGTH = 8;
  static final int NONCE_LENGTH = StoreEnvelope.NONCE_LENGTH;
  static final int TAG_LENGTH = StoreEnvelope.TAG_LENGTH;

  /** Largest record body accepted, the snapshot's bound. */
  static final int MAX_RECORD_LENGTH = StoreEnvelope.MAX_FILE_LENGTH;

  private StoreJournal() {}

  /** A journal header's fields. */
  record Header(int protection, long generation) {}

  /**
   * The result of reading a journal.
   *
   * @param records the records' CBOR, in order
   * @param validLength the bytes up to the end of the last good record (where appends continue)
   * @param droppedBytes the bytes of a torn tail after {@code validLength} (0 if none)
   */
  record Scan(List<byte[]> records, long validLength, long droppedBytes) {}

  static byte[] header(int protection, long generation) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
    b.put(MAGIC).putShort((short) VERSION).put((byte) protection).putLong(generation);
    b.putInt(crc(b.array(), 0, HEADER_LENGTH - 4));
    return b.array();
  }

  /** Parses the header of a journal file; {@code path} is only for messages. */
  static Header parseHeader(byte[] file, Path path) {
    if (file.length < HEADER_LENGTH
        || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      // Journals are created whole (temporary file, force, rename), so this is damage, not a crash.
      throw StoreException.corrupt(path, "not a softkey journal (bad magic or truncated header)");
    }
    ByteBuffer b = ByteBuffer.wrap(file);
    b.position(MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    int protection = Byte.toUnsignedInt(b.get());
    long generation = b.getLong();
    if (b.getInt() != crc(file, 0, HEADER_LENGTH - 4)) {
      throw StoreException.corrupt(path, "checksum mismatch in the journal header: the file was modified or damaged");
    }
    if (version != VERSION) {
      throw new StoreException(
          StoreException.Reason.UNSUPPORTED_VERSION,
          path,
          "journal version " + version + " is not supported (this softkey reads version " + VERSION + ")");
    }
    return new Header(protection, generation);
  }

  /** One record's bytes, ready to append. */
  static byte[] seal(
      byte[] cbor, long generation, long sequence, Optional<StoreKey> key, SecureRandom random) {
    int length = key.isPresent() ? NONCE_LENGTH + cbor.length + TAG_LENGTH : cbor.length + 4;
    byte[] context = context(generation, sequence, length);
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_LENGTH + length);
    b.putInt(length).putInt(crc(context, 0, context.length));
    if (key.isEmpty()) {
      b.put(cbor);
      CRC32C c = new CRC32C();
      c.update(context);
      c.update(cbor);
      b.putInt((int) c.getValue());
      return b.array();
    }
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    b.put(nonce);
    try {
      Cipher gcm = StoreEnvelope.gcm(Cipher.ENCRYPT_MODE, key.get(), nonce);
      gcm.updateAAD(context);
      int n = gcm.doFinal(cbor, 0, cbor.length, b.array(), b.position());
      if (n != cbor.length + TAG_LENGTH) {
        throw new IllegalStateException("unexpected GCM output length");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return b.array();
  }

  /**
   * Reads the records after the header of {@code file}, a journal of {@code generation} whose
   * header has been checked, dropping a torn tail (see the class comment).
   *
   * @throws StoreException with {@link StoreException.Reason#CORRUPT} for damage
   */
  static Scan scan(byte[] file, long generation, Optional<StoreKey> key, Path path) {
    List<byte[]> records = new ArrayList<>();
    int at = HEADER_LENGTH;
    long sequence = 0;
    while (at < file.length) {
      String where = "journal record " + sequence + " (at byte " + at + ")";
      int left = file.length - at;
      if (left < RECORD_HEADER_LENGTH) {
        break; // torn: part of a record header
      }
      ByteBuffer b = ByteBuffer.wrap(file, at, RECORD_HEADER_LENGTH);
      long length = Integer.toUnsignedLong(b.getInt());
      int check = b.getInt();
      byte[] context = context(generation, sequence, length);
      int minimum = key.isPresent() ? NONCE_LENGTH + TAG_LENGTH : 4;
      if (check != crc(context, 0, context.length) || length < minimum || length > MAX_RECORD_LENGTH) {
        if (zeros(file, Math.min(file.length, at + RECORD_HEADER_LENGTH))) {
          break; // torn: the file grew, the record (or all but part of its header) did not reach the disk
        }
        throw StoreException.corrupt(path, where + " has a damaged header, with more data after it");
      }
      if (length > left - RECORD_HEADER_LENGTH) {
        break; // torn: the record's prefix only
      }
      int bodyAt = at + RECORD_HEADER_LENGTH;
      int end = bodyAt + (int) length;
      Optional<byte[]> cbor = open(file, bodyAt, (int) length, context, key);
      if (cbor.isEmpty()) {
        if (zeros(file, end)) {
          break; // torn: header written, body not (or not all of it)
        }
        throw StoreException.corrupt(
            path,
            where
                + (key.isPresent() ? " failed authentication (GCM tag mismatch)" : " has a checksum mismatch")
                + ", with more records after it: the journal was modified or damaged");
      }
      records.add(cbor.get());
      at = end;
      sequence++;
    }
    return new Scan(records, at, file.length - at);
  }

  private static Optional<byte[]> open(
      byte[] file, int at, int length, byte[] context, Optional<StoreKey> key) {
    if (key.isEmpty()) {
      int cborLength = length - 4;
      CRC32C c = new CRC32C();
      c.update(context);
      c.update(file, at, cborLength);
      if ((int) c.getValue() != ByteBuffer.wrap(file, at + cborLength, 4).getInt()) {
        return Optional.empty();
      }
      return Optional.of(Arrays.copyOfRange(file, at, at + cborLength));
    }
    try {
      Cipher gcm =
          StoreEnvelope.gcm(
              Cipher.DECRYPT_MODE, key.get(), Arrays.copyOfRange(file, at, at + NONCE_LENGTH));
      gcm.updateAAD(context);
      return Optional.of(gcm.doFinal(file, at + NONCE_LENGTH, length - NONCE_LENGTH));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /** What a record's header check and additional data cover besides the record itself. */
  private static byte[] context(long generation, long sequence, long length) {
    return ByteBuffer.allocate(20).putLong(generation).putLong(sequence).putInt((int) length).array();
  }

  private static boolean zeros(byte[] file, int from) {
    for (int i = from; i < file.length; i++) {
      if (file[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

}
