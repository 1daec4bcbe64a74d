package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code softkey bench --stores}: every store kind measured at every size in one run, on real
 * files. The figures themselves are the benchmark's to print (speed is never asserted by a timed
 * unit test); what is checked is that each was measured and the directories are gone afterwards.
 */
class BenchStoreTest {
  @TempDir Path dir;

  @Test
  void everyKindAndSize_isMeasured_andTheStoresAreRemoved() throws Exception {
    List<StoreBench.Row> rows =
        new StoreBench(dir, Profiles.defaultProfile(), 5)
            .run(new PrintStream(OutputStream.nullOutputStream()), List.of(3, 40));
    assertThat(rows)
        .extracting(r -> r.credentials() + " " + r.kind())
        .containsExactly(
            "3 MEMORY", "3 JOURNAL", "3 SNAPSHOT_PER_WRITE",
            "40 MEMORY", "40 JOURNAL", "40 SNAPSHOT_PER_WRITE");
    for (StoreBench.Row r : rows) {
      assertThat(r.insertMs()).as(r.toString()).isPositive();
      assertThat(r.getAssertionMs()).as(r.toString()).isPositive();
      assertThat(r.openMs().isPresent()).as(r.toString()).isEqualTo(r.kind() != StoreBench.Kind.MEMORY);
      assertThat(r.compactMs().isPresent()).as(r.toString()).isEqualTo(r.kind() == StoreBench.Kind.JOURNAL);
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void benchStore_printsTheTableAndTheTargets() {
    CliRunner.Result r =
        CliRunner.run("bench", "--stores", "--store-sizes", "2,20", "--store-samples", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Store benchmark")
        .containsPattern("(?m)^\\s+20\\s+journal\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+$")
        .containsPattern("(?m)^\\s+20\\s+memory\\s+[0-9.]+\\s+[0-9.]+\\s+-\\s+-\\s+-$")
        .containsPattern("(?m)^\\s+20\\s+snapshot-per-write\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+-\\s+-$")
        .contains("Targets at 20 credentials")
        .containsPattern("open\\s+[0-9.]+ ms, target under 100 ms: (met|MISSED)");
  }

  @Test
  void badSizes_areAUsageError() {
    CliRunner.Result r = CliRunner.run("bench", "--stores", "--store-sizes", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--store-sizes must be numbers");
  }
}
