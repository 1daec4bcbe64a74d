package dev.softkey.load.gatling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Samples this process's CPU time and every thread's, every 20 ms, on a thread of its own, so that
 * the CPU of a time window can be split between the relying party's threads and the injector's
 * (Gatling, the virtual keys). A thread that ended keeps its last sampled time, so at most one
 * period of its work is lost.
 */
final class CpuSampler implements AutoCloseable {
  /** One sample: when, the process's CPU, and each thread's (by id: name and CPU nanoseconds). */
  record Sample(long nanoTime, long processCpuNanos, Map<Long, String> names, Map<Long, Long> cpu) {
    /** CPU nanoseconds of the threads whose name passes {@code which}. */
    long threads(Predicate<String> which) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : cpu.entrySet()) {
        if (which.test(names.get(e.getKey()))) {
          sum += e.getValue();
        }
      }
      return sum;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final List<Sample> samples = new ArrayList<>();
  private final Map<Long, String> names = new HashMap<>();
  private final Map<Long, Long> cpu = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  CpuSampler() {
    if (!THREADS.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM does not measure thread CPU time");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    sample();
    thread = new Thread(this::loop, "cpu-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  private synchronized void sample() {
    long[] ids = THREADS.getAllThreadIds();
    for (ThreadInfo info : THREADS.getThreadInfo(ids)) {
      if (info == null) {
        continue;
      }
      long t = THREADS.getThreadCpuTime(info.getThreadId());
      if (t >= 0) {
        names.put(info.getThreadId(), info.getThreadName());
        cpu.put(info.getThreadId(), t);
      }
    }
    samples.add(new Sample(System.nanoTime(), OS.getProcessCpuTime(), Map.copyOf(names), Map.copyOf(cpu)));
  }

  /** The last sample at or before {@code nanoTime} (the first if none is). */
  synchronized Sample atOrBefore(long nanoTime) {
    Sample found = samples.get(0);
    for (Sample s : samples) {
      if (s.nanoTime() <= nanoTime) {
        found = s;
      }
    }
    return found;
  }

  /** The first sample at or after {@code nanoTime}, taking one now if none is yet. */
  synchronized Sample atOrAfter(long nanoTime) {
    for (Sample s : samples) {
      if (s.nanoTime() >= nanoTime) {
        return s;
      }
    }
    sample();
    return samples.get(samples.size() - 1);
  }

  /**
   * CPU nanoseconds between two samples by thread name, digits folded into {@code #} ({@code
   * softkey-rp-#}), largest first in the map's iteration order is not promised: a sorted map by name.
   */
  static Map<String, Long> byName(Sample from, Sample to) {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<Long, Long> e : to.cpu().entrySet()) {
      long before = from.cpu().getOrDefault(e.getKey(), 0L);
      out.merge(to.names().get(e.getKey()).replaceAll("[0-9]+", "#"), e.getValue() - before, Long::sum);
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
  }
}
