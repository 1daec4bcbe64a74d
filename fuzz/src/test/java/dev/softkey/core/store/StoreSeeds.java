package dev.softkey.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Seeds of {@link FileStoreFuzzTest}: snapshot files of both format versions, the payload, a
 * snapshot with its journal, and journal records, of plain and encrypted stores.
 */
public final class StoreSeeds {
  private StoreSeeds() {}

  /** The fuzz test class these seeds are for (package-private). */
  public static final Class<?> TARGET = FileStoreFuzzTest.class;

  private static Optional<char[]> pass(boolean encrypted) {
    return encrypted ? Optional.of(FileStoreFuzzTest.PASSPHRASE.clone()) : Optional.empty();
  }

  private static FileStore open(Path dir, boolean encrypted) {
    return FileStore.open(
        dir, pass(encrypted), FileStore.Options.DEFAULT.withKdf(KdfParameters.FAST_INSECURE_FOR_TESTS));
  }

  /**
   * A format version 2 snapshot after {@code fill} ran on a fresh store and the journal was
   * compacted into it (encrypted with the test KDF, or plain).
   */
  public static byte[] file(boolean encrypted, Consumer<FileStore> fill) throws IOException {
    Path dir = Files.createTempDirectory("softkey-seed-store");
    try (FileStore s = open(dir, encrypted)) {
      fill.accept(s);
      s.compact();
    }
    return Files.readAllBytes(dir.resolve(FileStore.STATE_FILE_NAME));
  }

  /** The same contents as {@link #file} as a format version 1 file (the snapshot-per-write store's). */
  public static byte[] versionOneFile(boolean encrypted, Consumer<FileStore> fill) throws IOException {
    byte[] v2 = file(encrypted, fill);
    Path p = Path.of(FileStore.STATE_FILE_NAME);
    StoreEnvelope.Parsed parsed = StoreEnvelope.parse(v2, p);
    Optional<StoreEnvelope.StoreKey> key =
        parsed.sealing()
            .map(
                s ->
                    StoreEnvelope.StoreKey.derive(
                        FileStoreFuzzTest.PASSPHRASE.clone(), s.kdf(), s.salt().toArray()));
    StorePayload.Snapshot snapshot =
        StorePayload.decode(StoreEnvelope.open(parsed, key, p), 2, p);
    return StoreEnvelope.seal(StorePayload.encode(snapshot.contents()), 1, key, new SecureRandom());
  }

  /**
   * A snapshot and its journal after {@code fill} wrote through the journal, in {@link
   * FileStoreFuzzTest#store}'s input format: snapshot length u32, snapshot, journal.
   */
  public static byte[] snapshotAndJournal(boolean encrypted, Consumer<FileStore> fill)
      throws IOException {
    Path dir = Files.createTempDirectory("softkey-seed-store");
    try (FileStore s = open(dir, encrypted)) {
      fill.accept(s);
    }
    byte[] snapshot = Files.readAllBytes(dir.resolve(FileStore.STATE_FILE_NAME));
    byte[] journal = Files.readAllBytes(dir.resolve(FileStore.JOURNAL_FILE_NAME));
    return ByteBuffer.allocate(4 + snapshot.length + journal.length)
        .putInt(snapshot.length)
        .put(snapshot)
        .put(journal)
        .array();
  }

  /** The payload inside a plain store file (the envelope opened). */
  public static byte[] payload(byte[] plainFile) {
    Path p = Path.of(FileStore.STATE_FILE_NAME);
    return StoreEnvelope.open(StoreEnvelope.parse(plainFile, p), Optional.empty(), p);
  }

  /** The CBOR of every record in a plain journal, for {@link FileStoreFuzzTest#record}. */
  public static java.util.List<byte[]> records(byte[] snapshotAndJournal) {
    ByteBuffer b = ByteBuffer.wrap(snapshotAndJournal);
    int snapshotLength = b.getInt();
    byte[] journal = new byte[b.remaining() - snapshotLength];
    b.position(4 + snapshotLength);
    b.get(journal);
    Path p = Path.of(FileStore.JOURNAL_FILE_NAME);
    long generation = StoreJournal.parseHeader(journal, p).generation();
    return StoreJournal.scan(journal, generation, Optional.empty(), p).records();
  }
}
