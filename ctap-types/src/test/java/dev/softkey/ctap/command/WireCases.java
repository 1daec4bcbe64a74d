package dev.softkey.ctap.command;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a property of a wire record over {@value #COUNT} records drawn from the seeded generators of
 * {@link WireGenerators}, in a plain JUnit 5 test. Case {@code i} is drawn from a {@link
 * SplittableRandom} seeded with the {@code i}-th long of {@code new SplittableRandom(seed)}, so the
 * same records come every run; a failing case names its seed and the record, and
 * {@code -Dwire.case=<hex seed>} (with {@code -Dtest=Class#method}) runs that one case again.
 * {@code -Dwire.cases=N} draws more cases, {@code -Dwire.seed=<hex>} another sequence, to look
 * further than the build does.
 */
final class WireCases {
  private WireCases() {}

  /** The seed every property starts from unless {@code -Dwire.seed} says otherwise. */
  static final long SEED = 0x50F7_CE75_EED5L;

  /** Cases a property runs in the build: enough to reach each member's types and boundaries, fast enough to run every time. */
  static final int COUNT = 200;

  /** A property of one generated value; {@code r} continues the case's stream, for the choices the check makes. */
  @FunctionalInterface
  interface Property<T> {
    void check(T x, SplittableRandom r) throws Exception;
  }

  /** Runs {@code property} on {@link #COUNT} values of {@code generator}. */
  static <T> void forAll(Function<SplittableRandom, T> generator, Property<T> property) {
    forAll(generator, x -> true, property);
  }

  /**
   * Runs {@code property} on the values of {@code generator} that satisfy {@code where}, and fails
   * when fewer than a tenth of the cases do: a property that checks almost nothing says so.
   */
  static <T> void forAll(Function<SplittableRandom, T> generator, Predicate<T> where, Property<T> property) {
    String replay = System.getProperty("wire.case");
    if (replay != null) {
      run("replayed case", Long.parseUnsignedLong(strip(replay), 16), generator, where, property);
      return;
    }
    String seedProperty = System.getProperty("wire.seed");
    long seed = seedProperty == null ? SEED : Long.parseUnsignedLong(strip(seedProperty), 16);
    int count = Integer.getInteger("wire.cases", COUNT);
    SplittableRandom seeds = new SplittableRandom(seed);
    int checked = 0;
    for (int i = 0; i < count; i++) {
      if (run("case " + i + " of seed " + Long.toHexString(seed), seeds.nextLong(), generator, where, property)) {
        checked++;
      }
    }
    if (checked * 10 < count) {
      throw new AssertionError("only " + checked + " of " + count + " cases of seed " + Long.toHexString(seed) + " met the condition");
    }
  }

  private static <T> boolean run(
      String name, long caseSeed, Function<SplittableRandom, T> generator, Predicate<T> where, Property<T> property) {
    SplittableRandom r = new SplittableRandom(caseSeed);
    T x = null;
    try {
      x = generator.apply(r);
      if (!where.test(x)) {
        return false;
      }
      property.check(x, r);
      return true;
    } catch (Exception | AssertionError e) {
      String seed = Long.toHexString(caseSeed);
      throw new AssertionError(
          name + " (case seed " + seed + ", rerun with -Dwire.case=" + seed + ") failed for " + x + ": " + e.getMessage(),
          e);
    }
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
  }
}
