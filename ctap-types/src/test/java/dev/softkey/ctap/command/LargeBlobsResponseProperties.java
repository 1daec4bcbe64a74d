package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireSchema.opt;

import dev.softkey.ctap.command.WireSchema.Kind;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link LargeBlobsResponse} (CTAP 2.1 section 6.10.2); its one member is optional (a set answers with none). */
class LargeBlobsResponseProperties {
  static final WireSchema SCHEMA = WireSchema.of(opt(0x01, Kind.BYTES));

  @Provide
  static Arbitrary<LargeBlobsResponse> responses() {
    return opt(bytes()).map(LargeBlobsResponse::new);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("responses") LargeBlobsResponse x) {
    WireSchema.assertRoundTrip(x, LargeBlobsResponse::fromCbor);
  }

  @Property
  void theReplyAPlatformReads_reencodesIdentically(@ForAll("responses") LargeBlobsResponse x) {
    WireReplies.assertReplyRoundTrip(x, LargeBlobsResponse::fromCbor);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("responses") LargeBlobsResponse x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, LargeBlobsResponse::fromCbor, pick);
  }
}
