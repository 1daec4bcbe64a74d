package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.coseKey;
import static dev.softkey.ctap.command.WireArbitraries.integer;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireSchema.opt;

import dev.softkey.ctap.command.WireSchema.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link ClientPinResponse} (CTAP 2.1 section 6.5.5); every member is optional. */
class ClientPinResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(opt(0x01, Kind.MAP), opt(0x02, Kind.BYTES), opt(0x03, Kind.INTEGER), opt(0x04, Kind.BOOLEAN), opt(0x05, Kind.INTEGER));

  @Provide
  static Arbitrary<ClientPinResponse> responses() {
    return Combinators.combine(opt(coseKey()), opt(bytes()), opt(integer()), opt(Arbitraries.of(true, false)), opt(integer()))
        .as(ClientPinResponse::new);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("responses") ClientPinResponse x) {
    WireSchema.assertRoundTrip(x, ClientPinResponse::fromCbor);
  }

  @Property
  void theReplyAPlatformReads_reencodesIdentically(@ForAll("responses") ClientPinResponse x) {
    WireReplies.assertReplyRoundTrip(x, ClientPinResponse::fromCbor);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("responses") ClientPinResponse x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, ClientPinResponse::fromCbor, pick);
  }
}
