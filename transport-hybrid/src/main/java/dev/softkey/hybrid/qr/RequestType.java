package dev.softkey.hybrid.qr;

import java.util.Optional;

/**
 * The request-type hint of QR key 5. It only guides the authenticator's UI before the first CTAP
 * message; it does not constrain later commands. Unknown or absent values count as {@link
 * #GET_ASSERTION}, as the spec says.
 */
public enum RequestType {
  GET_ASSERTION("ga"),
  MAKE_CREDENTIAL("mc"),
  /** Digital-credential presentation (Chromium, CTAP 2.3). */
  DIGITAL_CREDENTIAL_PRESENTATION("dcp"),
  /** Digital-credential issuance (CTAP 2.3). */
  DIGITAL_CREDENTIAL_ISSUANCE("dci");

  private final String wire;

  RequestType(String wire) {
    this.wire = wire;
  }

  /** The string in the QR payload. */
  public String wire() {
    return wire;
  }

  /** The type for a key-5 string; unknown strings map to {@link #GET_ASSERTION}. */
  public static RequestType fromWire(String value) {
    return known(value).orElse(GET_ASSERTION);
  }

  /** The type for a key-5 string, empty if unknown. */
  public static Optional<RequestType> known(String value) {
    for (RequestType t : values()) {
      if (t.wire.equals(value)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
