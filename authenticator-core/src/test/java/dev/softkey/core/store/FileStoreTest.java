package dev.softkey.core.store;

import static dev.softkey.core.store.StoreFixtures.full;
import static dev.softkey.core.store.StoreFixtures.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.StoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileStoreTest {
  static final FileStore.Options FAST =
      FileStore.Options.DEFAULT
          .withKdf(KdfParameters.FAST_INSECURE_FOR_TESTS)
          .withLockTimeout(Duration.ofMillis(300));

  @TempDir Path dir;

  static Optional<char[]> pass(String s) {
    return Optional.of(s.toCharArray());
  }

  static Optional<char[]> passFor(boolean encrypted) {
    return encrypted ? pass("correct horse battery staple") : Optional.empty();
  }

  FileStore open(Optional<char[]> passphrase) {
    return FileStore.open(dir, passphrase, FAST);
  }

  Path stateFile() {
    return dir.resolve(FileStore.STATE_FILE_NAME);
  }

  Path journalFile() {
    return dir.resolve(FileStore.JOURNAL_FILE_NAME);
  }

  /** Folds the journal into the snapshot, closes, and removes the (then empty) journal. */
  static void snapshotOnly(FileStore s) throws IOException {
    s.compact();
    Path journal = s.journalFile();
    s.close();
    Files.delete(journal);
  }

  @Nested
  class RoundTrip {
    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void everyCredentialFieldAndStateRecord_surviveCloseAndReopen(boolean encrypted) {
      List<StoredCredential> written = new ArrayList<>();
      try (FileStore s = open(passFor(encrypted))) {
        for (int i = 0; i < 8; i++) {
          written.add(full(i));
          s.put(full(i));
        }
        StoredCredential bare = minimal("bare.example", Bytes.fromHex("01"), 5);
        written.add(bare);
        s.put(bare);
        s.put("device.secret", Bytes.fromHex("00112233445566778899"));
        s.put("pin.state", Bytes.fromHex("a10102"));
        s.put("empty", Bytes.EMPTY);
      }
      try (FileStore s = open(passFor(encrypted))) {
        assertThat(s.isEncrypted()).isEqualTo(encrypted);
        assertThat(s.all()).containsExactlyInAnyOrderElementsOf(written);
        for (StoredCredential c : written) {
          // record equality covers every component, including extensionData and Optionals
          assertThat(s.find(c.credentialId())).contains(c);
        }
        assertThat(s.get("device.secret")).contains(Bytes.fromHex("00112233445566778899"));
        assertThat(s.get("pin.state")).contains(Bytes.fromHex("a10102"));
        assertThat(s.get("empty")).contains(Bytes.EMPTY);
        assertThat(s.get("absent")).isEmpty();
        assertThat(s.count()).isEqualTo(written.size());
      }
    }

    @Test
    void listsAreNewestFirst_andFindByRpIdFilters() {
      try (FileStore s = open(Optional.empty())) {
        s.put(minimal("a.example", Bytes.fromHex("01"), 10));
        s.put(minimal("b.example", Bytes.fromHex("02"), 30));
        s.put(minimal("a.example", Bytes.fromHex("03"), 20));
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.all()).extracting(StoredCredential::createdAt).containsExactly(30L, 20L, 10L);
        assertThat(s.findByRpId("a.example"))
            .extracting(StoredCredential::createdAt)
            .containsExactly(20L, 10L);
        assertThat(s.findByRpId("c.example")).isEmpty();
      }
    }

    @Test
    void theStoreIsCreatedAtFirstOpen_soItsProtectionIsFixed() {
      try (FileStore s = open(pass("first"))) {
        assertThat(s.all()).isEmpty();
      }
      assertThat(stateFile()).exists();
      assertThatThrownBy(() -> open(pass("second")))
          .isInstanceOf(StoreException.class)
          .extracting(e -> ((StoreException) e).reason())
          .isEqualTo(Reason.WRONG_PASSPHRASE);
    }

    @Test
    void plainFile_isMagicVersionProtectionThenCborWithIntegerKeys() throws IOException {
      try (FileStore s = open(Optional.empty())) {
        s.put(full(1));
        s.put("k", Bytes.fromHex("ff"));
        s.compact();
        assertThat(s.generation()).isEqualTo(2); // 1 at creation, 2 now
      }
      byte[] file = Files.readAllBytes(stateFile());
      assertThat(Bytes.of(file, 0, 11).hex()).isEqualTo("534f46544b4559" + "00" + "0002" + "00");
      int len = ByteBuffer.wrap(file, 11, 4).getInt();
      CborMap payload = CborDecoder.decodeMap(Bytes.of(file, 15, len).toArray());
      assertThat(payload.longValue(3)).as("generation").isEqualTo(2);
      CborMap cred = CborMap.asMap(payload.list(1).get(0));
      // the key registry of StorePayload, version 1 (10, credProtect, is retired: not written)
      assertThat(cred.asMap().keySet())
          .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 11L, 12L, 13L, 14L);
      assertThat(cred.bytes(1)).isEqualTo(full(1).credentialId());
      assertThat(cred.text(2)).isEqualTo(full(1).rpId());
      assertThat(cred.longValue(7)).isEqualTo(full(1).algorithm().id());
      assertThat(cred.bytes(8)).isEqualTo(full(1).privateKey());
      assertThat(cred.longValue(13)).isEqualTo(full(1).createdAt());
      assertThat(payload.map(2).bytes("k")).isEqualTo(Bytes.fromHex("ff"));
    }
  }

  /** Files written by earlier versions of softkey. */
  @Nested
  class EarlierVersions {
    /** A payload as softkey wrote it before credProtect was an extension: key 10 on every credential. */
    private byte[] payloadWithRetiredCredProtect(long level) {
      CborMap payload = CborDecoder.decodeMap(StorePayload.encode(new StorePayload.Contents(List.of(minimal("old.example", Bytes.fromHex("01"), 1)), Map.of())));
      Map<Object, Object> cred = new java.util.TreeMap<>(CborMap.asMap(payload.list(1).get(0)).asMap());
      cred.put(10L, level);
      return CborEncoder.encode(Map.of(1L, List.of(cred), 2L, Map.of()));
    }

    @Test
    void retiredCredProtect_aboveOne_becomesTheCredProtectExtensionsState() {
      StoredCredential c = StorePayload.decode(payloadWithRetiredCredProtect(3), stateFile()).credentials().get(0);
      assertThat(c.extensionData()).containsEntry("credProtect", Bytes.fromHex("03"));
    }

    @Test
    void retiredCredProtect_one_leavesNoState() {
      StoredCredential c = StorePayload.decode(payloadWithRetiredCredProtect(1), stateFile()).credentials().get(0);
      assertThat(c.extensionData()).isEmpty();
    }

    @Test
    void retiredCredProtect_outOfRange_isCorrupt() {
      assertThatThrownBy(() -> StorePayload.decode(payloadWithRetiredCredProtect(4), stateFile()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("credProtect out of range");
    }
  }

  @Nested
  class Mutations {
    @Test
    void put_replacesTheCredentialWithTheSameRpIdAndUserId_durably() {
      Bytes user = Bytes.fromHex("aa");
      StoredCredential old = minimal("rp.example", user, 1);
      StoredCredential fresh = minimal("rp.example", user, 2);
      StoredCredential otherRp = minimal("other.example", user, 3);
      try (FileStore s = open(Optional.empty())) {
        s.put(old);
        s.put(otherRp);
        s.put(fresh);
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.find(old.credentialId())).isEmpty();
        assertThat(s.all()).containsExactly(otherRp, fresh);
      }
    }

    @Test
    void update_replacesById_andIgnoresUnknownIds() {
      StoredCredential c = full(4);
      try (FileStore s = open(Optional.empty())) {
        s.put(c);
        s.update(c.withSignCount(77));
        s.update(full(5)); // not stored: no-op
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.all()).containsExactly(c.withSignCount(77));
      }
    }

    @Test
    void deleteAndClearAndRemove_areDurable() {
      try (FileStore s = open(Optional.empty())) {
        s.put(full(1));
        s.put(full(2));
        s.put(full(3));
        s.put("a", Bytes.fromHex("01"));
        s.put("b", Bytes.fromHex("02"));
        assertThat(s.delete(full(2).credentialId())).isTrue();
        assertThat(s.delete(full(2).credentialId())).isFalse();
        s.remove("a");
        s.remove("never-there");
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.all()).containsExactlyInAnyOrder(full(1), full(3));
        assertThat(s.get("a")).isEmpty();
        assertThat(s.get("b")).contains(Bytes.fromHex("02"));
        s.clear();
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.all()).isEmpty();
        assertThat(s.count()).isZero();
        // clear() is authenticatorReset for credentials only; state records are their owners'
        assertThat(s.get("b")).contains(Bytes.fromHex("02"));
      }
    }

    @Test
    void behavesLikeMemoryStore_underTheSameSequence() {
      MemoryStore reference = new MemoryStore();
      SecureRandom rnd = new SecureRandom();
      long seed = rnd.nextLong();
      java.util.Random r = new java.util.Random(seed);
      try (FileStore s = open(Optional.empty())) {
        for (int step = 0; step < 200; step++) {
          StoredCredential c =
              minimal(
                  "rp" + r.nextInt(3) + ".example",
                  Bytes.fromHex("0" + r.nextInt(4)),
                  r.nextInt(50));
          switch (r.nextInt(4)) {
            case 0, 1 -> {
              s.put(c);
              reference.put(c);
            }
            case 2 -> {
              StoredCredential u = c.withSignCount(step);
              s.update(u);
              reference.update(u);
            }
            default ->
                assertThat(s.delete(c.credentialId()))
                    .isEqualTo(reference.delete(c.credentialId()));
          }
        }
      }
      try (FileStore s = open(Optional.empty())) {
        assertThat(s.all()).as("seed %d", seed).isEqualTo(reference.all());
        assertThat(s.findByRpId("rp1.example"))
            .as("seed %d", seed)
            .isEqualTo(reference.findByRpId("rp1.example"));
      }
    }

    @Test
    void closedStore_refusesCalls_andCloseIsIdempotent() {
      FileStore s = open(Optional.empty());
      s.close();
      s.close();
      assertThatThrownBy(s::all).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> s.put("k", Bytes.EMPTY)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Encryption {
    @Test
    void encryptedFile_doesNotContainAPrivateKeyInTheClear() throws IOException {
      Bytes privateKey =
          CredentialKey.generate(CoseAlgorithm.ES256, RandomSource.seeded(42)).privateEncoding();
      StoredCredential c =
          new StoredCredential(
              Bytes.fromHex("c1d2"),
              "leak.example",
              Optional.empty(),
              Bytes.fromHex("01"),
              Optional.empty(),
              Optional.empty(),
              CoseAlgorithm.ES256,
              privateKey,
              0,
              false,
              false,
              1,
              Map.of());
      Path plainDir = dir.resolve("plain");
      Path encDir = dir.resolve("enc");
      try (FileStore p = FileStore.open(plainDir, Optional.empty(), FAST);
          FileStore e = FileStore.open(encDir, pass("pw"), FAST)) {
        p.put(c);
        e.put(c);
      }
      for (String name : List.of(FileStore.JOURNAL_FILE_NAME, FileStore.STATE_FILE_NAME)) {
        byte[] plain = Files.readAllBytes(plainDir.resolve(name));
        byte[] enc = Files.readAllBytes(encDir.resolve(name));
        // the check can fail: the plain store does hold the key verbatim
        assertThat(containsWindow(plain, privateKey.toArray(), privateKey.length())).as(name).isTrue();
        assertThat(containsWindow(enc, privateKey.toArray(), 6)).as(name).isFalse();
        assertThat(containsWindow(enc, "leak.example".getBytes(), 4)).as(name).isFalse();
        if (name.equals(FileStore.JOURNAL_FILE_NAME)) {
          // then the same after compaction, in the snapshot
          try (FileStore p = FileStore.open(plainDir, Optional.empty(), FAST);
              FileStore e = FileStore.open(encDir, pass("pw"), FAST)) {
            p.compact();
            e.compact();
          }
        }
      }
    }

    /** True if any {@code window}-byte run of {@code needle} occurs in {@code hay}. */
    static boolean containsWindow(byte[] hay, byte[] needle, int window) {
      for (int n = 0; n + window <= needle.length; n++) {
        for (int h = 0; h + window <= hay.length; h++) {
          if (java.util.Arrays.equals(hay, h, h + window, needle, n, n + window)) {
            return true;
          }
        }
      }
      return false;
    }

    @Test
    void everyWrite_usesAFreshNonce() throws IOException {
      try (FileStore s = open(pass("pw"))) {
        s.put("k", Bytes.fromHex("01"));
        s.compact();
        byte[] first = Files.readAllBytes(stateFile());
        s.put("k", Bytes.fromHex("02"));
        s.put("k", Bytes.fromHex("01")); // same content as `first`
        s.compact();
        byte[] third = Files.readAllBytes(stateFile());
        int nonceAt = StoreEnvelope.ENCRYPTED_HEADER_LENGTH - 4 - StoreEnvelope.NONCE_LENGTH;
        assertThat(Bytes.of(third, nonceAt, 12)).isNotEqualTo(Bytes.of(first, nonceAt, 12));
        assertThat(third).isNotEqualTo(first);
        // journal records: the same content twice, under different nonces
        s.put("j", Bytes.fromHex("01"));
        s.remove("j");
        s.put("j", Bytes.fromHex("01"));
        byte[] journal = Files.readAllBytes(journalFile());
        int recordLength = StoreJournal.RECORD_HEADER_LENGTH + ByteBuffer.wrap(journal, StoreJournal.HEADER_LENGTH, 4).getInt();
        int firstNonce = StoreJournal.HEADER_LENGTH + StoreJournal.RECORD_HEADER_LENGTH;
        int secondRecord = StoreJournal.HEADER_LENGTH + recordLength;
        int thirdNonce = secondRecord + StoreJournal.RECORD_HEADER_LENGTH + ByteBuffer.wrap(journal, secondRecord, 4).getInt() + StoreJournal.RECORD_HEADER_LENGTH;
        assertThat(Bytes.of(journal, thirdNonce, 12)).isNotEqualTo(Bytes.of(journal, firstNonce, 12));
        assertThat(Bytes.of(journal, thirdNonce + 12, recordLength - 20))
            .as("ciphertext of equal records")
            .isNotEqualTo(Bytes.of(journal, firstNonce + 12, recordLength - 20));
      }
    }

    @Test
    void wrongPassphrase_isToldApart_withoutLeakingIt() {
      try (FileStore s = open(pass("hunter2-right"))) {
        s.put(full(1));
      }
      assertThatThrownBy(() -> open(pass("hunter2-wrong")))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE);
                assertThat(e.path()).isEqualTo(stateFile());
              })
          .hasMessageContaining(stateFile().toString())
          .hasMessageContaining("wrong passphrase")
          .hasMessageNotContaining("hunter2");
      try (FileStore s = open(pass("hunter2-right"))) {
        assertThat(s.all()).containsExactly(full(1)); // nothing lost by the failed attempt
      }
    }

    @Test
    void encryptedStoreWithoutPassphrase_andPlainStoreWithOne_areRefused() {
      Path enc = dir.resolve("enc");
      Path plain = dir.resolve("plain");
      FileStore.open(enc, pass("pw"), FAST).close();
      FileStore.open(plain, Optional.empty(), FAST).close();
      assertThatThrownBy(() -> FileStore.open(enc, Optional.empty(), FAST))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.PASSPHRASE_REQUIRED))
          .hasMessageContaining("passphrase is required");
      assertThatThrownBy(() -> FileStore.open(plain, pass("pw"), FAST))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ENCRYPTED))
          .hasMessageContaining("not encrypted");
    }

    @Test
    void emptyPassphrase_isRejected() {
      assertThatThrownBy(() -> open(Optional.of(new char[0])))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kdfParameters_comeFromTheHeader_notFromTheOpenersOptions() {
      KdfParameters custom = new KdfParameters(2048, 2, 1);
      FileStore.open(dir, pass("pw"), FAST.withKdf(custom)).close();
      try (FileStore s = open(pass("pw"))) {
        assertThat(s.kdfParameters()).contains(custom);
      }
    }

    @Test
    void defaultKdf_openTimeIsMeasured() {
      long t0 = System.nanoTime();
      FileStore.open(dir, pass("pw"), FileStore.Options.DEFAULT).close();
      long t1 = System.nanoTime();
      try (FileStore s = FileStore.open(dir, pass("pw"), FileStore.Options.DEFAULT)) {
        long t2 = System.nanoTime();
        assertThat(s.kdfParameters()).contains(KdfParameters.DEFAULT);
        System.out.printf(
            "FileStore open with %s: create %d ms, reopen %d ms%n",
            KdfParameters.DEFAULT, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
      }
    }
  }

  @Nested
  class Damage {
    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void everySingleByteTamper_isDetected_andTheFileIsLeftAlone(boolean encrypted)
        throws IOException {
      try (FileStore s = open(passFor(encrypted))) {
        s.put(full(1));
        s.put("k", Bytes.fromHex("0102"));
        snapshotOnly(s);
      }
      byte[] good = Files.readAllBytes(stateFile());
      for (int i = 0; i < good.length; i++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) 0xFF;
        Files.write(stateFile(), bad);
        int at = i;
        assertThatThrownBy(() -> open(passFor(encrypted)).close())
            .as("byte %d of %d", at, good.length)
            .isInstanceOfSatisfying(
                StoreException.class,
                e ->
                    assertThat(e.reason())
                        .isIn(Reason.CORRUPT, Reason.WRONG_PASSPHRASE, Reason.UNSUPPORTED_VERSION))
            .hasMessageStartingWith(stateFile().toString());
        assertThat(Files.readAllBytes(stateFile())).as("byte %d", at).isEqualTo(bad);
      }
      Files.write(stateFile(), good);
      try (FileStore s = open(passFor(encrypted))) {
        assertThat(s.all()).containsExactly(full(1));
      }
    }

    @Test
    void tamperedCiphertext_isReportedAsModified() throws IOException {
      try (FileStore s = open(pass("pw"))) {
        s.put(full(1));
        snapshotOnly(s);
      }
      byte[] file = Files.readAllBytes(stateFile());
      file[file.length - 20] ^= 1;
      Files.write(stateFile(), file);
      assertThatThrownBy(() -> open(pass("pw")))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
          .hasMessageContaining("modified or damaged");
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void truncatedFile_isReportedAsCorrupt(boolean encrypted) throws IOException {
      try (FileStore s = open(passFor(encrypted))) {
        s.put(full(1));
        snapshotOnly(s);
      }
      byte[] good = Files.readAllBytes(stateFile());
      for (int len : new int[] {0, 3, 8, 11, 14, 40, good.length / 2, good.length - 1}) {
        Files.write(stateFile(), java.util.Arrays.copyOf(good, len));
        assertThatThrownBy(() -> open(passFor(encrypted)))
            .as("length %d", len)
            .isInstanceOfSatisfying(
                StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
            .hasMessageMatching(".*(truncated|empty|bad magic).*");
      }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void unknownFormatVersion_isRefusedByNumber(boolean encrypted) throws IOException {
      open(passFor(encrypted)).close();
      byte[] file = Files.readAllBytes(stateFile());
      file[9] = 3; // format version u16 at offset 8
      Files.write(stateFile(), file);
      assertThatThrownBy(() -> open(passFor(encrypted)))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION))
          .hasMessageContaining("format version 3 is not supported");
    }

    @Test
    void unknownProtectionScheme_isRefused() throws IOException {
      open(Optional.empty()).close();
      byte[] file = Files.readAllBytes(stateFile());
      file[10] = 7;
      Files.write(stateFile(), file);
      assertThatThrownBy(() -> open(Optional.empty()))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION))
          .hasMessageContaining("protection scheme 7");
    }

    @Test
    void unknownPayloadMember_isRefused_ratherThanDropped() throws IOException {
      Map<Object, Object> payload =
          Map.of(1L, List.of(), 2L, Map.of(), 3L, 1L, 4L, "from a newer softkey");
      byte[] file =
          StoreEnvelope.seal(CborEncoder.encode(payload), Optional.empty(), new SecureRandom());
      Files.write(stateFile(), file);
      assertThatThrownBy(() -> open(Optional.empty()))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
          .hasMessageContaining("unknown member 4");
      assertThat(Files.readAllBytes(stateFile())).isEqualTo(file);
      // in a version 1 file, 3 (the generation) is unknown as well
      Map<Object, Object> v1 = Map.of(1L, List.of(), 2L, Map.of(), 3L, 1L);
      byte[] v1File =
          StoreEnvelope.seal(CborEncoder.encode(v1), 1, Optional.empty(), new SecureRandom());
      Files.write(stateFile(), v1File);
      assertThatThrownBy(() -> open(Optional.empty()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("unknown member 3");
      assertThat(Files.readAllBytes(stateFile())).isEqualTo(v1File);
    }

    @Test
    void notAStoreFile_isRefused() throws IOException {
      Files.writeString(stateFile(), "{\"credentials\": []}");
      assertThatThrownBy(() -> open(Optional.empty()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("not a softkey store file");
    }
  }

  @Nested
  class FilesAndLocking {
    @Test
    void leftoverTempFiles_areRemovedAtOpen_andNeverReadAsState() throws IOException {
      try (FileStore s = open(Optional.empty())) {
        s.put(full(1));
      }
      Path temp = dir.resolve(FileStore.STATE_FILE_NAME + ".00112233aabbccdd.tmp");
      Files.write(temp, new byte[] {1, 2, 3});
      try (FileStore s = open(Optional.empty())) {
        assertThat(temp).doesNotExist();
        assertThat(s.all()).containsExactly(full(1));
        s.put(full(2));
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder(
                FileStore.STATE_FILE_NAME, FileStore.JOURNAL_FILE_NAME, FileStore.LOCK_FILE_NAME);
      }
    }

    @Test
    void newDirectoryAndFiles_areOwnerOnly() throws IOException {
      assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
      Path home = dir.resolve("a").resolve("softkey");
      try (FileStore s = FileStore.open(home, Optional.empty(), FAST)) {
        s.put(full(1));
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
          .isEqualTo("rwx------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(home.resolve(FileStore.STATE_FILE_NAME))))
          .isEqualTo("rw-------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(home.resolve(FileStore.JOURNAL_FILE_NAME))))
          .isEqualTo("rw-------");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(home.resolve(FileStore.LOCK_FILE_NAME))))
          .isEqualTo("rw-------");
    }

    @Test
    void secondOpen_failsClearly_whileTheFirstHoldsTheLock() {
      try (FileStore first = open(Optional.empty())) {
        first.put(full(1));
        assertThatThrownBy(() -> open(Optional.empty()))
            .isInstanceOfSatisfying(
                StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LOCKED))
            .hasMessageContaining("in use by another process")
            .hasMessageContaining(FileStore.LOCK_FILE_NAME);
        assertThat(first.all()).containsExactly(full(1));
      }
      try (FileStore again = open(Optional.empty())) {
        assertThat(again.all()).containsExactly(full(1));
      }
    }

    @Test
    void secondOpen_waitsForTheFirstToClose() throws Exception {
      FileStore first = open(Optional.empty());
      CompletableFuture<FileStore> second =
          CompletableFuture.supplyAsync(
              () ->
                  FileStore.open(
                      dir, Optional.empty(), FAST.withLockTimeout(Duration.ofSeconds(10))));
      Thread.sleep(200);
      assertThat(second).isNotDone();
      first.put(full(3));
      first.close();
      try (FileStore s = second.get(10, TimeUnit.SECONDS)) {
        assertThat(s.all()).containsExactly(full(3));
      }
    }

    @Test
    void anotherProcess_isLockedOut() throws Exception {
      try (FileStore held = open(Optional.empty())) {
        Process child =
            FileStoreCrashTest.startChild(dir, "probe-lock", dir.resolve("child.err")).start();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(out).contains("LOCKED").contains("process " + ProcessHandle.current().pid());
        assertThat(child.exitValue()).isEqualTo(3);
      }
    }

    @Test
    void aPathThatIsAFile_isNotAStoreDirectory() throws IOException {
      Path file = Files.writeString(dir.resolve("file"), "x");
      assertThatThrownBy(() -> FileStore.open(file, Optional.empty(), FAST))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IO));
    }
  }

  @Nested
  class DefaultDirectory {
    final Path home = Path.of("/home/alice");

    @Test
    void softkeyHome_winsOverEverything() {
      assertThat(
              FileStore.defaultDirectory(
                  Map.of("SOFTKEY_HOME", "/srv/sk", "XDG_DATA_HOME", "/x", "APPDATA", "C:\\a"),
                  "Linux",
                  home))
          .isEqualTo(Path.of("/srv/sk"));
    }

    @Test
    void xdgDataHome_whenAbsolute() {
      assertThat(FileStore.defaultDirectory(Map.of("XDG_DATA_HOME", "/data"), "Linux", home))
          .isEqualTo(Path.of("/data/softkey"));
      assertThat(FileStore.defaultDirectory(Map.of("XDG_DATA_HOME", "rel"), "Linux", home))
          .isEqualTo(Path.of("/home/alice/.local/share/softkey"));
    }

    @Test
    void localShare_otherwise() {
      assertThat(FileStore.defaultDirectory(Map.of(), "Mac OS X", home))
          .isEqualTo(Path.of("/home/alice/.local/share/softkey"));
      assertThat(FileStore.defaultDirectory(Map.of("SOFTKEY_HOME", " "), "Linux", home))
          .isEqualTo(Path.of("/home/alice/.local/share/softkey"));
    }

    @Test
    void appData_onWindows() {
      assertThat(FileStore.defaultDirectory(Map.of("APPDATA", "/appdata"), "Windows 11", home))
          .isEqualTo(Path.of("/appdata/softkey"));
      assertThat(FileStore.defaultDirectory(Map.of(), "Windows 11", home))
          .isEqualTo(Path.of("/home/alice/AppData/Roaming/softkey"));
    }

    @Test
    void theRealDefault_endsInSoftkey() {
      String softkeyHome = System.getenv("SOFTKEY_HOME");
      Path expected =
          softkeyHome != null && !softkeyHome.isBlank()
              ? Path.of(softkeyHome)
              : FileStore.defaultDirectory().getParent().resolve("softkey");
      assertThat(FileStore.defaultDirectory()).isEqualTo(expected);
    }
  }
}
