package dev.softkey.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey bench}: the engine's speed next to the raw signature rate (see {@link Bench}). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure makeCredential and getAssertion per second next to the raw signature rate.",
      "Then getAssertion over CTAPHID on UDP loopback and hybrid QR-to-assertion latency; in-memory keys."
    })
final class BenchCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--seconds", paramLabel = "S", description = "Measured seconds per round (warm-up: half of it). Default: ${DEFAULT-VALUE}.")
  double seconds = 2;

  @Option(names = "--rounds", paramLabel = "N", description = "Rounds per figure; the best is reported. Default: ${DEFAULT-VALUE}.")
  int rounds = 3;

  @Option(names = "--no-udp", description = "Skip CTAPHID over UDP loopback. Default: measured.")
  boolean noUdp;

  @Option(names = "--no-hybrid", description = "Skip hybrid QR-to-assertion over loopback. Default: measured.")
  boolean noHybrid;

  BenchCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || rounds < 1) {
      throw new UsageException("--seconds must be positive and --rounds at least 1 (e.g. --seconds 0.5 --rounds 1 for a quick run)");
    }
    DeviceFactory.DeviceOptions o = root.deviceOptions().inMemory();
    Duration round = Duration.ofMillis((long) (seconds * 1000));
    List<AutoCloseable> opened = new ArrayList<>();
    Supplier<DeviceFactory.Device> devices =
        () -> {
          DeviceFactory.Device d = root.openDevice(o);
          opened.add(d);
          return d;
        };
    try {
      new Bench(devices, round.dividedBy(2), round, rounds).run(root.out());
      if (!noUdp) {
        new Bench(devices, round.dividedBy(2), round, rounds).runUdp(root.out());
      }
      if (!noHybrid) {
        new Bench(devices, round.dividedBy(2), round, rounds).runHybrid(root.out(), 50);
      }
    } finally {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception e) {
          // memory stores: nothing to release
        }
      }
    }
    return 0;
  }
}
