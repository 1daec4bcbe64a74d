package dev.softkey.core.store;

import static dev.softkey.core.store.StoreFixtures.full;
import static dev.softkey.core.store.StoreFixtures.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.store.StoreException.Reason;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal under {@link FileStore}: appends, replay, torn tails, compaction, migration. */
class FileStoreJournalTest {
  @TempDir Path dir;

  FileStore open(boolean encrypted) {
    return FileStore.open(dir, FileStoreTest.passFor(encrypted), FileStoreTest.FAST);
  }

  FileStore open(boolean encrypted, long compactAfterBytes) {
    return FileStore.open(
        dir,
        FileStoreTest.passFor(encrypted),
        FileStoreTest.FAST.withCompactAfterBytes(compactAfterBytes));
  }

  Path journal() {
    return dir.resolve(FileStore.JOURNAL_FILE_NAME);
  }

  Path snapshot() {
    return dir.resolve(FileStore.STATE_FILE_NAME);
  }

  /** What a store holds, for comparisons: credentials newest first and the named records. */
  record State(List<StoredCredential> credentials, Map<String, Optional<Bytes>> records) {
    static State of(CredentialStore c, DeviceStateStore d, String... keys) {
      Map<String, Optional<Bytes>> r = new TreeMap<>();
      for (String k : keys) {
        r.put(k, d.get(k));
      }
      return new State(c.all(), r);
    }
  }

  static final String[] KEYS = {"a", "b", "counter"};

  State state(FileStore s) {
    return State.of(s, s, KEYS);
  }

