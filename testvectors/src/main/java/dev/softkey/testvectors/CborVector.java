package dev.softkey.testvectors;

import java.util.Objects;
import java.util.Optional;

/**
 * One CBOR encoding and what a strict CTAP2 decoder must do with it.
 *
 * @param name unique name within its file, used by tests to pick a vector
 * @param hex the encoding, lower-case hex
 * @param verdict how a strict CTAP2 decoder treats the encoding
 * @param status for {@link Verdict#REJECT}: the CTAP status constant name (for example {@code
 *     CTAP2_ERR_INVALID_CBOR}); empty otherwise
 * @param diagnostic the RFC 8949 diagnostic notation of the item (as far as it is well-formed)
 * @param why why the verdict holds, when it is not obvious; may be empty
 */
public record CborVector(
    String name,
    String hex,
    Verdict verdict,
    Optional<String> status,
    String diagnostic,
    String why) {

  /** What a strict CTAP2 decoder does with an encoding. */
  public enum Verdict {
    /**
     * CTAP2 canonical CBOR (CTAP 2.1 section 8): accepted, and a canonical encoder writes the same
     * bytes again.
     */
    CANONICAL,
    /**
     * A floating-point value: CTAP2 canonical form leaves float representations as they are, so it
     * is accepted; CTAP messages carry no floats and softkey's encoder writes none.
     */
    FLOAT,
    /** Must be rejected with {@link CborVector#status()}. */
    REJECT
  }

  public CborVector {
    Objects.requireNonNull(name);
    Objects.requireNonNull(verdict);
    Objects.requireNonNull(diagnostic);
    Objects.requireNonNull(why);
    hex = Hex.encode(Hex.decode(hex)); // validates and normalizes
    if ((verdict == Verdict.REJECT) != status.isPresent()) {
      throw new IllegalArgumentException(name + ": a status goes with REJECT and only with it");
    }
  }

  /** A fresh copy of the encoded bytes. */
  public byte[] bytes() {
    return Hex.decode(hex);
  }

  /** Whether a strict CTAP2 decoder accepts the encoding. */
  public boolean accepted() {
    return verdict != Verdict.REJECT;
  }
}
