package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code softkey bench --control}: both ways measured in one run, over real loopback HTTP and real
 * child JVMs; a running key answers a ceremony faster than a JVM starts.
 */
class BenchControlTest {
  @Test
  void controlApi_isFasterThanAProcessPerCeremony() throws Exception {
    List<ControlBench.Row> rows = new ControlBench(Duration.ofMillis(100), Duration.ofMillis(300), 1, 2)
        .run(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    assertThat(rows).extracting(ControlBench.Row::ceremony).containsExactly("create", "get");
    for (ControlBench.Row r : rows) {
      assertThat(r.httpPerSec()).isPositive();
      assertThat(r.processPerSec()).isPositive();
      assertThat(r.ratio()).as(r.toString()).isGreaterThan(1);
    }
  }

  @Test
  void benchControl_printsBothColumnsAndTheRatio() {
    CliRunner.Result r = CliRunner.run("bench", "--control", "--seconds", "0.2", "--rounds", "1", "--processes", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("control API").contains("process each (1)")
        .containsPattern("(?m)^create\\s+[0-9.]+/s\\s+[0-9.]+/s\\s+[0-9]+ x$")
        .containsPattern("(?m)^get\\s+[0-9.]+/s\\s+[0-9.]+/s\\s+[0-9]+ x$");
  }

  @Test
  void processes_outOfRange_isAUsageError() {
    CliRunner.Result r = CliRunner.run("bench", "--control", "--processes", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--processes must be 1..50");
  }
}
