package dev.softkey.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The runner end to end, kept short: every benchmark runs once for 100 ms in this JVM (no fork, no
 * warm-up; JMH's own log in a file), and every ratio comes out as a number. Nothing here judges
 * speed.
 */
class RatiosTest {
  @Test
  void oneShortIterationOfEveryBenchmarkPrintsEveryRatio(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Ratios.run(new String[] {"-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-o", dir.resolve("jmh.log").toString()}, print(out), print(err));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    for (String benchmark :
        new String[] {
          "RawSigning.es256Sign", "RawSigning.p256KeyGen", "RawSigning.p256KeyGenAndSign", "RawSigning.ed25519Sign",
          "Engine.getAssertion", "Engine.getAssertionEd25519", "Engine.makeCredentialPacked", "Engine.makeCredentialNone",
          "Clients.softkeyCreate", "Clients.softkeyGet", "Clients.webauthn4jCreate", "Clients.webauthn4jGet"
        }) {
      assertThat(table).containsPattern("(?m)^" + Pattern.quote(benchmark) + " +[0-9]+ +± [0-9-]+ +[0-9]+$");
    }
    for (Ratios.Ratio ratio : Ratios.RATIOS) {
      Matcher m = Pattern.compile("(?m)^" + Pattern.quote(ratio.label()) + " +([0-9]+\\.[0-9]{2}) x$").matcher(table);
      assertThat(m.find()).as(ratio.label() + " in%n%s", table).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isPositive();
    }
  }

  @Test
  void aRatioWithoutItsBaselineIsNotApplicable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Ratios.print(List.of(Map.of(Ratios.RATIOS.get(0).numerator(), new Ratios.Rate(100, Double.NaN))), print(out));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table).containsPattern("(?m)^Engine\\.getAssertion +100 +± - +-$");
    assertThat(table).containsPattern("(?m)^" + Pattern.quote(Ratios.RATIOS.get(0).label()) + " +n/a \\(not run\\)$");
  }

  @Test
  void severalRoundsPrintTheMedianRatioAndEachRound() {
    Ratios.Ratio get = Ratios.RATIOS.get(5);
    List<Map<String, Ratios.Rate>> rounds = new ArrayList<>();
    for (double[] r : new double[][] {{600, 100}, {200, 100}, {900, 300}}) {
      Map<String, Ratios.Rate> round = new LinkedHashMap<>();
      // ops/s at half the CPU-time rate: the ratios are of the CPU-time rates
      round.put(get.denominator(), new Ratios.Rate(r[1] / 2, 1, r[1]));
      round.put(get.numerator(), new Ratios.Rate(r[0] / 2, 1, r[0]));
      rounds.add(round);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Ratios.print(rounds, print(out));

    String table = out.toString(StandardCharsets.UTF_8);
    // ratios 6, 2 and 3: the median of the ratios (3), not the ratio of the medians (600 / 100)
    assertThat(table).containsPattern("(?m)^" + Pattern.quote(get.label()) + " +3\\.00 x   rounds: 6\\.00 2\\.00 3\\.00$");
    assertThat(table).containsPattern("(?m)^Clients\\.softkeyGet +300   100\\.\\.450 +600$");
  }

  @Test
  void everyBenchmarkOfTheModuleIsInARatio() {
    List<String> inRatios = new ArrayList<>();
    for (Ratios.Ratio r : Ratios.RATIOS) {
      inRatios.add(r.numerator());
      inRatios.add(r.denominator());
    }
    List<String> benchmarks = new ArrayList<>();
    for (Class<?> c : List.of(RawSigning.class, Engine.class, Clients.class)) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Benchmark.class)) {
          benchmarks.add(c.getName() + "." + m.getName());
        }
      }
    }
    assertThat(inRatios).containsExactlyInAnyOrderElementsOf(benchmarks);
  }

  @Test
  void aBadRoundCountIsAClearErrorWithExitCode2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Ratios.run(new String[] {"--rounds", "0"}, print(new ByteArrayOutputStream()), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("jmh: --rounds takes a number from 1 to 20, not '0'%n".formatted());
  }

  @Test
  void anUnknownOptionIsAClearErrorWithExitCode2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Ratios.run(new String[] {"--no-such-option"}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("jmh: ").contains("-h");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }
}
