package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.list;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.command.BioEnrollmentResponse.TemplateInfo;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link BioEnrollmentResponse} (CTAP 2.1 section 6.7.1); only a templateInfo has a required member. */
class BioEnrollmentResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.UNSIGNED),
          opt(0x03, Kind.UNSIGNED),
          opt(0x04, Kind.BYTES),
          opt(0x05, Kind.UNSIGNED),
          opt(0x06, Kind.UNSIGNED),
          opt(0x07, Kind.MAP_ARRAY, WireSchema.of(req(0x01, Kind.BYTES), opt(0x02, Kind.TEXT))),
          opt(0x08, Kind.UNSIGNED));

  static BioEnrollmentResponse response(SplittableRandom r) {
    return new BioEnrollmentResponse(
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::unsigned),
        opt(r, g -> bytes(g)),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::unsigned),
        list(r, 4, g -> new TemplateInfo(bytes(g), opt(g, WireGenerators::text))),
        opt(r, WireGenerators::unsigned));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(BioEnrollmentResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, BioEnrollmentResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(BioEnrollmentResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, BioEnrollmentResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(BioEnrollmentResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, BioEnrollmentResponse::fromCbor, r));
  }

  @Test
  void aTemplateInfoWithoutTemplateId_isMissingParameter() {
    WireCases.forAll(
        BioEnrollmentResponseProperties::response,
        x -> !x.templateInfos().isEmpty(),
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, BioEnrollmentResponse::fromCbor)).isEqualTo(x.templateInfos().size()));
  }
}
