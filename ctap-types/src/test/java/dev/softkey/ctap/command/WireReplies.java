package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.function.Function;

/** A response record the way it travels: the authenticator's CTAP2_OK reply, read back by {@link CtapReply}. */
final class WireReplies {
  private WireReplies() {}

  /**
   * The reply is the status byte then the encoding (or the status byte alone for no members, as
   * the dispatcher sends an empty map); {@link CtapReply#body} gives the members back, fromCbor the
   * record, and its encoding is byte for byte the one sent, as python-fido2's strict check demands.
   */
  static <T extends CborEncodable> void assertReplyRoundTrip(T x, Function<CborMap, T> fromCbor) {
    byte[] members = CborEncoder.encode(x.toCbor());
    boolean empty = ((java.util.Map<?, ?>) x.toCbor()).isEmpty();
    byte[] reply = new byte[empty ? 1 : members.length + 1];
    reply[0] = (byte) CtapStatus.CTAP2_OK.code();
    if (!empty) {
      System.arraycopy(members, 0, reply, 1, members.length);
    }
    T read = fromCbor.apply(CtapReply.body(reply));
    assertThat(read).isEqualTo(x);
    assertThat(CborEncoder.encode(read.toCbor())).isEqualTo(members);
  }
}
