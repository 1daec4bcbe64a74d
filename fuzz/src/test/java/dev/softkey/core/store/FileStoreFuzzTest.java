package dev.softkey.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file store's parsers on mutated files: {@link FileStore#open} on a real {@code softkey.store}
 * of either format version (envelope, key check, checksum or GCM tag, payload; a version 1 file is
 * migrated), on a snapshot with its journal (header, generation link, record checks, torn tails),
 * and the codecs alone, which the checksums otherwise keep out of the fuzzer's reach: {@link
 * StorePayload#decode} of both versions and {@link JournalRecord#decode}. In this package because
 * the codecs are package-private. Seeds: plain and encrypted stores holding a credential and state
 * records, written by {@code WriteSeeds} (the {@code v1-} seeds in the old format).
 *
 * <p>Invariants: a mutated store opens (and then every credential and record reads back, and it
 * closes) or is a {@link StoreException}; never another exception. A store with a journal that
 * opened takes a new write and opens again with it (a torn tail was cut off cleanly). An encrypted
 * header whose Argon2 cost is above the test parameters is not unlocked here: the cost bound is
 * {@link KdfParameters}' (at most 1 GiB and 64 passes), and one such open takes minutes. A decoded
 * payload or record re-encodes to itself.
 */
class FileStoreFuzzTest {
  /** The passphrase of the encrypted seeds. */
  static final char[] PASSPHRASE = "fuzz-passphrase".toCharArray();

  private static final Path DIR = tempDir();

  private static final StoredCredential PROBE =
      new StoredCredential(
          Bytes.fromHex("f00df00d"), "probe.example", Optional.empty(), Bytes.fromHex("01"),
          Optional.empty(), Optional.empty(), CoseAlgorithm.ES256, Bytes.wrap(new byte[32]), 0,
          false, false, 1, Map.of());

  @FuzzTest
  void open(byte[] file) throws IOException {
    Files.deleteIfExists(DIR.resolve(FileStore.JOURNAL_FILE_NAME));
    Files.write(DIR.resolve(FileStore.STATE_FILE_NAME), file);
    Optional<Optional<char[]>> passphrase = passphraseFor(file);
    if (passphrase.isEmpty()) {
      return;
    }
    try (FileStore store = FileStore.open(DIR, passphrase.get(), FileStore.Options.DEFAULT)) {
      readEverything(store);
    } catch (StoreException e) {
      assertThat(e.getMessage()).isNotEmpty();
    }
  }

  /** Input: snapshot length u32, snapshot, journal. */
  @FuzzTest
  void store(byte[] input) throws IOException {
    if (input.length < 4) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(input);
    long snapshotLength = Integer.toUnsignedLong(b.getInt());
    if (snapshotLength > input.length - 4) {
      return;
    }
    byte[] snapshot = new byte[(int) snapshotLength];
    b.get(snapshot);
    byte[] journal = new byte[b.remaining()];
    b.get(journal);
    Files.write(DIR.resolve(FileStore.STATE_FILE_NAME), snapshot);
    Files.write(DIR.resolve(FileStore.JOURNAL_FILE_NAME), journal);
    Optional<Optional<char[]>> passphrase = passphraseFor(snapshot);
    if (passphrase.isEmpty()) {
      return;
    }
    int count;
    try (FileStore store = FileStore.open(DIR, passphrase.get(), FileStore.Options.DEFAULT)) {
      readEverything(store);
      store.put(PROBE);
      count = store.count();
    } catch (StoreException e) {
      assertThat(e.getMessage()).isNotEmpty();
      return;
    }
    try (FileStore again = FileStore.open(DIR, passphraseFor(snapshot).get(), FileStore.Options.DEFAULT)) {
      assertThat(again.find(PROBE.credentialId())).as("the write after a recovered open").contains(PROBE);
      assertThat(again.count()).isEqualTo(count);
    }
  }

  @FuzzTest
  void payload(byte[] payload) {
    for (int version = 1; version <= 2; version++) {
      StorePayload.Snapshot snapshot;
      try {
        snapshot = StorePayload.decode(payload, version, DIR);
      } catch (StoreException e) {
        continue;
      }
      byte[] again =
          version == 1
              ? StorePayload.encode(snapshot.contents())
              : StorePayload.encode(
                  snapshot.contents().credentials(), snapshot.contents().records(), snapshot.generation());
      assertThat(StorePayload.decode(again, version, DIR)).as("re-decoded payload").isEqualTo(snapshot);
    }
  }

  @FuzzTest
  void record(byte[] cbor) {
    JournalRecord r;
    try {
      r = JournalRecord.decode(cbor, "record", DIR);
    } catch (StoreException e) {
      return;
    }
    assertThat(JournalRecord.decode(r.encode(), "record", DIR)).as("re-decoded record").isEqualTo(r);
  }

  /** The passphrase to open a snapshot with; empty to skip a header too costly to unlock here. */
  private static Optional<Optional<char[]>> passphraseFor(byte[] snapshot) {
    try {
      StoreEnvelope.Parsed parsed = StoreEnvelope.parse(snapshot, DIR);
      if (parsed.sealing().isPresent()) {
        KdfParameters kdf = parsed.sealing().get().kdf();
        if ((long) kdf.memoryKib() * kdf.iterations() > KdfParameters.FAST_INSECURE_FOR_TESTS.memoryKib()) {
          return Optional.empty();
        }
        return Optional.of(Optional.of(PASSPHRASE.clone()));
      }
    } catch (StoreException e) {
      // open must refuse it the same way
    }
    return Optional.of(Optional.empty());
  }

  private static void readEverything(FileStore store) {
    List<StoredCredential> all = store.all();
    all.forEach(c -> assertThat(store.find(c.credentialId())).contains(c));
    all.forEach(c -> assertThat(store.findByRpId(c.rpId())).contains(c));
    assertThat(store.count()).isEqualTo(all.size());
  }

  private static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("softkey-fuzz-store");
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
