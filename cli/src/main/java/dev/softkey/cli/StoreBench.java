package dev.softkey.cli;

import dev.softkey.core.Authenticator;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * {@code softkey bench --stores}: what a credential store costs as it fills (issue 14). For each
 * size it builds three stores, prefilled fast (direct puts; one snapshot for a file store), and
 * measures in the same run: insert (a direct {@code put}, mean ms), a discoverable getAssertion
 * through a whole engine on that store (no allowList: the store's look-up by RP ID, the signature,
 * the sign-counter write; mean ms) and open (ms). The stores: {@link MemoryStore} (no durability,
 * the floor), the journalled {@link FileStore}, and the same file store with compactAfterBytes 0,
 * which writes a snapshot per call as the store did before the journal (the baseline). For the
 * journal it also times one compaction and spreads it over the inserts one journal holds, the
 * amortised cost the threshold buys.
 */
final class StoreBench {
  /** Issue 14's targets at 10,000 credentials, in ms. */
  static final double INSERT_TARGET_MS = 2;

  static final double GET_ASSERTION_TARGET_MS = 1;
  static final double OPEN_TARGET_MS = 100;

  private static final String RP_ID = "bench.example";

  /** Opens per store; the median is reported (one open is tens of ms, and a shared host is noisy). */
  private static final int OPENS = 7;

  /** The kinds of store measured. */
  enum Kind {
    MEMORY("memory"),
    JOURNAL("journal"),
    SNAPSHOT_PER_WRITE("snapshot-per-write");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * One row of the table. Figures are mean milliseconds; absent where they do not apply.
   *
   * @param amortisedInsertMs insert plus one compaction's share (journal only)
   */
  record Row(
      int credentials,
      Kind kind,
      double insertMs,
      double getAssertionMs,
      OptionalDouble openMs,
      OptionalDouble compactMs,
      OptionalDouble amortisedInsertMs) {}

  private final Path base;
  private final Profile profile;
  private final int samples;

  /**
   * @param base a directory on the disk to measure; file stores are made (and removed) below it
   * @param profile the engine's model (its sign counter decides the getAssertion write)
   * @param samples inserts and getAssertions timed per store
   */
  StoreBench(Path base, Profile profile, int samples) {
    this.base = base;
    this.profile = profile;
    this.samples = samples;
  }

  /** Measures every size with every kind and prints the table and the targets. */
  List<Row> run(PrintStream out, List<Integer> sizes) {
    out.printf(
        "Store benchmark (issue 14): mean ms per call, %d timed inserts and discoverable getAssertions"
            + " per store, on %s%n",
        samples, base);
    // Warm-up: the same paths at the smallest size, not reported, so the first row is not the JIT's.
    for (Kind k : Kind.values()) {
      measure(Math.min(100, sizes.get(0)), k);
    }
    double floor = fdatasyncFloorMs();
    out.printf(
        "Disk floor, same directory: one %d-byte append + fdatasync (a sign-count record) %.3f ms%n",
        FLOOR_RECORD_BYTES, floor);
    List<Row> rows = new ArrayList<>();
    out.printf(
        "%12s  %-19s %9s %14s %9s %11s %14s%n",
        "credentials", "store", "insert", "getAssertion", "open", "compaction", "insert+share");
    for (int n : sizes) {
      for (Kind k : Kind.values()) {
        Row r = measure(n, k);
        rows.add(r);
        out.printf(
            "%12d  %-19s %9.3f %14.3f %9s %11s %14s%n",
            n,
            k.label,
            r.insertMs(),
            r.getAssertionMs(),
            fmt(r.openMs()),
            fmt(r.compactMs()),
            fmt(r.amortisedInsertMs()));
      }
    }
    out.println(
        "insert+share: the journal's insert plus one compaction spread over the inserts that fill a"
            + " journal (it is compacted when it outgrows max(1 MiB, the snapshot)); open: median of "
            + OPENS
            + ".");
    int largest = sizes.stream().max(Integer::compare).orElseThrow();
    rows.stream()
        .filter(r -> r.credentials() == largest && r.kind() == Kind.JOURNAL)
        .findFirst()
        .ifPresent(r -> printTargets(out, r, floor));
    return rows;
  }

  private static void printTargets(PrintStream out, Row r, double floor) {
    out.printf("Targets at %,d credentials (journal store):%n", r.credentials());
    target(out, "insert", r.amortisedInsertMs().orElse(r.insertMs()), INSERT_TARGET_MS, " (with its compaction share)");
    target(
        out,
        "discoverable getAssertion",
        r.getAssertionMs(),
        GET_ASSERTION_TARGET_MS,
        String.format(
            " (it makes one durable sign-count write; this disk's fdatasync floor is %.3f ms)", floor));
    target(out, "open", r.openMs().orElse(Double.NaN), OPEN_TARGET_MS, "");
  }

  private static final int FLOOR_RECORD_BYTES = 92;