  @Test
  void writes_appendToTheJournal_andLeaveTheSnapshotAlone() throws IOException {
    State before;
    try (FileStore s = open(false)) {
      byte[] snapshotBefore = Files.readAllBytes(snapshot());
      long journalBefore = Files.size(journal());
      for (int i = 0; i < 50; i++) {
        s.put(full(i));
      }
      s.put("a", Bytes.fromHex("0102"));
      assertThat(Files.readAllBytes(snapshot())).isEqualTo(snapshotBefore);
      assertThat(Files.size(journal())).isGreaterThan(journalBefore + 50 * 100);
      before = state(s);
    }
    try (FileStore s = open(false)) {
      assertThat(state(s)).isEqualTo(before);
      assertThat(s.count()).isEqualTo(50);
      assertThat(s.recovery().replayedRecords()).isEqualTo(51);
      assertThat(s.recovery().droppedTailBytes()).isZero();
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aSignCountUpdate_isASmallRecord(boolean encrypted) throws IOException {
    StoredCredential c = full(7);
    try (FileStore s = open(encrypted)) {
      s.put(c);
      long size = Files.size(journal());
      s.update(c.withSignCount(12345));
      long signCountRecord = Files.size(journal()) - size;
      s.update(c.withSignCount(12345).withUser(Optional.of("renamed"), Optional.empty()));
      long updateRecord = Files.size(journal()) - size - signCountRecord;
      assertThat(signCountRecord).isLessThan(80);
      assertThat(updateRecord).isGreaterThan(150);
    }
    try (FileStore s = open(encrypted)) {
      assertThat(s.find(c.credentialId()))
          .contains(c.withSignCount(12345).withUser(Optional.of("renamed"), Optional.empty()));
    }
  }

  /** Writes three records and returns the journal's length after the second. */
  private long threeRecords(boolean encrypted) throws IOException {
    try (FileStore s = open(encrypted)) {
      s.put(full(1));
      s.put("a", Bytes.fromHex("aa"));
      long afterTwo = Files.size(journal());
      s.put(full(2));
      return afterTwo;
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aTornLastRecord_atEveryLength_isDropped_andAppendsContinueAfterTheGoodOnes(
      boolean encrypted) throws IOException {
    long afterTwo = threeRecords(encrypted);
    byte[] whole = Files.readAllBytes(journal());
    for (int len = (int) afterTwo; len < whole.length; len++) {
      Files.write(journal(), Arrays.copyOf(whole, len));
      try (FileStore s = open(encrypted)) {
        assertThat(s.all()).as("length %d", len).containsExactly(full(1));
        assertThat(s.get("a")).contains(Bytes.fromHex("aa"));
        assertThat(s.recovery().droppedTailBytes()).isEqualTo(len - afterTwo);
        assertThat(Files.size(journal())).as("the torn tail is cut off").isEqualTo(afterTwo);
      }
    }
    Files.write(journal(), Arrays.copyOf(whole, whole.length - 3));
    try (FileStore s = open(encrypted)) {
      s.put(full(3));
    }
    try (FileStore s = open(encrypted)) {
      assertThat(s.all()).containsExactlyInAnyOrder(full(1), full(3));
      assertThat(s.recovery().droppedTailBytes()).isZero();
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aTornRecordFollowedByZeros_isDropped(boolean encrypted) throws IOException {
    long afterTwo = threeRecords(encrypted);
    byte[] whole = Files.readAllBytes(journal());
    for (int len : new int[] {(int) afterTwo, (int) afterTwo + 5, (int) afterTwo + 30, whole.length - 1}) {
      // the file system grew the file, but the data of the last append never reached the disk
      byte[] torn = Arrays.copyOf(whole, whole.length + 4096);
      Arrays.fill(torn, len, torn.length, (byte) 0);
      Files.write(journal(), torn);
      try (FileStore s = open(encrypted)) {
        assertThat(s.all()).as("zeros from %d", len).containsExactly(full(1));
        assertThat(Files.size(journal())).isEqualTo(afterTwo);
      }
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aDamagedRecordWithMoreAfterIt_isRefused_andTheJournalIsLeftAlone(boolean encrypted)
      throws IOException {
    threeRecords(encrypted);
    byte[] bad = Files.readAllBytes(journal());
    bad[StoreJournal.HEADER_LENGTH + StoreJournal.RECORD_HEADER_LENGTH + 20] ^= 0x10;
    Files.write(journal(), bad);
    assertThatThrownBy(() -> open(encrypted))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
              assertThat(e.path()).isEqualTo(journal());
            })
        .hasMessageContaining("journal record 0")
        .hasMessageContaining("more records after it");
    assertThat(Files.readAllBytes(journal())).isEqualTo(bad);
  }

  @Test
  void swappedRecords_failTheirChecks() throws IOException {
    try (FileStore s = open(false)) {
      s.put("a", Bytes.fromHex("01"));
      s.put("b", Bytes.fromHex("02"));
      s.put("counter", Bytes.fromHex("03"));
    }
    byte[] j = Files.readAllBytes(journal());
    int first = StoreJournal.HEADER_LENGTH;
    int len = StoreJournal.RECORD_HEADER_LENGTH + ByteBuffer.wrap(j, first, 4).getInt();
    byte[] swapped = j.clone();
    System.arraycopy(j, first, swapped, first + len, len);
    System.arraycopy(j, first + len, swapped, first, len);
    Files.write(journal(), swapped);
    assertThatThrownBy(() -> open(false))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void everySingleByteTamper_ofTheJournal_isRefusedOrLeavesAPrefixOfTheWrites(boolean encrypted)
      throws IOException {
    List<State> prefixes = new ArrayList<>();
    try (FileStore s = open(encrypted)) {
      prefixes.add(state(s));
      s.put(full(1));
      prefixes.add(state(s));
      s.put("a", Bytes.fromHex("aa"));
      prefixes.add(state(s));
      s.update(full(1).withSignCount(9));
      prefixes.add(state(s));
    }
    byte[] good = Files.readAllBytes(journal());
    int refused = 0;
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= (byte) 0xFF;
      Files.write(journal(), bad);
      try (FileStore s = open(encrypted)) {
        // only a damaged last record can pass for a torn one, and then it is dropped
        assertThat(state(s)).as("byte %d", i).isIn(prefixes.subList(3, 4).get(0), prefixes.get(2));
      } catch (StoreException e) {
        assertThat(e.reason()).as("byte %d", i).isIn(Reason.CORRUPT, Reason.UNSUPPORTED_VERSION);
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(good.length / 2);
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aCrashBetweenTheCompactionsTwoRenames_losesNothing(boolean encrypted) {
    State before;
    try (FileStore s = open(encrypted)) {
      s.put(full(1));
      s.put("a", Bytes.fromHex("01"));
      long g = s.generation();
      AtomicInteger renames = new AtomicInteger();
      s.faults(
          step -> {
            if (step.equals("rename") && renames.incrementAndGet() == 2) {
              throw new IOException("simulated crash before the journal's rename");
            }
          });
      assertThatThrownBy(s::compact).isInstanceOf(StoreException.class);
      assertThat(s.generation()).isEqualTo(g + 1); // the snapshot was renamed
      before = state(s);
      // the process dies here: close releases the lock, nothing more is written
    }
    try (FileStore s = open(encrypted)) {
      assertThat(s.recovery().staleJournal()).isTrue();
      assertThat(state(s)).isEqualTo(before);
      s.put(full(2));
    }
    try (FileStore s = open(encrypted)) {
      assertThat(s.all()).containsExactlyInAnyOrder(full(1), full(2));
      assertThat(s.recovery().staleJournal()).isFalse();
    }
  }

  @Test
  void aFailedCompaction_doesNotFailTheWrite_andIsRetried() {
    try (FileStore s = open(false, 512)) {
      AtomicInteger temps = new AtomicInteger();
      s.faults(
          step -> {
            if (step.equals("temp") && temps.incrementAndGet() <= 3) {
              throw new IOException("disk full (simulated)");
            }
          });
      for (int i = 0; i < 10; i++) {
        s.put(full(i)); // each record ~200 bytes: compaction due from the third on
      }
      assertThat(temps.get()).isGreaterThan(3);
      assertThat(s.generation()).isGreaterThan(1);
    }
    try (FileStore s = open(false)) {
      assertThat(s.count()).isEqualTo(10);
    }
  }

  @Test
  void aJournalDeletedOrReplacedBehindTheStore_failsTheWrite_insteadOfAcknowledgingIt() throws IOException {
    try (FileStore s = open(false)) {
      s.put(full(1));
      s.put(full(2)); // appended: the journal is open
      Path journal;
      try (var files = Files.list(dir)) {
        journal = files.filter(f -> f.getFileName().toString().contains("journal")).findFirst().orElseThrow();
      }
      byte[] copy = Files.readAllBytes(journal);
      Files.delete(journal);
      assertThatThrownBy(() -> s.put(full(3)))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(java.nio.file.NoSuchFileException.class);
      assertThat(s.count()).isEqualTo(2);
      // the next write starts a new generation: nothing acknowledged lives only in an unlinked file
      s.put(full(4));
      Files.delete(journal);
      Files.write(journal, copy); // another file under the same name: not the one the store holds
      assertThatThrownBy(() -> s.put(full(5))).isInstanceOf(StoreException.class).hasMessageContaining("replaced");
    }
    try (FileStore s = open(false)) {
      // the test itself deleted the journal holding 4; the planted copy is of an older generation
      assertThat(s.all()).extracting(StoredCredential::credentialId)
          .containsExactlyInAnyOrder(full(1).credentialId(), full(2).credentialId());
    }
  }

  @Test
  void aFailedAppend_throws_leavesMemoryUnchanged_andTheNextWriteCompactsFirst() {
    try (FileStore s = open(false)) {
      s.put(full(1));
      long g = s.generation();
      s.faults(
          step -> {
            if (step.equals("append")) {
              throw new IOException("I/O error (simulated)");
            }
          });
      assertThatThrownBy(() -> s.put(full(2)))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO))
          .hasMessageContaining("could not write the journal");
      assertThat(s.all()).containsExactly(full(1));
      s.faults(step -> {});
      s.put(full(3));
      assertThat(s.generation()).as("a new snapshot before a new journal").isEqualTo(g + 1);
    }
    try (FileStore s = open(false)) {
      assertThat(s.all()).containsExactlyInAnyOrder(full(1), full(3));
    }
  }

  @Test
  void snapshotPerCall_aFailedWrite_leavesMemoryAndFileUnchanged() throws IOException {
    try (FileStore s = open(false, 0)) {
      s.put(full(1));
      byte[] file = Files.readAllBytes(snapshot());
      s.faults(
          step -> {
            if (step.equals("rename")) {
              throw new IOException("read-only file system (simulated)");
            }
          });
      assertThatThrownBy(() -> s.put(full(2))).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> s.put("a", Bytes.fromHex("01"))).isInstanceOf(StoreException.class);
      assertThat(s.all()).containsExactly(full(1));
      assertThat(s.get("a")).isEmpty();
      assertThat(Files.readAllBytes(snapshot())).isEqualTo(file);
    }
  }

  @Test
  void snapshotPerCall_rewritesTheSnapshot_andKeepsNoJournal() throws IOException {
    try (FileStore s = open(false, 0)) {
      byte[] before = Files.readAllBytes(snapshot());
      s.put(full(1));
      assertThat(Files.readAllBytes(snapshot())).isNotEqualTo(before);
      assertThat(journal()).doesNotExist();
      s.put("a", Bytes.fromHex("01"));
    }
    try (FileStore s = open(false)) {
      assertThat(s.all()).containsExactly(full(1));
      assertThat(s.get("a")).contains(Bytes.fromHex("01"));
      s.put(full(2)); // and the journalled store takes over
      assertThat(journal()).exists();
    }
    try (FileStore s = open(false)) {
      assertThat(s.count()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void compaction_keepsTheJournalBounded_andReplayEqualsMemory(boolean encrypted)
      throws IOException {
    long seed = Long.getLong("journal.seed", new SecureRandom().nextLong());
    Random r = new Random(seed);
    MemoryStore reference = new MemoryStore();
    long maxJournal = 0;
    long generation;
    try (FileStore s = open(encrypted, 2048)) {
      for (int step = 0; step < 400; step++) {
        StoredCredential c =
            minimal("rp" + r.nextInt(4) + ".example", Bytes.fromHex("0" + r.nextInt(8)), r.nextInt(40));
        String k = KEYS[r.nextInt(KEYS.length)];
        switch (r.nextInt(8)) {
          case 0, 1, 2 -> {
            s.put(c);
            reference.put(c);
          }
          case 3 -> {
            StoredCredential u = c.withSignCount(step);
            s.update(u);
            reference.update(u);
          }
          case 4 -> assertThat(s.delete(c.credentialId())).isEqualTo(reference.delete(c.credentialId()));
          case 5 -> {
            s.put(k, Bytes.wrap(new byte[] {(byte) step}));
            reference.put(k, Bytes.wrap(new byte[] {(byte) step}));
          }
          case 6 -> {
            s.remove(k);
            reference.remove(k);
          }
          default -> {
            if (r.nextInt(10) == 0) {
              s.clear();
              reference.clear();
            }
          }
        }
        maxJournal = Math.max(maxJournal, Files.size(journal()));
        assertThat(state(s)).as("seed %d step %d", seed, step).isEqualTo(State.of(reference, reference, KEYS));
      }
      generation = s.generation();
      assertThat(state(s)).as("seed %d", seed).isEqualTo(State.of(reference, reference, KEYS));
    }
    assertThat(generation).as("seed %d: compactions happened", seed).isGreaterThan(2);
    assertThat(maxJournal).isLessThan(2048 + Math.max(2048, Files.size(snapshot())) + 1024);
    try (FileStore s = open(encrypted)) {
      assertThat(state(s)).as("seed %d", seed).isEqualTo(State.of(reference, reference, KEYS));
      assertThat(s.findByRpId("rp1.example")).isEqualTo(reference.findByRpId("rp1.example"));
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aJournalNewerThanTheSnapshot_isRefused(boolean encrypted) throws IOException {
    try (FileStore s = open(encrypted)) {
      s.put(full(1));
    }
    byte[] oldSnapshot = Files.readAllBytes(snapshot());
    try (FileStore s = open(encrypted)) {
      s.compact();
      s.put(full(2));
    }
    Files.write(snapshot(), oldSnapshot); // an old backup restored over the snapshot
    assertThatThrownBy(() -> open(encrypted))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessageContaining("an older copy");
  }

  @Test
  void aJournalWithoutItsSnapshot_isRefused() throws IOException {
    try (FileStore s = open(false)) {
      s.put(full(1));
    }
    Files.delete(snapshot());
    assertThatThrownBy(() -> open(false))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessageContaining("snapshot is missing");
    assertThat(journal()).exists();
  }

  @Test
  void aPlainJournalNextToAnEncryptedSnapshot_isRefused() throws IOException {
    Path plainDir = dir.resolve("plain");
    try (FileStore s = FileStore.open(plainDir, Optional.empty(), FileStoreTest.FAST)) {
      s.put(full(1));
    }
    try (FileStore s = open(true)) {
      s.put(full(2));
    }
    Files.copy(
        plainDir.resolve(FileStore.JOURNAL_FILE_NAME),
        journal(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> open(true))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("protection scheme");
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void aVersionOneStore_opens_andIsMigrated(boolean encrypted) throws IOException {
    List<StoredCredential> creds = List.of(full(1), full(2), minimal("v1.example", Bytes.fromHex("01"), 3));
    Map<String, Bytes> records = Map.of("a", Bytes.fromHex("0a"), "counter", Bytes.fromHex("a10105"));
    byte[] payload = StorePayload.encode(new StorePayload.Contents(creds, records));
    Optional<StoreEnvelope.StoreKey> key = Optional.empty();
    if (encrypted) {
      byte[] salt = new byte[StoreEnvelope.SALT_LENGTH];
      new SecureRandom().nextBytes(salt);
      key =
          Optional.of(
              StoreEnvelope.StoreKey.derive(
                  FileStoreTest.passFor(true).get(), KdfParameters.FAST_INSECURE_FOR_TESTS, salt));
    }
    byte[] v1 = StoreEnvelope.seal(payload, 1, key, new SecureRandom());
    Files.write(snapshot(), v1);
    State expected = new State(
        List.of(full(2), full(1), minimal("v1.example", Bytes.fromHex("01"), 3)),
        Map.of("a", Optional.of(Bytes.fromHex("0a")), "b", Optional.empty(), "counter", Optional.of(Bytes.fromHex("a10105"))));
    try (FileStore s = open(encrypted)) {
      assertThat(s.recovery().migratedFromVersion()).contains(1);
      assertThat(state(s)).isEqualTo(expected);
      assertThat(s.isEncrypted()).isEqualTo(encrypted);
      s.update(full(1).withSignCount(1));
    }
    byte[] migrated = Files.readAllBytes(snapshot());
    assertThat(migrated[9]).as("format version").isEqualTo((byte) 2);
    assertThat(journal()).exists();
    try (FileStore s = open(encrypted)) {
      assertThat(s.recovery().migratedFromVersion()).isEmpty();
      assertThat(s.find(full(1).credentialId())).contains(full(1).withSignCount(1));
      assertThat(s.count()).isEqualTo(3);
    }
  }

  @Test
  void putAll_isOneSnapshot_andBehavesLikePutInOrder() {
    MemoryStore reference = new MemoryStore();
    List<StoredCredential> list = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      list.add(minimal("rp" + (i % 3) + ".example", Bytes.fromHex("0" + (i % 5)), i));
    }
    list.forEach(reference::put);
    try (FileStore s = open(false)) {
      long g = s.generation();
      s.putAll(list);
      assertThat(s.generation()).isEqualTo(g + 1);
      assertThat(s.all()).isEqualTo(reference.all());
      s.put(full(1)); // the first write after it starts the journal of the new generation
    }
    reference.put(full(1));
    try (FileStore s = open(false)) {
      assertThat(s.all()).isEqualTo(reference.all());
    }
  }
}
