package dev.softkey.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs softkey's benchmarks and prints each one's rate next to its baseline: the engine over raw
 * signing and key generation, softkey's WebAuthn client over webauthn4j-test's.
 *
 * <p>JMH runs one benchmark after another, so a load that comes and goes on a shared machine
 * would hit a figure and its baseline differently if they ran far apart. Without a benchmark
 * expression the runner therefore runs the benchmarks ratio by ratio, each figure right after its
 * baseline (or the baseline right after it), and {@code --rounds N} repeats the whole sequence: each ratio is then the median of
 * the rounds' ratios, each taken within one round. With an expression, JMH runs what it selects
 * once, in its own order, and the ratios whose two sides ran are printed.
 *
 * <p>The ratios divide operations per second of CPU time ({@link CpuTime}): what other processes
 * on the machine take from the benchmark's JVM lowers its ops/s but hardly its CPU-time rate.
 * Both are printed.
 *
 * <p>Other arguments are JMH's own ({@code -f}, {@code -wi}, {@code -w}, {@code -i}, {@code -r},
 * {@code -h} for the list); what they leave out takes the defaults the benchmark classes declare
 * (one fork; 3 measured iterations of 1 s after 3 of warm-up, 5 for the clients).
 */
public final class Ratios {
  private static final String RAW = RawSigning.class.getName() + ".";
  private static final String ENGINE = Engine.class.getName() + ".";
  private static final String CLIENTS = Clients.class.getName() + ".";
  static final int MAX_ROUNDS = 20;

  /** A figure and the baseline it is divided by (benchmark names with their class). */
  record Ratio(String label, String numerator, String denominator) {}

  /** Every ratio, in the order they run and print; every benchmark of the module is in one. */
  static final List<Ratio> RATIOS =
      List.of(
          new Ratio("engine getAssertion ES256 / raw ES256 sign", ENGINE + "getAssertion", RAW + "es256Sign"),
          new Ratio("engine getAssertion EdDSA / raw Ed25519 sign", ENGINE + "getAssertionEd25519", RAW + "ed25519Sign"),
          new Ratio("engine makeCredential packed / (P-256 keygen + sign)", ENGINE + "makeCredentialPacked", RAW + "p256KeyGenAndSign"),
          new Ratio("engine makeCredential none / P-256 keygen", ENGINE + "makeCredentialNone", RAW + "p256KeyGen"),
          new Ratio("softkey client create / webauthn4j-test create", CLIENTS + "softkeyCreate", CLIENTS + "webauthn4jCreate"),
          new Ratio("softkey client get / webauthn4j-test get", CLIENTS + "softkeyGet", CLIENTS + "webauthn4jGet"));

  /**
   * One benchmark's rates in one round, the means of its iterations: ops/s with JMH's 99.9% error
   * margin, and the best iteration's ops per second of the JVM's CPU time ({@link CpuTime}; NaN when not measured).
   */
  record Rate(double opsPerSec, double error, double opsPerCpuSec) {
    Rate(double opsPerSec, double error) {
      this(opsPerSec, error, Double.NaN);
    }

    /** What a ratio divides: the CPU-time rate when there is one, else ops/s. */
    double forRatio() {
      return Double.isNaN(opsPerCpuSec) ? opsPerSec : opsPerCpuSec;
    }
  }

