package dev.softkey.core.store;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.StoreEnvelope.Parsed;
import dev.softkey.core.store.StoreEnvelope.Sealing;
import dev.softkey.core.store.StoreEnvelope.StoreKey;
import dev.softkey.core.store.StoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Credentials and device state in one directory, optionally encrypted with a passphrase. The
 * behaviour is {@link MemoryStore}'s (put replaces the credential with the same RP ID and user
 * handle; lists are newest first by {@code createdAt}; look-ups go through the same {@link
 * CredentialIndex}); what this class adds is durability at a cost per write that does not grow
 * with the number of credentials.
 *
 * <p><b>Files.</b> {@value #STATE_FILE_NAME} is the snapshot: the whole state as of one
 * generation, versioned and either plain CBOR with a checksum or sealed with Argon2id +
 * AES-256-GCM (format: {@link StoreEnvelope}, payload and key registry: {@link StorePayload}).
 * {@value #JOURNAL_FILE_NAME} is the journal: the writes made since that snapshot, one checksummed
 * or AEAD-sealed record per mutating call, in a file whose header names the generation it
 * continues (format: {@link StoreJournal}, records: {@link JournalRecord}). {@value
 * #LOCK_FILE_NAME} is only locked, never deleted. Temporary files {@code softkey.store.*.tmp} are
 * leftovers of interrupted writes and are removed at open. docs/store-format.md has the whole
 * picture.
 *
 * <p><b>Durability.</b> The state lives in memory. Every mutating call encodes its change as one
 * journal record, appends it and forces the journal ({@code fdatasync}) before it returns; only
 * then does memory change, by applying that very record. If the append fails the call throws
 * {@link StoreException}, memory is unchanged and the journal is abandoned (the next write starts
 * with a compaction, so nothing can follow a half-written record). At open the journal is
 * replayed on the snapshot; a torn last record (a crash mid-append: its checksum or tag fails and
 * nothing but zeros follows) was never acknowledged and is dropped and cut off.
 *
 * <p><b>Compaction.</b> When the journal outgrows {@code max(Options#compactAfterBytes, snapshot
 * size)} the next write, after its own append, compacts: (1) the state goes to a temporary file
 * with generation G+1, is forced, renamed over the snapshot and the directory is forced; (2) a new
 * journal with generation G+1 goes to a temporary file, is forced, renamed over the journal, and
 * the directory is forced. A crash before the first rename leaves snapshot G and journal G; between
 * the renames, snapshot G+1 (which holds everything) and journal G, which is older than the
 * snapshot and ignored; after, snapshot G+1 and an empty journal G+1. No moment loses a write.
 * Because the threshold grows with the snapshot, a compaction's O(n) cost comes once per O(n)
 * bytes of writes: amortised, the cost of a write is constant. A failed compaction does not fail
 * the write whose append succeeded; it is retried at the next write. {@code compactAfterBytes} 0
 * writes a snapshot on every call and no journal, which is the snapshot-per-write store's cost
 * (the benchmark's baseline).
 *
 * <p><b>Versions.</b> A format version 1 store (one snapshot file, rewritten on every call, as
 * softkey wrote it before the journal) opens and is migrated at once: it becomes snapshot
 * generation 1 and an empty journal. A journal newer than its snapshot cannot come from this
 * protocol (the snapshot was replaced by an older copy) and is refused as corrupt.
 *
 * <p><b>Locking.</b> The store takes an exclusive lock on {@value #LOCK_FILE_NAME} at open and
 * keeps it until {@link #close()}: one store is one authenticator, and its counters, PIN retries
 * and credentials must not be changed behind its back by another process. A second opener waits up
 * to {@link Options#lockTimeout()} (so that sequential CLI invocations started in parallel
 * serialise) and then fails with {@link Reason#LOCKED}. The lock also covers a second open in the
 * same JVM.
 *
 * <p><b>Randomness.</b> Salts and GCM nonces (the snapshot's and every journal record's) come from
 * this store's own {@link SecureRandom}, never from the authenticator's {@code RandomSource}: with
 * {@code --seed} that source repeats across runs, and a repeated nonce under the same key breaks
 * AES-GCM.
 *
 * <p>Thread-safe; methods are synchronized. Secrets (the passphrase, the key, private keys) never
 * appear in messages; the passphrase array is not kept, so the caller may wipe it after {@code
 * open}. Files are owner-only where POSIX.
 */
public final class FileStore implements CredentialStore, DeviceStateStore, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

  /** The snapshot file's name inside the store directory. */
  public static final String STATE_FILE_NAME = "softkey.store";

  /** The journal file's name inside the store directory. */
  public static final String JOURNAL_FILE_NAME = "softkey.journal";

  /** The lock file's name inside the store directory. */
  public static final String LOCK_FILE_NAME = "lock";

  static final String TEMP_PREFIX = STATE_FILE_NAME + ".";
  static final String TEMP_SUFFIX = ".tmp";

  /**
   * How new stores are made, how long to wait for the lock and when to compact.
   *
   * @param kdf Argon2id parameters for a new encrypted store (an existing store uses its header's)
   * @param lockTimeout how long {@code open} waits for another holder of the lock
   * @param compactAfterBytes the journal is compacted into a new snapshot once it holds more than
   *     this many bytes of records and more than the snapshot's size; 0 writes a snapshot on every
   *     call instead of journalling (the snapshot-per-write cost, for comparison)
   */
  public record Options(KdfParameters kdf, Duration lockTimeout, long compactAfterBytes) {
    /** The journal's default threshold: 1 MiB, a few thousand credential records. */
    public static final long DEFAULT_COMPACT_AFTER_BYTES = 1024 * 1024;

    /** {@link KdfParameters#DEFAULT}, a 10 s lock wait, {@link #DEFAULT_COMPACT_AFTER_BYTES}. */
    public static final Options DEFAULT =
        new Options(KdfParameters.DEFAULT, Duration.ofSeconds(10), DEFAULT_COMPACT_AFTER_BYTES);

    public Options {
      Objects.requireNonNull(kdf);
      Objects.requireNonNull(lockTimeout);
      if (lockTimeout.isNegative()) {
        throw new IllegalArgumentException("lockTimeout must not be negative");
      }
      if (compactAfterBytes < 0) {
        throw new IllegalArgumentException("compactAfterBytes must not be negative");
      }
    }

    public Options withKdf(KdfParameters k) {
      return new Options(k, lockTimeout, compactAfterBytes);
    }

    public Options withLockTimeout(Duration d) {
      return new Options(kdf, d, compactAfterBytes);
    }

    public Options withCompactAfterBytes(long bytes) {
      return new Options(kdf, lockTimeout, bytes);
    }
  }

  /**
   * What {@code open} found and mended, for tests and diagnostics.
   *
   * @param migratedFromVersion the snapshot's format version if it was older and has been rewritten
   * @param replayedRecords journal records applied on the snapshot
   * @param droppedTailBytes bytes of a torn last record cut off the journal
   * @param staleJournal a journal older than the snapshot (a crash inside a compaction) was ignored
   */
  record Recovery(
      Optional<Integer> migratedFromVersion,
      int replayedRecords,
      long droppedTailBytes,
      boolean staleJournal) {}

  private final Path directory;
  private final Path stateFile;
  private final Path journalFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Optional<StoreKey> key;
  private final SecureRandom random;
  private final Options options;
  private CredentialIndex credentials;
  private Map<String, Bytes> records;
  private Recovery recovery = new Recovery(Optional.empty(), 0, 0, false);

  /** The snapshot's generation; the journal in use (if any) continues it. */
  private long generation;

  private long snapshotLength;

  /** Whether the snapshot of {@link #generation} holds the whole in-memory state. */
  private boolean snapshotCurrent;

  /** The journal being appended to; null when there is none for this generation yet. */
  private FileChannel journal;

  /**
   * The journal file's identity (inode) when {@link #journal} was opened: an append checks that
   * the path still names it, so a store directory deleted or replaced behind a running store
   * fails the write instead of acknowledging it into an unlinked file.
   */
  private Object journalKey;

  private long journalLength;
  private long journalSequence;
  private boolean closed;

  private FileStore(
      Path directory,
      FileChannel lockChannel,
      FileLock lock,
      Optional<StoreKey> key,
      SecureRandom random,
      Options options,
      StorePayload.Contents contents) {
    this.directory = directory;
    this.stateFile = directory.resolve(STATE_FILE_NAME);
    this.journalFile = directory.resolve(JOURNAL_FILE_NAME);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.key = key;
    this.random = random;
    this.options = options;
    this.credentials = new CredentialIndex();
    for (StoredCredential c : contents.credentials()) {
      credentials.append(c); // IDs are unique: rejectDuplicateIds ran
    }
    this.records = new TreeMap<>(contents.records());
  }

  /** {@link #open(Path, Optional, Options)} with {@link Options#DEFAULT}. */
  public static FileStore open(Path directory, Optional<char[]> passphrase) {
    return open(directory, passphrase, Options.DEFAULT);
  }

  /**
   * Opens the store in {@code directory}, creating the directory (owner-only where POSIX) and an
   * empty store if there is none. A new store is encrypted if and only if a passphrase is given; an
   * existing store must be opened the way it was created. The journal is replayed (a torn last
   * record is dropped) and a format version 1 store is migrated.
   *
   * @throws StoreException if the store is locked by someone else, cannot be read, is damaged, is
   *     of an unknown version, or the passphrase is wrong, missing or superfluous
   * @throws IllegalArgumentException if the passphrase is empty
   */
  public static FileStore open(Path directory, Optional<char[]> passphrase, Options options) {
    Objects.requireNonNull(passphrase);
    Objects.requireNonNull(options);
    if (passphrase.isPresent() && passphrase.get().length == 0) {
      throw new IllegalArgumentException("the store passphrase must not be empty");
    }
    Path dir = directory.toAbsolutePath().normalize();
    createDirectory(dir);
    Path lockFile = dir.resolve(LOCK_FILE_NAME);
    FileChannel lockChannel = openLockFile(lockFile);
    FileLock lock = null;
    Optional<StoreKey> key = Optional.empty();
    FileStore store = null;
    try {
      lock = acquire(lockChannel, lockFile, options.lockTimeout());
      removeTempFiles(dir);
      SecureRandom random = new SecureRandom();
      Path stateFile = dir.resolve(STATE_FILE_NAME);
      Path journalFile = dir.resolve(JOURNAL_FILE_NAME);
      if (Files.exists(stateFile)) {
        byte[] file = readFile(stateFile);
        Parsed parsed = StoreEnvelope.parse(file, stateFile);
        key = unlock(parsed, passphrase, stateFile);
        StorePayload.Snapshot snapshot =
            StorePayload.decode(
                StoreEnvelope.open(parsed, key, stateFile), parsed.version(), stateFile);
        rejectDuplicateIds(snapshot.contents(), stateFile);
        store = new FileStore(dir, lockChannel, lock, key, random, options, snapshot.contents());
        store.generation = snapshot.generation();
        store.snapshotLength = file.length;
        store.snapshotCurrent = true;
        if (parsed.version() < StoreEnvelope.FORMAT_VERSION) {
          if (Files.exists(journalFile)) {
            throw new StoreException(
                Reason.CORRUPT,
                journalFile,
                "a journal next to a version " + parsed.version() + " store, which has none;"
                    + " move the journal away to open the store as its snapshot holds it");
          }
          store.recovery = new Recovery(Optional.of(parsed.version()), 0, 0, false);
          store.compact(); // migration: snapshot generation 1 and its journal
        } else {
          store.replayJournal(parsed.sealing().isPresent());
        }
      } else {
        if (Files.exists(journalFile)) {
          throw new StoreException(
              Reason.CORRUPT,
              stateFile,
              "the snapshot is missing but a journal is there; restore "
                  + STATE_FILE_NAME
                  + " from a backup, or move "
                  + JOURNAL_FILE_NAME
                  + " away to start an empty store");
        }
        if (passphrase.isPresent()) {
          byte[] salt = new byte[StoreEnvelope.SALT_LENGTH];
          random.nextBytes(salt);
          key = Optional.of(StoreKey.derive(passphrase.get(), options.kdf(), salt));
        }
        store =
            new FileStore(dir, lockChannel, lock, key, random, options, StorePayload.Contents.EMPTY);
        // Written at once, so that the store's protection is fixed from its first open.
        store.compact();
      }
      writePid(lockChannel);
      return store;
    } catch (RuntimeException e) {
      if (store != null) {
        store.closeJournal();
      }
      key.ifPresent(StoreKey::close);
      closeQuietly(lockChannel); // releases the lock too
      throw e;
    }
  }

  /** Replays the journal of this generation on the snapshot just loaded; see the class comment. */
  private void replayJournal(boolean encrypted) {
    if (!Files.exists(journalFile)) {
      return; // a store that never journalled (compactAfterBytes 0); one is made at the next write
    }
    byte[] file = readFile(journalFile);
    StoreJournal.Header header = StoreJournal.parseHeader(file, journalFile);
    int protection =
        encrypted ? StoreEnvelope.PROTECTION_ARGON2ID_AES256GCM : StoreEnvelope.PROTECTION_PLAIN;
    if (header.protection() != protection) {
      throw new StoreException(
          Reason.CORRUPT,
          journalFile,
          "the journal's protection scheme " + header.protection() + " is not the snapshot's");
    }
    if (header.generation() < generation) {
      // A crash between a compaction's two renames: the snapshot already holds all of it.
      recovery = new Recovery(Optional.empty(), 0, 0, true);
      return;
    }
    if (header.generation() > generation) {
      throw new StoreException(
          Reason.CORRUPT,
          journalFile,
          "the journal continues snapshot generation "
              + header.generation()
              + " but "
              + STATE_FILE_NAME
              + " is generation "
              + generation
              + " (an older copy?); restore the matching "
              + STATE_FILE_NAME);
    }
    StoreJournal.Scan scan = StoreJournal.scan(file, generation, key, journalFile);
    int n = 0;
    for (byte[] r : scan.records()) {
      JournalRecord.decode(r, "journal record " + n++, journalFile).applyTo(credentials, records);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(journalFile, StandardOpenOption.WRITE);
      journalKey = fileKey(journalFile);
      if (scan.droppedBytes() > 0) {
        // Cut the torn record off, so the next append follows the last good one.
        ch.truncate(scan.validLength());
        ch.force(true);
      }
    } catch (IOException e) {
      if (ch != null) {
        closeQuietly(ch);
      }
      throw new StoreException(Reason.IO, journalFile, "could not open the journal: " + e, e);
    }
    journal = ch;
    journalLength = scan.validLength();
    journalSequence = n;
    snapshotCurrent = n == 0;
    recovery = new Recovery(Optional.empty(), n, scan.droppedBytes(), false);
  }

  private static Optional<StoreKey> unlock(
      Parsed parsed, Optional<char[]> passphrase, Path stateFile) {
    if (parsed.sealing().isEmpty()) {
      if (passphrase.isPresent()) {
        throw new StoreException(
            Reason.NOT_ENCRYPTED,
            stateFile,
            "a passphrase was given but this store is not encrypted; open it without one");
      }
      return Optional.empty();
    }
    Sealing sealing = parsed.sealing().get();
    if (passphrase.isEmpty()) {
      throw new StoreException(
          Reason.PASSPHRASE_REQUIRED,
          stateFile,
          "this store is encrypted; a passphrase is required to open it");
    }
    StoreKey k = StoreKey.derive(passphrase.get(), sealing.kdf(), sealing.salt().toArray());
    if (!StoreEnvelope.keyMatches(sealing, k)) {
      k.close();
      throw new StoreException(
          Reason.WRONG_PASSPHRASE,
          stateFile,
          "wrong passphrase (the key check in the header does not match)");
    }
    return Optional.of(k);
  }

  private static void rejectDuplicateIds(StorePayload.Contents contents, Path stateFile) {
    Set<Bytes> seen = new java.util.HashSet<>();
    for (StoredCredential c : contents.credentials()) {
      if (!seen.add(c.credentialId())) {
        throw new StoreException(
            Reason.CORRUPT, stateFile, "two credentials share one credential ID");
      }
    }
  }

  /**
   * The default store directory: {@code $SOFTKEY_HOME} if set; on Windows {@code
   * %APPDATA%\softkey}; otherwise {@code $XDG_DATA_HOME/softkey} if set to an absolute path (XDG
   * Base Directory spec), else {@code ~/.local/share/softkey}. Not created here; {@link #open}
   * creates it.
   */
  public static Path defaultDirectory() {
    return defaultDirectory(
        System.getenv(),
        System.getProperty("os.name", ""),
        Path.of(System.getProperty("user.home")));
  }

  static Path defaultDirectory(Map<String, String> env, String osName, Path userHome) {
    String softkeyHome = env.get("SOFTKEY_HOME");
    if (softkeyHome != null && !softkeyHome.isBlank()) {
      return Path.of(softkeyHome);
    }
    if (osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
      String appData = env.get("APPDATA");
      Path base =
          appData != null && !appData.isBlank()
              ? Path.of(appData)
              : userHome.resolve("AppData").resolve("Roaming");
      return base.resolve("softkey");
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg).resolve("softkey");
    }
    return userHome.resolve(".local").resolve("share").resolve("softkey");
  }

  /** The store directory (absolute). */
  public Path directory() {
    return directory;
  }

  /** The state file, {@code directory().resolve(STATE_FILE_NAME)}. */
  public Path stateFile() {
    return stateFile;
  }

  public boolean isEncrypted() {
    return key.isPresent();
  }

  /** The Argon2id parameters of an encrypted store. */
  public Optional<KdfParameters> kdfParameters() {
    return key.map(StoreKey::kdf);
  }

  /** The journal file, {@code directory().resolve(JOURNAL_FILE_NAME)}. */
  public Path journalFile() {
    return journalFile;
  }

  /** What the last {@code open} replayed, dropped or migrated. */
  synchronized Recovery recovery() {
    return recovery;
  }

  /** The snapshot's generation. */
  synchronized long generation() {
    return generation;
  }

  // CredentialStore

  @Override
  public synchronized void put(StoredCredential c) {
    ensureOpen();
    Objects.requireNonNull(c);
    write(new JournalRecord.PutCredential(c));
  }

  /**
   * Stores every credential as {@link #put} would, in order, durable as one new snapshot: a bulk
   * import (and the benchmark's prefill) costs one write of the whole store instead of one append
   * each. Atomic: after a crash the store holds all of them or none.
   */
  public synchronized void putAll(List<StoredCredential> list) {
    ensureOpen();
    CredentialIndex next = credentials.copy();
    list.forEach(next::put);
    long before = generation;
    try {
      writeSnapshot(next, records);
    } finally {
      if (generation != before) {
        credentials = next; // the new snapshot is visible (even if the directory sync failed)
      }
    }
  }

  @Override
  public synchronized void update(StoredCredential c) {
    ensureOpen();
    Optional<StoredCredential> old = credentials.find(c.credentialId());
    if (old.isEmpty() || old.get().equals(c)) {
      return;
    }
    if (old.get().withSignCount(c.signCount()).equals(c)) {
      // getAssertion's write: a small record, not the whole credential again
      write(new JournalRecord.SignCount(c.credentialId(), c.signCount()));
    } else {
      write(new JournalRecord.UpdateCredential(c));
    }
  }

  @Override
  public synchronized Optional<StoredCredential> find(Bytes credentialId) {
    ensureOpen();
    return credentials.find(credentialId);
  }

  @Override
  public synchronized List<StoredCredential> findByRpId(String rpId) {
    ensureOpen();
    return credentials.findByRpId(rpId);
  }

  @Override
  public synchronized List<StoredCredential> all() {
    ensureOpen();
    return credentials.all();
  }

  @Override
  public synchronized boolean delete(Bytes credentialId) {
    ensureOpen();
    if (credentials.find(credentialId).isEmpty()) {
      return false;
    }
    write(new JournalRecord.DeleteCredential(credentialId));
    return true;
  }

  @Override
  public synchronized void clear() {
    ensureOpen();
    if (credentials.size() > 0) {
      write(new JournalRecord.ClearCredentials());
    }
  }

  @Override
  public synchronized int count() {
    ensureOpen();
    return credentials.size();
  }

  // DeviceStateStore

  @Override
  public synchronized Optional<Bytes> get(String stateKey) {
    ensureOpen();
    return Optional.ofNullable(records.get(stateKey));
  }

  @Override
  public synchronized void put(String stateKey, Bytes value) {
    ensureOpen();
    Objects.requireNonNull(stateKey);
    Objects.requireNonNull(value);
    if (value.equals(records.get(stateKey))) {
      return;
    }
    write(new JournalRecord.PutState(stateKey, value));
  }

  @Override
  public synchronized void remove(String stateKey) {
    ensureOpen();
    if (!records.containsKey(stateKey)) {
      return;
    }
    write(new JournalRecord.RemoveState(stateKey));
  }

  /** Wipes the key from memory and releases the lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeJournal();
    key.ifPresent(StoreKey::close);
    credentials = new CredentialIndex();
    records = new TreeMap<>();
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it as well
    }
    closeQuietly(lockChannel);
  }

  @Override
  public String toString() {
    return "FileStore[" + directory + (isEncrypted() ? ", encrypted" : "") + "]";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store at " + directory + " is closed");
    }
  }

  // Durability

  /**
   * A test seam: called before each step of a write ({@code "append"}, {@code "temp"}, {@code
   * "rename"}, {@code "sync"}), it may throw as a failing disk would. Tests need it because they
   * run as root, whom file permissions do not stop.
   */
  interface FaultHook {
    void before(String step) throws IOException;
  }

  private FaultHook faults = step -> {};

  synchronized void faults(FaultHook hook) {
    faults = Objects.requireNonNull(hook);
  }

  /** Whether the last rename in the directory may not be durable yet. */
  private boolean directoryDirty;

  /**
   * Makes {@code r} durable, then applies it to memory. Throws {@link StoreException} with memory
   * unchanged if it could not be made durable.
   */
  private void write(JournalRecord r) {
    if (options.compactAfterBytes() == 0) {
      writeSnapshotWith(r);
      return;
    }
    if (journal == null) {
      if (snapshotCurrent) {
        createJournal(); // the snapshot holds everything: an empty journal continues it
      } else {
        compact(); // the old journal was abandoned: fold memory into a snapshot first
      }
    }
    byte[] bytes = StoreJournal.seal(r.encode(), generation, journalSequence, key, random);
    try {
      faults.before("append");
      Object onDisk = fileKey(journalFile); // NoSuchFileException when the directory went
      if (!Objects.equals(onDisk, journalKey)) {
        throw new IOException(journalFile + " was replaced behind the store");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      long at = journalLength;
      while (b.hasRemaining()) {
        at += journal.write(b, at);
      }
      journal.force(false); // fdatasync: the data and the file's new length
    } catch (IOException e) {
      abandonJournal();
      throw new StoreException(Reason.IO, journalFile, "could not write the journal: " + e, e);
    }
    journalLength += bytes.length;
    journalSequence++;
    r.applyTo(credentials, records);
    snapshotCurrent = false;
    if (journalLength - StoreJournal.HEADER_LENGTH
        > Math.max(options.compactAfterBytes(), snapshotLength)) {
      try {
        compact();
      } catch (StoreException e) {
        // The write is durable in the journal; compaction is retried at the next write.
        LOG.log(
            System.Logger.Level.WARNING,
            "compaction of the store failed, retried at the next write: {0}",
            e.getMessage());
      }
    }
  }

  /** compactAfterBytes 0: the whole state with {@code r} applied, as one new snapshot. */
  private void writeSnapshotWith(JournalRecord r) {
    CredentialIndex nextCredentials = credentials.copy();
    Map<String, Bytes> nextRecords = new TreeMap<>(records);
    r.applyTo(nextCredentials, nextRecords);
    long before = generation;
    try {
      writeSnapshot(nextCredentials, nextRecords);
    } finally {
      if (generation != before) {
        // the renamed file is the visible state even if only the directory sync failed
        credentials = nextCredentials;
        records = nextRecords;
      }
    }
  }

  /**
   * Folds the journal into a new snapshot (generation + 1) and starts an empty journal for it, in
   * the order the class comment gives. Writes do this on their own when the journal is due; this
   * is for callers that want it now (a benchmark timing it, a tidy store before a backup).
   *
   * @throws StoreException if the snapshot or the journal could not be written; the state is whole
   *     either way, and the next write retries
   */
  public synchronized void compact() {
    ensureOpen();
    writeSnapshot(credentials, records);
    if (options.compactAfterBytes() > 0) {
      createJournal();
    }
  }

  /**
   * Writes {@code nextCredentials, nextRecords} as snapshot generation + 1. When this returns or
   * throws after the rename, {@link #generation} has advanced and the caller's state is the
   * visible one; the journal of the old generation is closed (it is stale from now on).
   */
  private void writeSnapshot(CredentialIndex nextCredentials, Map<String, Bytes> nextRecords) {
    long next = generation + 1;
    byte[] payload = StorePayload.encode(nextCredentials.inInsertionOrder(), nextRecords, next);
    byte[] file = StoreEnvelope.seal(payload, key, random);
    Temp temp = writeTemp(file);
    try {
      rename(temp.path(), stateFile);
    } finally {
      closeQuietly(temp.channel());
    }
    generation = next;
    snapshotLength = file.length;
    snapshotCurrent = true;
    directoryDirty = true;
    closeJournal();
    syncDirectory();
  }

  /** An empty journal for {@link #generation}, by temporary file, force and rename. */
  private void createJournal() {
    int protection =
        key.isPresent() ? StoreEnvelope.PROTECTION_ARGON2ID_AES256GCM : StoreEnvelope.PROTECTION_PLAIN;
    byte[] header = StoreJournal.header(protection, generation);
    Temp temp = writeTemp(header);
    try {
      if (directoryDirty) {
        // The snapshot's rename must be durable before the journal continuing it can be.
        syncDirectory();
      }
      rename(temp.path(), journalFile);
      try {
        journalKey = fileKey(journalFile);
      } catch (IOException e) {
        throw new StoreException(Reason.IO, journalFile, "could not write the store: " + e, e);
      }
      directoryDirty = true;
      syncDirectory(); // else a crash could bring back the old journal behind acknowledged appends
    } catch (RuntimeException e) {
      closeQuietly(temp.channel());
      deleteQuietly(temp.path());
      throw e;
    }
    journal = temp.channel();
    journalLength = header.length;
    journalSequence = 0;
  }

  /** The file's identity (its inode on POSIX file systems); null where the file system has none. */
  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /** After a failed append: nothing may follow a record that may be half there. */
  private void abandonJournal() {
    try {
      journal.truncate(journalLength);
    } catch (IOException e) {
      // the next write compacts into a new generation, which makes this journal stale anyway
    }
    closeJournal();
  }

  private void closeJournal() {
    if (journal != null) {
      closeQuietly(journal);
      journal = null;
    }
  }

  /** A temporary file and its open channel. */
  private record Temp(Path path, FileChannel channel) {}

  /**
   * Writes {@code bytes} to a fresh owner-only temporary file in the store directory and forces
   * it (data and metadata on disk before a rename can be); the channel stays open.
   */
  private Temp writeTemp(byte[] bytes) {
    byte[] suffix = new byte[8];
    random.nextBytes(suffix);
    Path temp = directory.resolve(TEMP_PREFIX + HexFormat.of().formatHex(suffix) + TEMP_SUFFIX);
    FileChannel ch = null;
    try {
      faults.before("temp");
      ch =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              ownerOnly(temp, false));
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
      return new Temp(temp, ch);
    } catch (IOException e) {
      if (ch != null) {
        closeQuietly(ch);
      }
      deleteQuietly(temp);
      throw new StoreException(Reason.IO, directory, "could not write the store: " + e, e);
    }
  }

  /** Atomically replaces {@code target} by {@code temp}: readers see the old file or the new one. */
  private void rename(Path temp, Path target) {
    try {
      faults.before("rename");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StoreException(Reason.IO, target, "could not write the store: " + e, e);
    }
  }

  /** Makes the renames so far durable. */
  private void syncDirectory() {
    if (isPosix(directory)) {
      // (Windows cannot open a directory as a channel; NTFS journals the rename.)
      try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
        faults.before("sync");
        ch.force(true);
      } catch (IOException e) {
        throw new StoreException(
            Reason.IO, directory, "could not sync the store directory: " + e, e);
      }
    }
    directoryDirty = false;
  }

  private static byte[] readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > StoreEnvelope.MAX_FILE_LENGTH) {
        throw new StoreException(
            Reason.CORRUPT, file, "the file is implausibly large (" + size + " bytes)");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreException(Reason.IO, file, "could not read the store: " + e, e);
    }
  }

  private static void removeTempFiles(Path dir) {
    try (DirectoryStream<Path> temps =
        Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path t : temps) {
        deleteQuietly(t);
      }
    } catch (IOException e) {
      throw new StoreException(Reason.IO, dir, "could not list the store directory: " + e, e);
    }
  }

  // Directory and lock

  private static void createDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, ownerOnly(dir, true));
      }
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(Reason.IO, dir, "exists and is not a directory", e);
    } catch (IOException e) {
      throw new StoreException(Reason.IO, dir, "could not create the store directory: " + e, e);
    }
  }

  private static FileChannel openLockFile(Path lockFile) {
    try {
      Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return FileChannel.open(lockFile, opts, ownerOnly(lockFile, false));
    } catch (IOException e) {
      throw new StoreException(Reason.IO, lockFile, "could not open the lock file: " + e, e);
    }
  }

  private static FileLock acquire(FileChannel channel, Path lockFile, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        FileLock l = channel.tryLock();
        if (l != null) {
          return l;
        }
      } catch (OverlappingFileLockException e) {
        // this JVM already holds it (another FileStore on the same directory): wait as well
      } catch (IOException e) {
        throw new StoreException(Reason.IO, lockFile, "could not lock the store: " + e, e);
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new StoreException(
            Reason.LOCKED,
            lockFile,
            "the store is in use by another process"
                + holder(lockFile)
                + "; gave up after "
                + timeout.toMillis()
                + " ms");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(Reason.LOCKED, lockFile, "interrupted while waiting for the lock");
      }
    }
  }

  /** Writes our process ID into the lock file, for the message another opener prints. */
  private static void writePid(FileChannel channel) {
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      // informational only
    }
  }

  private static String holder(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return pid.matches("[0-9]{1,19}") ? " (process " + pid + ")" : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean isPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] ownerOnly(Path p, boolean directory) {
    if (!isPosix(p)) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))
    };
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (NoSuchFileException e) {
      // gone already
    } catch (IOException e) {
      // a leftover temp file is harmless: it is ignored and removed at the next open
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
