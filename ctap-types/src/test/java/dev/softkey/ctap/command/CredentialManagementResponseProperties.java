package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  static CredentialManagementResponse response(SplittableRandom r) {
    return new CredentialManagementResponse(
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::rpEntity),
        opt(r, g -> bytes(g)),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::anyUserEntity),
        opt(r, WireGenerators::descriptor),
        opt(r, WireGenerators::coseKey),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::unsigned),
        opt(r, g -> bytes(g)),
        opt(r, WireGenerators::bool));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(CredentialManagementResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, CredentialManagementResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(CredentialManagementResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, CredentialManagementResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(
        CredentialManagementResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, CredentialManagementResponse::fromCbor, r));
  }

  @Test
  void aMissingRequiredMemberOfAnEntity_isMissingParameter() {
    WireCases.forAll(
        CredentialManagementResponseProperties::response,
        x -> x.rp().isPresent() || x.user().isPresent() || x.credentialId().isPresent(),
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, CredentialManagementResponse::fromCbor)).isPositive());
  }
}
