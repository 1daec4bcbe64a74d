package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.text;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;

import dev.softkey.ctap.command.BioEnrollmentResponse.TemplateInfo;
import dev.softkey.ctap.command.WireSchema.Kind;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Provide
  static Arbitrary<BioEnrollmentResponse> responses() {
    Arbitrary<TemplateInfo> info = Combinators.combine(bytes(), opt(text())).as(TemplateInfo::new);
    return Combinators.combine(
            opt(unsigned()), opt(unsigned()), opt(unsigned()), opt(bytes()), opt(unsigned()), opt(unsigned()), info.list().ofMaxSize(4), opt(unsigned()))
        .as(BioEnrollmentResponse::new);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("responses") BioEnrollmentResponse x) {
    WireSchema.assertRoundTrip(x, BioEnrollmentResponse::fromCbor);
  }

  @Property
  void theReplyAPlatformReads_reencodesIdentically(@ForAll("responses") BioEnrollmentResponse x) {
    WireReplies.assertReplyRoundTrip(x, BioEnrollmentResponse::fromCbor);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("responses") BioEnrollmentResponse x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, BioEnrollmentResponse::fromCbor, pick);
  }

  @Property
  void aTemplateInfoWithoutTemplateId_isMissingParameter(@ForAll("responses") BioEnrollmentResponse x, @ForAll int pick) {
    Assume.that(!x.templateInfos().isEmpty());
    WireSchema.assertMissingRejected(SCHEMA, x, BioEnrollmentResponse::fromCbor, pick);
  }
}
