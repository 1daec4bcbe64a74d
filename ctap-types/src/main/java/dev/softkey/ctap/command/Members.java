package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import java.util.List;
import java.util.Optional;

/** Member checks the wire records share, answering the CTAP status codes as {@link dev.softkey.ctap.cbor.CborMap} does. */
final class Members {
  private Members() {}

  /**
   * A member the specification types "Unsigned Integer": a negative integer is CBOR major type 1,
   * not major type 0, so it is the wrong type (CTAP2_ERR_CBOR_UNEXPECTED_TYPE), as {@link
   * ClientPinRequest} answers for permissions. Records call it from their compact constructors, so
   * decoding and building a record check alike.
   */
  static void requireUnsigned(String member, long value) {
    if (value < 0) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, member + " is an unsigned integer");
    }
  }

  static void requireUnsigned(String member, Optional<Long> value) {
    value.ifPresent(v -> requireUnsigned(member, v));
  }

  /** An "Array of Unsigned Integers": each element is checked as {@link #requireUnsigned(String, long)} does. */
  static void requireUnsignedElements(String member, Optional<List<Long>> value) {
    value.ifPresent(l -> l.forEach(v -> requireUnsigned(member, v)));
  }
}
