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
      "Measure makeCredential and getAssertion per second next to the raw signature rate,",
      "and ES256 makeCredential (packed, none) next to key generation (+ signature).",
      "Then getAssertion over CTAPHID on UDP loopback and hybrid QR-to-assertion latency; in-memory keys.",
      "With --control: WebAuthn create and get per second through the control API (HTTP on loopback) next to one CLI process per ceremony."
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

  @Option(names = "--control",
      description = "Instead: ceremonies per second through the control API (an in-process server, real loopback HTTP) next to one 'softkey webauthn' process per ceremony. Default: the engine figures.")
  boolean control;

  @Option(names = "--processes", paramLabel = "N",
      description = "With --control: how many CLI processes per ceremony kind (each starts a JVM). Default: ${DEFAULT-VALUE}.")
  int processes = 5;

  BenchCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || rounds < 1) {
      throw new UsageException("--seconds must be positive and --rounds at least 1 (e.g. --seconds 0.5 --rounds 1 for a quick run)");
    }
    Duration round = Duration.ofMillis((long) (seconds * 1000));
    if (control) {
      if (processes < 1 || processes > 50) {
        throw new UsageException("--processes must be 1..50, not " + processes);
      }
      new ControlBench(round.dividedBy(2), round, rounds, processes).run(root.out());
      return 0;
    }
    DeviceFactory.DeviceOptions o = root.deviceOptions().inMemory();
    List<AutoCloseable> opened = new ArrayList<>();
    Supplier<DeviceFactory.Device> devices =
        () -> {
          DeviceFactory.Device d = root.openDevice(o);
          opened.add(d);
          return d;
        };
    try {
      new Bench(devices, round.dividedBy(2), round, rounds).run(root.out());
      dev.softkey.core.profile.Profile profile = dev.softkey.core.profile.Profiles.load(o.profileId());
      new Bench(devices, round.dividedBy(2), round, rounds)
          .runMakeCredential(
              root.out(),
              format -> {
                DeviceFactory.Device d =
                    root.openDevice(o, b -> b.profile(profile.toBuilder().attestation(format).build()), engine -> engine);
                opened.add(d);
                return d;
              });
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
