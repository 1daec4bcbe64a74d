package dev.softkey.core.store;

/**
 * Argon2id cost parameters (RFC 9106) for deriving a file store's key from its passphrase. They are
 * chosen when an encrypted store is created and written into its header, so a store always opens
 * with the parameters it was made with.
 *
 * @param memoryKib memory in KiB (m), at least {@code 8 * parallelism}
 * @param iterations passes over memory (t)
 * @param parallelism lanes (p)
 */
public record KdfParameters(int memoryKib, int iterations, int parallelism) {
  /**
   * 64 MiB, 3 passes, 1 lane: RFC 9106 section 4's second recommended option (64 MiB, t=3) with a
   * single lane, because Bouncy Castle's Argon2 computes lanes on one thread anyway. Measured with
   * Bouncy Castle 1.83 on the 2-core build machine: about 0.5 s warm and 0.9 s in a fresh JVM (the
   * CLI's case), once per {@code open}.
   */
  public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);

  /** Deliberately weak (1 MiB, 1 pass), for tests that open many stores. Never for real data. */
  public static final KdfParameters FAST_INSECURE_FOR_TESTS = new KdfParameters(1024, 1, 1);

  /**
   * Upper bound accepted from a header, so a crafted file cannot make {@code open} allocate GiBs.
   */
  static final int MAX_MEMORY_KIB = 1024 * 1024;

  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  public KdfParameters {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS);
    }
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "Argon2 memory must be 8*parallelism.." + MAX_MEMORY_KIB + " KiB");
    }
  }
}
