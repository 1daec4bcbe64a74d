package dev.softkey.testvectors;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Vector files of the hybrid transport (caBLE v2) under {@code hybrid/}, collected from Chromium,
 * webauthn-rs and libwebauthn; each file names its sources in its header. Rows are handed out as
 * column lists keyed by their first column (the vector name or, for tunnel domains, the id).
 */
public final class HybridVectors {
  /** Every hybrid vector file, for provenance checks. */
  public static final List<String> FILES =
      List.of(
          "hybrid/digits.tsv",
          "hybrid/qr-known-chromium.tsv",
          "hybrid/qr-urls.tsv",
          "hybrid/tunnel-domains.tsv",
          "hybrid/kdf.tsv",
          "hybrid/eid-adverts.tsv",
          "hybrid/eid-plaintexts.tsv",
          "hybrid/crypter.tsv",
          "hybrid/post-handshake.tsv");

  private HybridVectors() {}

  /** Loads {@code hybrid/<file>}. */
  public static VectorTable table(String file) {
    return VectorTable.load("hybrid/" + file);
  }

  /** The rows of {@code hybrid/<file>} by their first column; duplicate names are an error. */
  public static Map<String, List<String>> rowsByName(String file) {
    return table(file).rows().stream()
        .collect(
            Collectors.toMap(
                r -> r.get(0),
                r -> r,
                (a, b) -> {
                  throw new IllegalArgumentException(file + ": duplicate vector " + a.get(0));
                },
                java.util.LinkedHashMap::new));
  }
}
