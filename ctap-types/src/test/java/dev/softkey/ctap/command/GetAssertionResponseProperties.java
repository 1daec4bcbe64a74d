package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GetAssertionResponse} (CTAP 2.1 sections 6.2.2 and 6.3; unsignedExtensionOutputs from
 * CTAP 2.2). numberOfCredentials is typed "Integer" there, so only its CBOR major type is checked.
 */
class GetAssertionResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.MAP, WireSchema.DESCRIPTOR),
          req(0x02, Kind.BYTES),
          req(0x03, Kind.BYTES),
          opt(0x04, Kind.MAP, WireSchema.USER_ENTITY),
          opt(0x05, Kind.INTEGER),
          opt(0x06, Kind.BOOLEAN),
          opt(0x07, Kind.BYTES),
          opt(0x08, Kind.MAP));

  static GetAssertionResponse response(SplittableRandom r) {
    return new GetAssertionResponse(
        opt(r, WireGenerators::descriptor),
        bytes(r, 37, 200),
        bytes(r, 8, 80),
        opt(r, WireGenerators::userEntity),
        opt(r, g -> g.nextBoolean() ? g.nextLong(1, 10) : WireGenerators.unsigned(g)),
        opt(r, WireGenerators::bool),
        opt(r, g -> bytes(g, 32)),
        opt(r, WireGenerators::extensions));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(GetAssertionResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, GetAssertionResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(GetAssertionResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, GetAssertionResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(GetAssertionResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, GetAssertionResponse::fromCbor, r));
  }

  /** authData and signature, the credential's type and id, and the user's id. */
  @Test
  void aMissingRequiredMember_isMissingParameter() {
    WireCases.forAll(
        GetAssertionResponseProperties::response,
        (x, r) ->
            assertThat(WireSchema.assertMissingRejected(SCHEMA, x, GetAssertionResponse::fromCbor))
                .isEqualTo(2 + (x.credential().isPresent() ? 2 : 0) + (x.user().isPresent() ? 1 : 0)));
  }
}
