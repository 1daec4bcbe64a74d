package dev.softkey.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Seeds of {@link FileStoreFuzzTest}: the file and the payload of a plain and an encrypted store. */
public final class StoreSeeds {
  private StoreSeeds() {}

  /** The fuzz test class these seeds are for (package-private). */
  public static final Class<?> TARGET = FileStoreFuzzTest.class;

  /** A store file after {@code fill} ran on a fresh store (encrypted with the test KDF, or plain). */
  public static byte[] file(boolean encrypted, java.util.function.Consumer<FileStore> fill) throws IOException {
    Path dir = Files.createTempDirectory("softkey-seed-store");
    Optional<char[]> pass = encrypted ? Optional.of(FileStoreFuzzTest.PASSPHRASE.clone()) : Optional.empty();
    try (FileStore s =
        FileStore.open(dir, pass, FileStore.Options.DEFAULT.withKdf(KdfParameters.FAST_INSECURE_FOR_TESTS))) {
      fill.accept(s);
    }
    return Files.readAllBytes(dir.resolve(FileStore.STATE_FILE_NAME));
  }

  /** The payload inside a store file (the envelope opened). */
  public static byte[] payload(byte[] plainFile) {
    Path p = Path.of(FileStore.STATE_FILE_NAME);
    return StoreEnvelope.open(StoreEnvelope.parse(plainFile, p), Optional.empty(), p);
  }
}
