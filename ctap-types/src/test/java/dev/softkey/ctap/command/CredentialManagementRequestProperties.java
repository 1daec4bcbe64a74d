package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.code;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthParam;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CredentialManagementRequest} (CTAP 2.1 section 6.8.1), under 0x0A and 0x41. */
class CredentialManagementRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          req(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.MAP, WireSchema.of(opt(0x01, Kind.BYTES), opt(0x02, Kind.MAP, WireSchema.DESCRIPTOR), opt(0x03, Kind.MAP, WireSchema.USER_ENTITY))),
          opt(0x03, Kind.UNSIGNED),
          opt(0x04, Kind.BYTES));

  static CredentialManagementRequest request(SplittableRandom r) {
    return new CredentialManagementRequest(
        r.nextBoolean() ? CtapCommand.CREDENTIAL_MANAGEMENT : CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW,
        code(r, 1, 2, 3, 4, 5, 6, 7),
        opt(r, g -> new SubCommandParams(opt(g, h -> bytes(h)), opt(g, WireGenerators::descriptor), opt(g, WireGenerators::anyUserEntity))),
        pinUvAuthProtocol(r),
        pinUvAuthParam(r));
  }

  private static CredentialManagementRequest decode(CredentialManagementRequest x, CborMap m) {
    return CredentialManagementRequest.fromCbor(x.command(), m);
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(CredentialManagementRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, m -> decode(x, m)));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(CredentialManagementRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(x.command().code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      CredentialManagementRequest decoded = decode(x, CborDecoder.decodeMap(body));
      assertThat(decoded.encode()).isEqualTo(message);
      assertThat(CborEncoder.encode(decoded.toCbor())).isEqualTo(body);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(CredentialManagementRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, m -> decode(x, m), r));
  }

  @Test
  void aMissingRequiredMember_isMissingParameter() {
    WireCases.forAll(
        CredentialManagementRequestProperties::request,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, m -> decode(x, m))).isPositive());
  }

  @Test
  void pinUvAuthMessage_isTheOneOfTheReceivedMap() {
    WireCases.forAll(CredentialManagementRequestProperties::request, x -> x.subCommand() <= 0xFF, (x, r) -> {
      assertThat(x.pinUvAuthMessage()).isEqualTo(CredentialManagementRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
      assertThat(x.pinUvAuthMessage().get(0)).isEqualTo((int) x.subCommand());
    });
  }
}