  /** The mean of 200 appends of a record's size, each forced as the journal forces it. */
  private double fdatasyncFloorMs() {
    Path file = base.resolve("fdatasync-floor");
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      byte[] record = new byte[FLOOR_RECORD_BYTES];
      int n = 200;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ch.write(java.nio.ByteBuffer.wrap(record), (long) i * record.length);
        ch.force(false);
      }
      return (System.nanoTime() - t0) / 1e6 / n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(file);
    }
  }

  private static void target(PrintStream out, String what, double ms, double target, String note) {
    out.printf(
        "  %-26s %9.3f ms, target under %.0f ms: %s%s%n",
        what, ms, target, ms < target ? "met" : "MISSED", note);
  }

  private static String fmt(OptionalDouble d) {
    return d.isPresent() ? String.format("%.3f", d.getAsDouble()) : "-";
  }

  private Row measure(int n, Kind kind) {
    Path dir = base.resolve(kind.label + "-" + n);
    FileStore.Options options =
        kind == Kind.SNAPSHOT_PER_WRITE
            ? FileStore.Options.DEFAULT.withCompactAfterBytes(0)
            : FileStore.Options.DEFAULT;
    try {
      Object store = kind == Kind.MEMORY ? new MemoryStore() : FileStore.open(dir, Optional.empty(), options);
      CredentialStore credentials = (CredentialStore) store;
      // The one credential getAssertion finds: made by the engine, so its ID is the engine's.
      CtapDevice engine = engine(credentials, (DeviceStateStore) store);
      Bench.check(engine.process(Bench.request(0x01, makeCredentialParams()), OperationContext.INTERNAL));
      List<StoredCredential> prefill = new ArrayList<>(n - 1);
      for (int i = 1; i < n; i++) {
        prefill.add(credential(i));
      }
      if (store instanceof FileStore f) {
        f.putAll(prefill);
      } else {
        prefill.forEach(credentials::put);
      }
      long journalBefore = journalSize(store);
      long t0 = System.nanoTime();
      for (int i = 0; i < samples; i++) {
        credentials.put(credential(n + i));
      }
      double insertMs = (System.nanoTime() - t0) / 1e6 / samples;
      double recordBytes = (journalSize(store) - journalBefore) / (double) samples;
      byte[] ga = Bench.request(0x02, Map.of(1L, RP_ID, 2L, new byte[32]));
      t0 = System.nanoTime();
      for (int i = 0; i < samples; i++) {
        Bench.check(engine.process(ga, OperationContext.INTERNAL));
      }
      double getAssertionMs = (System.nanoTime() - t0) / 1e6 / samples;
      OptionalDouble compactMs = OptionalDouble.empty();
      OptionalDouble amortised = OptionalDouble.empty();
      OptionalDouble openMs = OptionalDouble.empty();
      if (store instanceof FileStore f) {
        if (kind == Kind.JOURNAL) {
          long snapshotBytes = Files.size(f.stateFile());
          t0 = System.nanoTime();
          f.compact();
          double c = (System.nanoTime() - t0) / 1e6;
          compactMs = OptionalDouble.of(c);
          // a journal is compacted when it outgrows max(threshold, snapshot): that many record bytes
          double insertsPerCompaction =
              Math.max(options.compactAfterBytes(), snapshotBytes) / recordBytes;
          amortised = OptionalDouble.of(insertMs + c / insertsPerCompaction);
          f.put(credential(n + samples)); // a few records for the open to replay
        }
        f.close();
        double[] opens = new double[OPENS];
        for (int i = 0; i < OPENS; i++) {
          t0 = System.nanoTime();
          FileStore again = FileStore.open(dir, Optional.empty(), options);
          opens[i] = (System.nanoTime() - t0) / 1e6;
          if (again.count() < n) {
            throw new IllegalStateException("the reopened store lost credentials");
          }
          again.close();
        }
        java.util.Arrays.sort(opens);
        openMs = OptionalDouble.of(opens[OPENS / 2]);
      }
      return new Row(n, kind, insertMs, getAssertionMs, openMs, compactMs, amortised);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(dir);
    }
  }

  private CtapDevice engine(CredentialStore credentials, DeviceStateStore state) {
    return Authenticator.builder()
        .profile(profile)
        .presence(Presence.approve())
        .credentialStore(credentials)
        .stateStore(state)
        .build();
  }

  private static long journalSize(Object store) throws IOException {
    return store instanceof FileStore f && Files.exists(f.journalFile()) ? Files.size(f.journalFile()) : 0;
  }

  /** A filler credential of its own RP, about the size of a real one. */
  static StoredCredential credential(int i) {
    byte[] id = ByteBuffer.allocate(64).putInt(0x5B0E5C4E).putInt(i).array();
    byte[] key = new byte[32];
    ByteBuffer.wrap(key).putInt(i);
    return new StoredCredential(
        Bytes.wrap(id),
        "rp" + i + ".example",
        Optional.of("RP " + i),
        Bytes.wrap(ByteBuffer.allocate(16).putLong(i).array()),
        Optional.of("user" + i + "@rp" + i + ".example"),
        Optional.of("User " + i),
        CoseAlgorithm.ES256,
        Bytes.wrap(key),
        0,
        false,
        false,
        1_700_000_000_000L + i,
        Map.of());
  }

  private static Map<Object, Object> makeCredentialParams() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, new byte[32]);
    m.put(2L, Map.of("id", RP_ID));
    m.put(3L, Map.of("id", new byte[] {1}, "name", "bench"));
    m.put(4L, List.of(Map.of("alg", (long) CoseAlgorithm.ES256.id(), "type", "public-key")));
    m.put(7L, Map.of("rk", true));
    return m;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover benchmark directory is harmless
    }
  }
}
