package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;

import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ClientPinResponse} (CTAP 2.1 section 6.5.5); every member is optional, pinRetries and uvRetries are unsigned. */
class ClientPinResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(opt(0x01, Kind.MAP), opt(0x02, Kind.BYTES), opt(0x03, Kind.UNSIGNED), opt(0x04, Kind.BOOLEAN), opt(0x05, Kind.UNSIGNED));

  static ClientPinResponse response(SplittableRandom r) {
    return new ClientPinResponse(
        opt(r, WireGenerators::coseKey), opt(r, g -> bytes(g)), opt(r, WireGenerators::unsigned), opt(r, WireGenerators::bool), opt(r, WireGenerators::unsigned));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(ClientPinResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, ClientPinResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(ClientPinResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, ClientPinResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(ClientPinResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, ClientPinResponse::fromCbor, r));
  }
}
