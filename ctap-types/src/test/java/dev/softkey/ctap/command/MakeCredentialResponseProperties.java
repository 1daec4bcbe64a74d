package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link MakeCredentialResponse} (CTAP 2.1 section 6.1.2; unsignedExtensionOutputs from CTAP 2.2). */
class MakeCredentialResponseProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          req(0x01, Kind.TEXT), req(0x02, Kind.BYTES), req(0x03, Kind.MAP), opt(0x04, Kind.BOOLEAN), opt(0x05, Kind.BYTES), opt(0x06, Kind.MAP));

  static MakeCredentialResponse response(SplittableRandom r) {
    return new MakeCredentialResponse(
        WireGenerators.textOf(r, "packed", "none", "fido-u2f", "tpm", "android-key", "apple"),
        bytes(r, 37, 300),
        WireGenerators.textKeyedMap(r, "alg", "sig", "x5c", "ecdaaKeyId"),
        opt(r, WireGenerators::bool),
        opt(r, g -> bytes(g, 32)),
        opt(r, WireGenerators::extensions));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(MakeCredentialResponseProperties::response, (x, r) -> WireSchema.assertRoundTrip(x, MakeCredentialResponse::fromCbor));
  }

  @Test
  void theReplyAPlatformReads_reencodesIdentically() {
    WireCases.forAll(MakeCredentialResponseProperties::response, (x, r) -> WireReplies.assertReplyRoundTrip(x, MakeCredentialResponse::fromCbor));
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(MakeCredentialResponseProperties::response, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, MakeCredentialResponse::fromCbor, r));
  }

  @Test
  void withoutFmtAuthDataOrAttStmt_isMissingParameter() {
    WireCases.forAll(
        MakeCredentialResponseProperties::response,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, MakeCredentialResponse::fromCbor)).isEqualTo(3));
  }
}
