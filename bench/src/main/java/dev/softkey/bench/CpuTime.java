package dev.softkey.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that adds, for every iteration, operations per second of CPU time the benchmark's
 * JVM used ({@link #LABEL}): the iteration's operations (its rate times its time) over the
 * process's CPU time in that iteration, which counts the benchmark thread, the garbage collector
 * and the compiler, and not the processes that share the machine. On a quiet machine it comes
 * close to the ops/s figure (lower by what GC and JIT threads spend); on a busy one the ops/s
 * figure falls with the time the thread waits for a core, and this one much less. JMH reports the
 * best iteration's figure.
 */
public final class CpuTime implements InternalProfiler {
  /** The secondary result's label, as JMH prints it after the benchmark's name. */
  public static final String LABEL = "·cpu";

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long cpuAtStart;

  @Override
  public String getDescription() {
    return "operations per second of the JVM's CPU time";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = OS.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpuNanos = OS.getProcessCpuTime() - cpuAtStart;
    Result<?> primary = result.getPrimaryResult();
    double seconds = iterationParams.getTime().convertTo(TimeUnit.NANOSECONDS) / 1e9;
    // The primary result of a throughput benchmark in ops/s (the module's unit, @OutputTimeUnit SECONDS).
    double operations = primary.getScore() * seconds;
    double perCpuSecond = cpuNanos > 0 ? operations / (cpuNanos / 1e9) : Double.NaN;
    // The best iteration: one in which the compiler is still at work is charged the compiler's CPU
    // time, which a slow warm-up on a busy machine drags into the measured iterations.
    return List.of(new ScalarResult(LABEL, perCpuSecond, "ops/cpu-s", AggregationPolicy.MAX));
  }
}