  private Ratios() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the benchmarks {@code args} select and prints the table; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
    int rounds = 1;
    int at = jmhArgs.indexOf("--rounds");
    if (at >= 0) {
      String value = at + 1 < jmhArgs.size() ? jmhArgs.get(at + 1) : "";
      if (!value.matches("[0-9]{1,2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_ROUNDS) {
        err.printf("jmh: --rounds takes a number from 1 to %d, not '%s'%n", MAX_ROUNDS, value);
        return 2;
      }
      rounds = Integer.parseInt(value);
      jmhArgs.subList(at, at + 2).clear();
    }
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      err.println("jmh: " + e.getMessage() + " (run with -h for the options)");
      return 2;
    }
    if (cmd.shouldHelp()) {
      out.println("Usage: scripts/jmh.sh [--rounds N] [JMH options] [benchmark regexp]");
      out.printf(
          "Runs softkey's JMH benchmarks and prints ops/s with the ratios to their baselines.%n"
              + "Defaults: -f 1 -wi 3 -w 1s -i 3 -r 1s (-wi 5 for Clients), every benchmark, ratio by ratio.%n"
              + "  --rounds N   run the whole sequence N times (1..%d) and print each ratio's median%n%n",
          MAX_ROUNDS);
      try {
        cmd.showHelp();
      } catch (IOException e) {
        err.println("jmh: cannot print JMH's help: " + e.getMessage());
      }
      return 0;
    }
    try {
      List<Map<String, Rate>> results = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        Map<String, Rate> round = new LinkedHashMap<>();
        if (cmd.getIncludes().isEmpty()) {
          for (Ratio ratio : RATIOS) {
            round.putAll(rates(new Runner(options(cmd, ratio)).run()));
          }
        } else {
          round.putAll(rates(new Runner(options(cmd).build()).run()));
        }
        results.add(round);
      }
      print(results, out);
      return 0;
    } catch (RunnerException e) {
      err.println("jmh: the run failed: " + e.getMessage() + " (see JMH's output above)");
      return 1;
    }
  }

  /** The command line's options, in ops/s, with the {@link CpuTime} profiler. */
  static ChainedOptionsBuilder options(CommandLineOptions cmd) {
    return new OptionsBuilder().parent(cmd).timeUnit(TimeUnit.SECONDS).addProfiler(CpuTime.class);
  }

  /** {@link #options(CommandLineOptions)} for the two benchmarks of {@code ratio}, which JMH then runs one right after the other. */
  static Options options(CommandLineOptions cmd, Ratio ratio) {
    ChainedOptionsBuilder b = options(cmd);
    b.include("^" + Pattern.quote(ratio.denominator()) + "$");
    b.include("^" + Pattern.quote(ratio.numerator()) + "$");
    return b.build();
  }

  static Map<String, Rate> rates(Collection<RunResult> results) {
    Map<String, Rate> rates = new LinkedHashMap<>();
    for (RunResult r : results) {
      Result<?> primary = r.getPrimaryResult();
      Result<?> cpu = r.getSecondaryResults().get(CpuTime.LABEL);
      rates.put(r.getParams().getBenchmark(), new Rate(primary.getScore(), primary.getScoreError(), cpu == null ? Double.NaN : cpu.getScore()));
    }
    return rates;
  }

  /**
   * The table of rates (benchmark names without the package; with several rounds the median and
   * the range), then every ratio (with several rounds the median of the rounds' ratios and each
   * round's); n/a where a side did not run.
   */
  static void print(List<Map<String, Rate>> rounds, PrintStream out) {
    out.printf(
        Locale.ROOT, "%nsoftkey JMH (JDK %s, %d processor(s), %d round(s))%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds.size());
    boolean one = rounds.size() == 1;
    out.printf(Locale.ROOT, "%-32s %12s %-16s %12s%n", "benchmark", one ? "ops/s" : "median ops/s", one ? "  ± (99.9%)" : "  range", "ops/cpu-s");
    String prefix = Ratios.class.getPackageName() + ".";
    for (String benchmark : rounds.get(0).keySet()) {
      String name = benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
      double[] ops = rounds.stream().filter(r -> r.containsKey(benchmark)).mapToDouble(r -> r.get(benchmark).opsPerSec()).toArray();
      double[] cpu = rounds.stream().filter(r -> r.containsKey(benchmark)).mapToDouble(r -> r.get(benchmark).opsPerCpuSec()).toArray();
      String spread;
      if (one) {
        double error = rounds.get(0).get(benchmark).error();
        // JMH gives no error margin for a single iteration.
        spread = "  ± " + (Double.isNaN(error) ? "-" : String.format(Locale.ROOT, "%.0f", error));
      } else {
        spread = String.format(Locale.ROOT, "  %.0f..%.0f", Arrays.stream(ops).min().orElse(0), Arrays.stream(ops).max().orElse(0));
      }
      double cpuMedian = median(cpu);
      out.printf(
          Locale.ROOT, "%-32s %12.0f %-16s %12s%n", name, median(ops), spread, Double.isNaN(cpuMedian) ? "-" : String.format(Locale.ROOT, "%.0f", cpuMedian));
    }
    out.printf(Locale.ROOT, "%n%-55s %8s%n", "ratio (of ops/cpu-s where measured, else of ops/s)", "x");
    for (Ratio ratio : RATIOS) {
      double[] each =
          rounds.stream()
              .filter(r -> r.containsKey(ratio.numerator()) && r.containsKey(ratio.denominator()) && r.get(ratio.denominator()).forRatio() > 0)
              .mapToDouble(r -> r.get(ratio.numerator()).forRatio() / r.get(ratio.denominator()).forRatio())
              .toArray();
      String value = each.length == 0 ? "n/a (not run)" : String.format(Locale.ROOT, "%.2f x", median(each));
      String perRound = each.length < 2 ? "" : "   rounds:" + Arrays.stream(each).mapToObj(x -> String.format(Locale.ROOT, " %.2f", x)).reduce("", String::concat);
      out.printf(Locale.ROOT, "%-55s %8s%s%n", ratio.label(), value, perRound);
    }
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
