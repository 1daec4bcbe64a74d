package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.Map;

/** The client's reading of a CTAP2 response: a status byte, then (for CTAP2_OK) a CBOR map or nothing. */
public final class CtapReply {
  private CtapReply() {}

  /**
   * The response body of a CTAP2_OK response (an empty map when there is none). Any other status
   * throws a {@link CtapException} carrying it (CTAP1_ERR_OTHER, naming the byte, for codes {@link
   * CtapStatus} does not know); an empty response is CTAP1_ERR_OTHER.
   */
  public static CborMap body(byte[] response) {
    if (response == null || response.length == 0) {
      throw new CtapException(CtapStatus.CTAP1_ERR_OTHER, "empty response");
    }
    int status = response[0] & 0xFF;
    if (status != CtapStatus.CTAP2_OK.code()) {
      throw CtapStatus.fromCode(status)
          .map(CtapException::new)
          .orElseGet(() -> new CtapException(CtapStatus.CTAP1_ERR_OTHER, "status 0x" + Integer.toHexString(status)));
    }
    if (response.length == 1) {
      return new CborMap(Map.of());
    }
    return CborDecoder.decodeMap(java.util.Arrays.copyOfRange(response, 1, response.length));
  }
}
