package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.code;
import static dev.softkey.ctap.command.WireArbitraries.descriptor;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthParam;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireArbitraries.userEntity;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link CredentialManagementRequest} (CTAP 2.1 section 6.8.1), under 0x0A and 0x41. */
class CredentialManagementRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          req(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.MAP, WireSchema.of(opt(0x01, Kind.BYTES), opt(0x02, Kind.MAP, WireSchema.DESCRIPTOR), opt(0x03, Kind.MAP, WireSchema.USER_ENTITY))),
          opt(0x03, Kind.UNSIGNED),
          opt(0x04, Kind.BYTES));

  @Provide
  static Arbitrary<CredentialManagementRequest> requests() {
    Arbitrary<SubCommandParams> params = Combinators.combine(opt(bytes()), opt(descriptor()), opt(userEntity())).as(SubCommandParams::new);
    return Combinators.combine(
            Arbitraries.of(CtapCommand.CREDENTIAL_MANAGEMENT, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW),
            code(1, 2, 3, 4, 5, 6, 7),
            opt(params),
            pinUvAuthProtocol(),
            pinUvAuthParam())
        .as(CredentialManagementRequest::new);
  }

  private static CredentialManagementRequest decode(CredentialManagementRequest x, dev.softkey.ctap.cbor.CborMap m) {
    return CredentialManagementRequest.fromCbor(x.command(), m);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("requests") CredentialManagementRequest x) {
    WireSchema.assertRoundTrip(x, m -> decode(x, m));
  }

  @Property
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically(@ForAll("requests") CredentialManagementRequest x) {
    byte[] message = x.encode();
    assertThat(message[0] & 0xFF).isEqualTo(x.command().code());
    byte[] body = Arrays.copyOfRange(message, 1, message.length);
    CredentialManagementRequest decoded = decode(x, CborDecoder.decodeMap(body));
    assertThat(decoded.encode()).isEqualTo(message);
    assertThat(CborEncoder.encode(decoded.toCbor())).isEqualTo(body);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("requests") CredentialManagementRequest x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, m -> decode(x, m), pick);
  }

  @Property
  void aMissingRequiredMember_isMissingParameter(@ForAll("requests") CredentialManagementRequest x, @ForAll int pick) {
    assertThat(WireSchema.assertMissingRejected(SCHEMA, x, m -> decode(x, m), pick)).isTrue();
  }

  @Property
  void pinUvAuthMessage_isTheOneOfTheReceivedMap(@ForAll("requests") CredentialManagementRequest x) {
    net.jqwik.api.Assume.that(x.subCommand() <= 0xFF);
    assertThat(x.pinUvAuthMessage()).isEqualTo(CredentialManagementRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
    assertThat(x.pinUvAuthMessage().get(0)).isEqualTo((int) x.subCommand());
  }
}
