package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.coseKey;
import static dev.softkey.ctap.command.WireArbitraries.descriptor;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.rpEntity;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireArbitraries.userEntity;
import static dev.softkey.ctap.command.WireSchema.opt;

import dev.softkey.ctap.command.WireSchema.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link CredentialManagementResponse} (CTAP 2.1 section 6.8.1). */
class CredentialManagementResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.UNSIGNED),
          opt(0x03, Kind.MAP, WireSchema.RP_ENTITY),
          opt(0x04, Kind.BYTES),
          opt(0x05, Kind.UNSIGNED),
          opt(0x06, Kind.MAP, WireSchema.USER_ENTITY),
          opt(0x07, Kind.MAP, WireSchema.DESCRIPTOR),
          opt(0x08, Kind.MAP),
          opt(0x09, Kind.UNSIGNED),
          opt(0x0A, Kind.UNSIGNED),
          opt(0x0B, Kind.BYTES),
          opt(0x0C, Kind.BOOLEAN));

  @Provide
  static Arbitrary<CredentialManagementResponse> responses() {
    var first = Combinators.combine(opt(unsigned()), opt(unsigned()), opt(rpEntity()), opt(bytes()), opt(unsigned()), opt(userEntity())).as(net.jqwik.api.Tuple::of);
    var second =
        Combinators.combine(opt(descriptor()), opt(coseKey()), opt(unsigned()), opt(unsigned()), opt(bytes()), opt(Arbitraries.of(true, false)))
            .as(net.jqwik.api.Tuple::of);
    return Combinators.combine(first, second)
        .as((a, b) -> new CredentialManagementResponse(a.get1(), a.get2(), a.get3(), a.get4(), a.get5(), a.get6(), b.get1(), b.get2(), b.get3(), b.get4(), b.get5(), b.get6()));
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("responses") CredentialManagementResponse x) {
    WireSchema.assertRoundTrip(x, CredentialManagementResponse::fromCbor);
  }

  @Property
  void theReplyAPlatformReads_reencodesIdentically(@ForAll("responses") CredentialManagementResponse x) {
    WireReplies.assertReplyRoundTrip(x, CredentialManagementResponse::fromCbor);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("responses") CredentialManagementResponse x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, CredentialManagementResponse::fromCbor, pick);
  }

  @Property
  void aMissingRequiredMemberOfAnEntity_isMissingParameter(@ForAll("responses") CredentialManagementResponse x, @ForAll int pick) {
    Assume.that(x.rp().isPresent() || x.user().isPresent() || x.credentialId().isPresent());
    WireSchema.assertMissingRejected(SCHEMA, x, CredentialManagementResponse::fromCbor, pick);
  }
}
