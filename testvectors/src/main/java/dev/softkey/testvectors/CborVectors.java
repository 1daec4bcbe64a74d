package dev.softkey.testvectors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * CBOR vector sets. Each file row is {@code name, hex, verdict, diagnostic[, why]} separated by
 * tabs, where verdict is {@code canonical}, {@code float} or {@code reject:STATUS}.
 *
 * @param source the file's provenance
 * @param vectors the vectors in file order
 */
public record CborVectors(String source, List<CborVector> vectors) {
  public CborVectors {
    vectors = List.copyOf(vectors);
  }

  /** RFC 8949 Appendix A "Examples of Encoded CBOR Data Items", each with its CTAP2 verdict. */
  public static CborVectors rfc8949AppendixA() {
    return load("cbor/rfc8949-appendix-a.tsv");
  }

  /**
   * Encodings written for the CTAP 2.1 section 8 rules (canonical key order, minimal heads,
   * nesting, well-formedness) that Appendix A does not cover.
   */
  public static CborVectors ctap2Canonical() {
    return load("cbor/ctap2-canonical.tsv");
  }

  /** Loads a CBOR vector file by resource name. */
  public static CborVectors load(String name) {
    VectorTable table = VectorTable.load(name);
    List<CborVector> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (List<String> row : table.rows()) {
      if (row.size() < 4 || row.size() > 5) {
        throw new IllegalArgumentException(name + ": expected 4 or 5 columns in " + row);
      }
      String verdictText = row.get(2).trim();
      CborVector.Verdict verdict;
      Optional<String> status = Optional.empty();
      if (verdictText.equals("canonical")) {
        verdict = CborVector.Verdict.CANONICAL;
      } else if (verdictText.equals("float")) {
        verdict = CborVector.Verdict.FLOAT;
      } else if (verdictText.startsWith("reject:")) {
        verdict = CborVector.Verdict.REJECT;
        status = Optional.of(verdictText.substring("reject:".length()));
      } else {
        throw new IllegalArgumentException(name + ": unknown verdict " + verdictText);
      }
      CborVector v =
          new CborVector(
              row.get(0).trim(),
              row.get(1).trim(),
              verdict,
              status,
              row.get(3).trim(),
              row.size() == 5 ? row.get(4).trim() : "");
      if (!names.add(v.name())) {
        throw new IllegalArgumentException(name + ": duplicate vector name " + v.name());
      }
      out.add(v);
    }
    return new CborVectors(table.source(), out);
  }

  /** The vector called {@code name}; throws if there is none. */
  public CborVector byName(String name) {
    return vectors.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no CBOR vector named " + name));
  }

  public List<CborVector> where(Predicate<CborVector> p) {
    return vectors.stream().filter(p).toList();
  }

  public List<CborVector> withVerdict(CborVector.Verdict verdict) {
    return where(v -> v.verdict() == verdict);
  }
}
