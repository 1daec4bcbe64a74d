package dev.softkey.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.model.Bytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills a writing child JVM with SIGKILL ({@code destroyForcibly}) at random moments and checks
 * after each kill that the store opens and holds exactly a prefix of the writes. This exercises the
 * temp-file + atomic-rename protocol against process death; it cannot simulate power loss, which
 * the {@code force}/directory fsync calls are for. Three ways of writing: the journal (kills land
 * in appends), the journal compacted after every third credential (kills land inside compactions:
 * between the snapshot's and the journal's renames too), and a snapshot per write.
 */
class FileStoreCrashTest {
  static final int ROUNDS = 5;

  @TempDir Path tmp;

  static ProcessBuilder startChild(Path dir, String mode, Path stderr, String... more) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FileStoreCrashChild.class.getName());
    cmd.add(mode);
    cmd.add(dir.toString());
    cmd.addAll(List.of(more));
    return new ProcessBuilder(cmd).redirectError(stderr.toFile());
  }

  @ParameterizedTest(name = "encrypted={0}, {1}")
  @CsvSource({
    "false, journal",
    "true, journal",
    "false, compact-often",
    "true, compact-often",
    "false, snapshot-per-write"
  })
  void killedWriter_leavesAConsistentPrefixOfItsWrites(boolean encrypted, String mode)
      throws Exception {
    Path dir = tmp.resolve("store");
    Path stderr = tmp.resolve("child.err");
    long seed = new java.security.SecureRandom().nextLong();
    Random random = new Random(seed);
    int previous = 0;
    Optional<Bytes> previousLast = Optional.empty();
    int tempFilesSeen = 0;
    int tornTails = 0;
    int staleJournals = 0;
    List<Integer> counts = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String where = "seed " + seed + ", round " + round;
      Process child =
          startChild(dir, "write", stderr, encrypted ? "encrypted" : "plain", mode).start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        String ready = out.readLine();
        assertThat(ready)
            .as("%s: child said %s; stderr: %s", where, ready, read(stderr))
            .isEqualTo("ready " + previous);
        Thread.sleep(20 + random.nextInt(400));
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
      tempFilesSeen += tempFiles(dir).size();

      try (FileStore s =
          FileStore.open(dir, FileStoreCrashChild.passphrase(encrypted), FileStoreTest.FAST)) {
        int k = s.count();
        FileStore.Recovery r = s.recovery();
        tornTails += r.droppedTailBytes() > 0 ? 1 : 0;
        staleJournals += r.staleJournal() ? 1 : 0;
        assertThat(k).as("%s: writes are never lost", where).isGreaterThanOrEqualTo(previous);
        for (int i = 0; i < k; i++) {
          // exactly credentials 0..k-1, each complete
          assertThat(s.find(FileStoreCrashChild.credential(i).credentialId()))
              .as("%s: credential %d of %d", where, i, k)
              .contains(FileStoreCrashChild.credential(i));
        }
        Optional<Bytes> last = s.get(FileStoreCrashChild.LAST);
        if (k == 0) {
          assertThat(last).as(where).isEmpty();
        } else {
          // killed either after put(credential k-1) and before put(last, k-1), or after both
          List<Optional<Bytes>> allowed = new ArrayList<>();
          allowed.add(Optional.of(FileStoreCrashChild.last(k - 1)));
          allowed.add(k >= 2 ? Optional.of(FileStoreCrashChild.last(k - 2)) : Optional.empty());
          // or the child wrote credential k-1 as its first write of this round and was killed before
          // its first "last": then "last" is still what the previous round left
          if (k <= previous + 1) {
            allowed.add(previousLast);
          }
          assertThat(last).as(where).isIn(allowed);
        }
        assertThat(tempFiles(dir)).as("%s: temp files are cleaned at open", where).isEmpty();
        previous = k;
        previousLast = last;
        counts.add(k);
      }
    }
    System.out.printf(
        "crash test (encrypted=%s, %s, seed %d): store sizes after each kill %s, temp files left by"
            + " kills %d, torn journal tails dropped %d, journals left stale by a compaction %d%n",
        encrypted, mode, seed, counts, tempFilesSeen, tornTails, staleJournals);
    assertThat(previous).as("the child made progress").isPositive();
  }

  private static List<Path> tempFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(FileStore.TEMP_SUFFIX)).toList();
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
