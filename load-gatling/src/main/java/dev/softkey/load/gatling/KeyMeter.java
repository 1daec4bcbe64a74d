package dev.softkey.load.gatling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the virtual keys of this JVM cost: how many keys were built and ceremonies run (create and
 * get), how many failed, and the CPU time and wall time they took on the threads that ran them
 * (ThreadMXBean's current-thread CPU time, when the JVM measures it). One per JVM, since a JVM is
 * one injector: {@link #global()}.
 */
public final class KeyMeter {
  private static final KeyMeter GLOBAL = new KeyMeter();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final LongAdder keys = new LongAdder();
  private final LongAdder creates = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder cpuNanos = new LongAdder();
  private final LongAdder keyCpuNanos = new LongAdder();
  private final LongAdder wallNanos = new LongAdder();
  private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);

  /** The meter the {@link Passkeys} steps feed. */
  public static KeyMeter global() {
    return GLOBAL;
  }

  /** What {@link #measure} counts a piece of work as. */
  public enum Work {
    KEY,
    CREATE,
    GET
  }

  /** Runs {@code work} and counts it; a thrown exception counts as a failure and is rethrown. */
  public <T> T measure(Work kind, java.util.function.Supplier<T> work) {
    boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
    long cpu0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
    long wall0 = System.nanoTime();
    firstStart.accumulateAndGet(wall0, Math::min);
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      long end = System.nanoTime();
      lastEnd.accumulateAndGet(end, Math::max);
      wallNanos.add(end - wall0);
      if (cpu) {
        long spent = THREADS.getCurrentThreadCpuTime() - cpu0;
        cpuNanos.add(spent);
        if (kind == Work.KEY) {
          keyCpuNanos.add(spent);
        }
      }
      switch (kind) {
        case KEY -> keys.increment();
        case CREATE -> creates.increment();
        case GET -> gets.increment();
      }
      if (!ok) {
        failures.increment();
      }
    }
  }

  /** The counts so far. */
  public Snapshot snapshot() {
    return new Snapshot(keys.sum(), creates.sum(), gets.sum(), failures.sum(), cpuNanos.sum(), keyCpuNanos.sum(), wallNanos.sum());
  }

  /**
   * The System.nanoTime() span from the start of the first measured work to the end of the last
   * since the last {@link #reset()}, or empty when nothing was measured: the window in which the
   * keys worked, for a rate (ceremonies per second of a run).
   */
  public Optional<Span> span() {
    long a = firstStart.get();
    long b = lastEnd.get();
    return a == Long.MAX_VALUE || b == Long.MIN_VALUE ? Optional.empty() : Optional.of(new Span(a, b));
  }

  /** A window of System.nanoTime() values. */
  public record Span(long startNanos, long endNanos) {
    public double seconds() {
      return (endNanos - startNanos) / 1e9;
    }
  }

  /** Starts counting again from zero (between runs in one JVM). */
  public void reset() {
    for (LongAdder a : new LongAdder[] {keys, creates, gets, failures, cpuNanos, keyCpuNanos, wallNanos}) {
      a.reset();
    }
    firstStart.set(Long.MAX_VALUE);
    lastEnd.set(Long.MIN_VALUE);
  }

  /**
   * Counts: keys built, create and get ceremonies, failures among them, their CPU time in
   * nanoseconds (building the keys included; {@code keyCpuNanos} is the building alone) and their
   * wall time.
   */
  public record Snapshot(long keys, long creates, long gets, long failures, long cpuNanos, long keyCpuNanos, long wallNanos) {
    /** The ceremonies run (create and get). */
    public long ceremonies() {
      return creates + gets;
    }

    /** This snapshot minus an earlier one. */
    public Snapshot since(Snapshot earlier) {
      return new Snapshot(
          keys - earlier.keys,
          creates - earlier.creates,
          gets - earlier.gets,
          failures - earlier.failures,
          cpuNanos - earlier.cpuNanos,
          keyCpuNanos - earlier.keyCpuNanos,
          wallNanos - earlier.wallNanos);
    }
  }
}
