package dev.softkey.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file store's parsers on mutated files: {@link FileStore#open} on a real {@code softkey.store}
 * (envelope, key check, checksum or GCM tag, payload), and {@link StorePayload#decode} on the
 * payload alone, which the envelope's checksum otherwise keeps out of the fuzzer's reach. In this
 * package because the envelope and payload codecs are package-private. Seeds: plain and encrypted
 * stores holding a credential and state records, written by {@code WriteSeeds}.
 *
 * <p>Invariants: a mutated file opens (and then every credential and record reads back, and it
 * closes) or is a {@link StoreException}; never another exception. An encrypted header whose
 * Argon2 cost is above the test parameters is not unlocked here: the cost bound is
 * {@link KdfParameters}' (at most 1 GiB and 64 passes), and one such open takes minutes.
 */
class FileStoreFuzzTest {
  /** The passphrase of the encrypted seeds. */
  static final char[] PASSPHRASE = "fuzz-passphrase".toCharArray();

  private static final Path DIR = tempDir();

  @FuzzTest
  void open(byte[] file) throws IOException {
    Files.write(DIR.resolve(FileStore.STATE_FILE_NAME), file);
    Optional<char[]> passphrase = Optional.empty();
    try {
      StoreEnvelope.Parsed parsed = StoreEnvelope.parse(file, DIR);
      if (parsed.sealing().isPresent()) {
        KdfParameters kdf = parsed.sealing().get().kdf();
        if ((long) kdf.memoryKib() * kdf.iterations() > KdfParameters.FAST_INSECURE_FOR_TESTS.memoryKib()) {
          return;
        }
        passphrase = Optional.of(PASSPHRASE.clone());
      }
    } catch (StoreException e) {
      // open must refuse it the same way
    }
    try (FileStore store = FileStore.open(DIR, passphrase, FileStore.Options.DEFAULT)) {
      store.all().forEach(c -> assertThat(store.find(c.credentialId())).contains(c));
      store.count();
    } catch (StoreException e) {
      assertThat(e.getMessage()).isNotEmpty();
    }
  }

  @FuzzTest
  void payload(byte[] payload) {
    StorePayload.Contents contents;
    try {
      contents = StorePayload.decode(payload, DIR);
    } catch (StoreException e) {
      return;
    }
    assertThat(StorePayload.decode(StorePayload.encode(contents), DIR)).as("re-decoded payload").isEqualTo(contents);
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
