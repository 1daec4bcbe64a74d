package dev.softkey.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs softkey's benchmarks in one JMH run and prints each one's rate next to its baseline: the
 * engine over raw signing and key generation, softkey's WebAuthn client over webauthn4j-test's.
 *
 * <p>Arguments are JMH's own ({@code -f}, {@code -wi}, {@code -w}, {@code -i}, {@code -r}, a
 * benchmark regular expression, {@code -h} for the list); what they leave out takes the modest
 * defaults the benchmark classes declare (one fork; 3 measured iterations of 1 s after 3 of
 * warm-up, 5 for the clients), and every benchmark of this module runs.
 */
public final class Ratios {
  static final String ALL = "dev\\.softkey\\.bench\\..*";

  private static final String RAW = RawSigning.class.getName() + ".";
  private static final String ENGINE = Engine.class.getName() + ".";
  private static final String CLIENTS = Clients.class.getName() + ".";

  /** A figure and the baseline it is divided by. */
  record Ratio(String label, String numerator, String denominator) {}

  /** Every ratio the run prints, in order. */
  static final List<Ratio> RATIOS =
      List.of(
          new Ratio("engine getAssertion ES256 / raw ES256 sign", ENGINE + "getAssertion", RAW + "es256Sign"),
          new Ratio("engine getAssertion EdDSA / raw Ed25519 sign", ENGINE + "getAssertionEd25519", RAW + "ed25519Sign"),
          new Ratio("engine makeCredential packed / (P-256 keygen + sign)", ENGINE + "makeCredentialPacked", RAW + "p256KeyGenAndSign"),
          new Ratio("engine makeCredential none / P-256 keygen", ENGINE + "makeCredentialNone", RAW + "p256KeyGen"),
          new Ratio("softkey client create / webauthn4j-test create", CLIENTS + "softkeyCreate", CLIENTS + "webauthn4jCreate"),
          new Ratio("softkey client get / webauthn4j-test get", CLIENTS + "softkeyGet", CLIENTS + "webauthn4jGet"));

  /** One benchmark's rate: the mean of its iterations and JMH's 99.9% error margin, in ops/s. */
  record Rate(double opsPerSec, double error) {}

  private Ratios() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the benchmarks {@code args} select and prints the table; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      err.println("jmh: " + e.getMessage() + " (run with -h for the options)");
      return 2;
    }
    if (cmd.shouldHelp()) {
      out.println("Usage: scripts/jmh.sh [JMH options] [benchmark regexp]");
      out.printf(
          "Runs softkey's JMH benchmarks and prints ops/s with the ratios to their baselines.%n"
              + "Defaults: -f 1 -wi 3 -w 1s -i 3 -r 1s (-wi 5 for Clients), every benchmark of dev.softkey.bench.%n%n");
      try {
        cmd.showHelp();
      } catch (java.io.IOException e) {
        err.println("jmh: cannot print JMH's help: " + e.getMessage());
      }
      return 0;
    }
    try {
      Map<String, Rate> rates = rates(new Runner(options(cmd)).run());
      print(rates, out);
      return 0;
    } catch (RunnerException e) {
      err.println("jmh: the run failed: " + e.getMessage() + " (see JMH's output above)");
      return 1;
    }
  }

  /**
   * The command line's options; without a benchmark expression, every benchmark of this module.
   * Iterations, times and forks the command line leaves out come from the classes' annotations.
   */
  static org.openjdk.jmh.runner.options.Options options(CommandLineOptions cmd) {
    ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
    if (cmd.getIncludes().isEmpty()) {
      b.include(ALL);
    }
    return b.build();
  }

  static Map<String, Rate> rates(Collection<RunResult> results) {
    Map<String, Rate> rates = new LinkedHashMap<>();
    for (RunResult r : results) {
      Result<?> primary = r.getPrimaryResult();
      rates.put(r.getParams().getBenchmark(), new Rate(primary.getScore(), primary.getScoreError()));
    }
    return rates;
  }

  /** The table of rates (benchmark names without the package), then every ratio; n/a where a side did not run. */
  static void print(Map<String, Rate> rates, PrintStream out) {
    out.printf(Locale.ROOT, "%nsoftkey JMH (JDK %s, %d processor(s))%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    out.printf(Locale.ROOT, "%-40s %14s %12s%n", "benchmark", "ops/s", "± (99.9%)");
    String prefix = Ratios.class.getPackageName() + ".";
    for (Map.Entry<String, Rate> e : rates.entrySet()) {
      String name = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
      double error = e.getValue().error();
      // JMH gives no error margin for a single iteration.
      String margin = Double.isNaN(error) ? "-" : String.format(Locale.ROOT, "%.0f", error);
      out.printf(Locale.ROOT, "%-40s %14.0f %12s%n", name, e.getValue().opsPerSec(), margin);
    }
    out.printf(Locale.ROOT, "%n%-55s %8s%n", "ratio", "x");
    for (Ratio ratio : RATIOS) {
      Rate n = rates.get(ratio.numerator());
      Rate d = rates.get(ratio.denominator());
      String value = n == null || d == null || !(d.opsPerSec() > 0) ? "n/a (not run)" : String.format(Locale.ROOT, "%.2f x", n.opsPerSec() / d.opsPerSec());
      out.printf(Locale.ROOT, "%-55s %8s%n", ratio.label(), value);
    }
  }
}
