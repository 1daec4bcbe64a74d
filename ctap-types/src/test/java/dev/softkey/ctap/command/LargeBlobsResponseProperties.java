package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;

import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LargeBlobsResponse} (CTAP 2.1 section 6.10.2); its one member is optional (a set answers with none). */
class LargeBlobsResponseProperties {
  static final WireSchema SCHEMA = WireSchema.of(opt(0x01, Kind.BYTES));

  static LargeBlobsResponse response(SplittableRandom r) {
    return new LargeBlobsResponse(opt(r, g -> bytes(g)));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(LargeBlobsResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, LargeBlobsResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(LargeBlobsResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, LargeBlobsResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(LargeBlobsResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, LargeBlobsResponse::fromCbor, r));
  }
}
