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
 * handle; lists are newest first by {@code createdAt}); what this class adds is durability.
 *
 * <p><b>Files.</b> {@value #STATE_FILE_NAME} holds the whole state, versioned and either plain CBOR
 * with a checksum or sealed with Argon2id + AES-256-GCM (format: {@link StoreEnvelope}, payload and
 * key registry: {@link StorePayload}). {@value #LOCK_FILE_NAME} is only locked, never deleted.
 * Temporary files {@code softkey.store.*.tmp} are leftovers of interrupted writes and are removed
 * at open.
 *
 * <p><b>Durability.</b> The state lives in memory and every mutating call rewrites the file before
 * it returns: write a temporary file in the same directory, {@code force(true)}, rename it over the
 * state file atomically, fsync the directory. A crash at any moment leaves the old or the new file,
 * never a torn one. If a write fails the call throws {@link StoreException} and the in-memory state
 * is unchanged (unless only the final directory fsync failed: then the renamed file is already the
 * visible state, and memory follows it).
 *
 * <p><b>Locking.</b> The store takes an exclusive lock on {@value #LOCK_FILE_NAME} at open and
 * keeps it until {@link #close()}: one store is one authenticator, and its counters, PIN retries
 * and credentials must not be changed behind its back by another process. A second opener waits up
 * to {@link Options#lockTimeout()} (so that sequential CLI invocations started in parallel
 * serialise) and then fails with {@link Reason#LOCKED}. The lock also covers a second open in the
 * same JVM.
 *
 * <p><b>Randomness.</b> Salts and GCM nonces come from this store's own {@link SecureRandom}, never
 * from the authenticator's {@code RandomSource}: with {@code --seed} that source repeats across
 * runs, and a repeated nonce under the same key breaks AES-GCM.
 *
 * <p>Thread-safe; methods are synchronized. Secrets (the passphrase, the key, private keys) never
 * appear in messages; the passphrase array is not kept, so the caller may wipe it after {@code
 * open}.
 */
public final class FileStore implements CredentialStore, DeviceStateStore, AutoCloseable {
  /** The state file's name inside the store directory. */
  public static final String STATE_FILE_NAME = "softkey.store";

  /** The lock file's name inside the store directory. */
  public static final String LOCK_FILE_NAME = "lock";

  static final String TEMP_PREFIX = STATE_FILE_NAME + ".";
  static final String TEMP_SUFFIX = ".tmp";

  /**
   * How new stores are made and how long to wait for the lock.
   *
   * @param kdf Argon2id parameters for a new encrypted store (an existing store uses its header's)
   * @param lockTimeout how long {@code open} waits for another holder of the lock
   */
  public record Options(KdfParameters kdf, Duration lockTimeout) {
    /** {@link KdfParameters#DEFAULT} and a 10 s lock wait. */
    public static final Options DEFAULT =
        new Options(KdfParameters.DEFAULT, Duration.ofSeconds(10));

    public Options {
      Objects.requireNonNull(kdf);
      Objects.requireNonNull(lockTimeout);
      if (lockTimeout.isNegative()) {
        throw new IllegalArgumentException("lockTimeout must not be negative");
      }
    }

    public Options withKdf(KdfParameters k) {
      return new Options(k, lockTimeout);
    }

    public Options withLockTimeout(Duration d) {
      return new Options(kdf, d);
    }
  }

  private final Path directory;
  private final Path stateFile;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Optional<StoreKey> key;
  private final SecureRandom random;
  private LinkedHashMap<Bytes, StoredCredential> credentials;
  private Map<String, Bytes> records;
  private boolean closed;

  private FileStore(
      Path directory,
      FileChannel lockChannel,
      FileLock lock,
      Optional<StoreKey> key,
      SecureRandom random,
      StorePayload.Contents contents) {
    this.directory = directory;
    this.stateFile = directory.resolve(STATE_FILE_NAME);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.key = key;
    this.random = random;
    this.credentials = new LinkedHashMap<>();
    for (StoredCredential c : contents.credentials()) {
      credentials.put(c.credentialId(), c);
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
   * existing store must be opened the way it was created.
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
    try {
      lock = acquire(lockChannel, lockFile, options.lockTimeout());
      removeTempFiles(dir);
      SecureRandom random = new SecureRandom();
      Path stateFile = dir.resolve(STATE_FILE_NAME);
      FileStore store;
      if (Files.exists(stateFile)) {
        byte[] file = readState(stateFile);
        Parsed parsed = StoreEnvelope.parse(file, stateFile);
        key = unlock(parsed, passphrase, stateFile);
        StorePayload.Contents contents =
            StorePayload.decode(StoreEnvelope.open(parsed, key, stateFile), stateFile);
        rejectDuplicateIds(contents, stateFile);
        store = new FileStore(dir, lockChannel, lock, key, random, contents);
      } else {
        if (passphrase.isPresent()) {
          byte[] salt = new byte[StoreEnvelope.SALT_LENGTH];
          random.nextBytes(salt);
          key = Optional.of(StoreKey.derive(passphrase.get(), options.kdf(), salt));
        }
        store = new FileStore(dir, lockChannel, lock, key, random, StorePayload.Contents.EMPTY);
        // Written at once, so that the store's protection is fixed from its first open.
        store.commit(store.credentials, store.records);
      }
      writePid(lockChannel);
      return store;
    } catch (RuntimeException e) {
      key.ifPresent(StoreKey::close);
      closeQuietly(lockChannel); // releases the lock too
      throw e;
    }
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

  // CredentialStore

  @Override
  public synchronized void put(StoredCredential c) {
    ensureOpen();
    LinkedHashMap<Bytes, StoredCredential> next = new LinkedHashMap<>(credentials);
    next.values().removeIf(o -> o.rpId().equals(c.rpId()) && o.userId().equals(c.userId()));
    next.put(c.credentialId(), c);
    commit(next, records);
  }

  @Override
  public synchronized void update(StoredCredential c) {
    ensureOpen();
    if (!credentials.containsKey(c.credentialId())) {
      return;
    }
    LinkedHashMap<Bytes, StoredCredential> next = new LinkedHashMap<>(credentials);
    next.put(c.credentialId(), c);
    commit(next, records);
  }

  @Override
  public synchronized Optional<StoredCredential> find(Bytes credentialId) {
    ensureOpen();
    return Optional.ofNullable(credentials.get(credentialId));
  }

  @Override
  public synchronized List<StoredCredential> findByRpId(String rpId) {
    ensureOpen();
    List<StoredCredential> out = new ArrayList<>();
    for (StoredCredential c : credentials.values()) {
      if (c.rpId().equals(rpId)) {
        out.add(c);
      }
    }
    out.sort(MemoryStore.NEWEST_FIRST);
    return out;
  }

  @Override
  public synchronized List<StoredCredential> all() {
    ensureOpen();
    List<StoredCredential> out = new ArrayList<>(credentials.values());
    out.sort(MemoryStore.NEWEST_FIRST);
    return out;
  }

  @Override
  public synchronized boolean delete(Bytes credentialId) {
    ensureOpen();
    if (!credentials.containsKey(credentialId)) {
      return false;
    }
    LinkedHashMap<Bytes, StoredCredential> next = new LinkedHashMap<>(credentials);
    next.remove(credentialId);
    commit(next, records);
    return true;
  }

  @Override
  public synchronized void clear() {
    ensureOpen();
    if (!credentials.isEmpty()) {
      commit(new LinkedHashMap<>(), records);
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
    Map<String, Bytes> next = new TreeMap<>(records);
    next.put(stateKey, value);
    commit(credentials, next);
  }

  @Override
  public synchronized void remove(String stateKey) {
    ensureOpen();
    if (!records.containsKey(stateKey)) {
      return;
    }
    Map<String, Bytes> next = new TreeMap<>(records);
    next.remove(stateKey);
    commit(credentials, next);
  }

  /** Wipes the key from memory and releases the lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    key.ifPresent(StoreKey::close);
    credentials = new LinkedHashMap<>();
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

  /** Makes {@code nextCredentials, nextRecords} the durable state, then the in-memory state. */
  private void commit(
      LinkedHashMap<Bytes, StoredCredential> nextCredentials, Map<String, Bytes> nextRecords) {
    byte[] payload =
        StorePayload.encode(
            new StorePayload.Contents(new ArrayList<>(nextCredentials.values()), nextRecords));
    byte[] file = StoreEnvelope.seal(payload, key, random);
    replaceStateFile(file);
    credentials = nextCredentials;
    records = nextRecords;
    syncDirectory(directory);
  }

  /** Step 1-3 of a write: temp file in the same directory, force, atomic rename over the state. */
  private void replaceStateFile(byte[] file) {
    byte[] suffix = new byte[8];
    random.nextBytes(suffix);
    Path temp = directory.resolve(TEMP_PREFIX + HexFormat.of().formatHex(suffix) + TEMP_SUFFIX);
    try {
      // 1. Write the new state to a fresh temporary file (owner-only from the start).
      try (FileChannel ch =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              ownerOnly(temp, false))) {
        ByteBuffer b = ByteBuffer.wrap(file);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        // 2. Data and metadata on disk before the rename can be.
        ch.force(true);
      }
      // 3. Atomically replace the old state: readers see the old file or the new one.
      Files.move(
          temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StoreException(Reason.IO, stateFile, "could not write the store: " + e, e);
    }
  }

  /** Step 4 of a write: make the rename itself durable. */
  private static void syncDirectory(Path dir) {
    if (!isPosix(dir)) {
      return; // Windows cannot open a directory as a channel; NTFS journals the rename
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new StoreException(Reason.IO, dir, "could not sync the store directory: " + e, e);
    }
  }

  private static byte[] readState(Path stateFile) {
    try {
      long size = Files.size(stateFile);
      if (size > StoreEnvelope.MAX_FILE_LENGTH) {
        throw new StoreException(
            Reason.CORRUPT, stateFile, "the store file is implausibly large (" + size + " bytes)");
      }
      return Files.readAllBytes(stateFile);
    } catch (IOException e) {
      throw new StoreException(Reason.IO, stateFile, "could not read the store: " + e, e);
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
