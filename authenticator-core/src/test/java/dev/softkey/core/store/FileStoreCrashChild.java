package dev.softkey.core.store;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The child process of {@link FileStoreCrashTest} and of the cross-process lock test. Modes:
 *
 * <ul>
 *   <li>{@code write <dir> plain|encrypted [journal|compact-often|snapshot-per-write]}: opens the
 *       store, prints {@code ready <count>}, then writes credential {@code i} and the state record
 *       {@code last = i} for i = count, count+1, ... until killed (or 60 s pass). {@code journal}
 *       (the default) appends with the default compaction threshold; {@code compact-often} also
 *       compacts after every third credential, so kills land inside compactions too; {@code
 *       snapshot-per-write} is compactAfterBytes 0.
 *   <li>{@code probe-lock <dir>}: tries to open without waiting; prints {@code LOCKED <message>}
 *       and exits 3 if the store is locked, prints {@code OPENED} and exits 0 otherwise.
 * </ul>
 */
public final class FileStoreCrashChild {
  static final String PASSPHRASE = "crash-test passphrase";
  static final String LAST = "last";

  private FileStoreCrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "write" -> write(dir, args[2].equals("encrypted"), args.length > 3 ? args[3] : "journal");
      case "probe-lock" -> probeLock(dir);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  static Optional<char[]> passphrase(boolean encrypted) {
    return encrypted ? Optional.of(PASSPHRASE.toCharArray()) : Optional.empty();
  }

  /** The i-th credential the writer stores. */
  static StoredCredential credential(int i) {
    return new StoredCredential(
        Bytes.wrap(ByteBuffer.allocate(12).putInt(0xC4A5F00D).putLong(i).array()),
        "crash.example",
        Optional.of("Crash RP"),
        Bytes.wrap(ByteBuffer.allocate(4).putInt(i).array()),
        Optional.of("user" + i),
        Optional.empty(),
        CoseAlgorithm.ES256,
        Bytes.wrap(StoreFixtures.privateKeyBytes(i)),
        i,
        true,
        false,
        i,
        Map.of("i", Bytes.wrap(ByteBuffer.allocate(4).putInt(i).array())));
  }

  static Bytes last(long i) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(i).array());
  }

  private static void write(Path dir, boolean encrypted, String mode) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    FileStore.Options options = FileStoreTest.FAST.withLockTimeout(Duration.ofSeconds(10));
    if (mode.equals("snapshot-per-write")) {
      options = options.withCompactAfterBytes(0);
    }
    try (FileStore s = FileStore.open(dir, passphrase(encrypted), options)) {
      int n = s.count();
      System.out.println("ready " + n);
      System.out.flush();
      for (int i = n; System.nanoTime() < deadline; i++) {
        s.put(credential(i));
        if (mode.equals("compact-often") && i % 3 == 0) {
          s.compact();
        }
        s.put(LAST, last(i));
      }
    }
  }

  private static void probeLock(Path dir) {
    try (FileStore s =
        FileStore.open(dir, Optional.empty(), FileStoreTest.FAST.withLockTimeout(Duration.ZERO))) {
      System.out.println("OPENED");
    } catch (StoreException e) {
      if (e.reason() == StoreException.Reason.LOCKED) {
        System.out.println("LOCKED " + e.getMessage());
        System.out.flush();
        System.exit(3);
      }
      throw e;
    }
  }
}
