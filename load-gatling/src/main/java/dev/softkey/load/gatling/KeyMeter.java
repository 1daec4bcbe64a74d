package dev.softkey.load.gatling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
  private final LongAdder wallNanos = new LongAdder();

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
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      wallNanos.add(System.nanoTime() - wall0);
      if (cpu) {
        cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
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
    return new Snapshot(keys.sum(), creates.sum(), gets.sum(), failures.sum(), cpuNanos.sum(), wallNanos.sum());
  }

  /** Starts counting again from zero (between runs in one JVM). */
  public void reset() {
    for (LongAdder a : new LongAdder[] {keys, creates, gets, failures, cpuNanos, wallNanos}) {
      a.reset();
    }
  }

  /**
   * Counts: keys built, create and get ceremonies, failures among them, their CPU and wall time in
   * nanoseconds (building the keys included).
   */
  public record Snapshot(long keys, long creates, long gets, long failures, long cpuNanos, long wallNanos) {
    /** The ceremonies run (create and get). */
    public long ceremonies() {
      return creates + gets;
    }

    /** This snapshot minus an earlier one. */
    public Snapshot since(Snapshot earlier) {
      return new Snapshot(
          keys - earlier.keys, creates - earlier.creates, gets - earlier.gets, failures - earlier.failures, cpuNanos - earlier.cpuNanos, wallNanos - earlier.wallNanos);
    }
  }
}
