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
      "With --control: WebAuthn create and get per second through the control API (HTTP on loopback) next to one CLI process per ceremony.",
      "With --stores: credential store insert, discoverable getAssertion and open at 100, 1,000 and 10,000 credentials:",
      "the journalled file store next to the memory store and a snapshot per write."
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

  @Option(names = "--stores",
      description = "Instead: the credential store benchmark (mean ms per insert, per discoverable getAssertion, per open) for the journalled file store, the memory store and a snapshot per write. Default: the engine figures.")
  boolean stores;

  @Option(names = "--store-sizes", paramLabel = "N", split = ",",
      description = "With --stores: the store sizes measured, comma-separated. Default: 100,1000,10000.")
  List<Integer> storeSizes = new ArrayList<>(List.of(100, 1000, 10000));

  @Option(names = "--store-samples", paramLabel = "N",
      description = "With --stores: inserts and getAssertions timed per store. Default: ${DEFAULT-VALUE}.")
  int storeSamples = 200;

  @Option(names = "--bench-dir", paramLabel = "DIR",
      description = "With --stores: where the file stores are made (the disk to measure); removed afterwards. Default: a new directory under the system temporary directory.")
  java.nio.file.Path benchDir;

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
    if (stores) {
      return runStores();
    }
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

  private int runStores() throws java.io.IOException {
    if (storeSamples < 1 || storeSamples > 100_000) {
      throw new UsageException("--store-samples must be 1..100000, not " + storeSamples);
    }
    if (storeSizes.isEmpty() || storeSizes.stream().anyMatch(n -> n < 1 || n > 1_000_000)) {
      throw new UsageException("--store-sizes must be numbers 1..1000000, e.g. --store-sizes 100,1000");
    }
    java.nio.file.Path base =
        benchDir != null
            ? java.nio.file.Files.createDirectories(benchDir)
            : java.nio.file.Files.createTempDirectory("softkey-store-bench");
    try {
      dev.softkey.core.profile.Profile profile =
          dev.softkey.core.profile.Profiles.load(root.deviceOptions().profileId());
      new StoreBench(base, profile, storeSamples).run(root.out(), storeSizes);
    } finally {
      if (benchDir == null) {
        java.nio.file.Files.deleteIfExists(base);
      }
    }
    return 0;
  }
}
