package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.code;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthParam;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireArbitraries.text;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommandParams;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link BioEnrollmentRequest} (CTAP 2.1 section 6.7.1), under 0x09 and 0x40. Every member is optional. */
class BioEnrollmentRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.UNSIGNED),
          opt(0x03, Kind.MAP, WireSchema.of(opt(0x01, Kind.BYTES), opt(0x02, Kind.TEXT), opt(0x03, Kind.UNSIGNED))),
          opt(0x04, Kind.UNSIGNED),
          opt(0x05, Kind.BYTES),
          opt(0x06, Kind.BOOLEAN));

  @Provide
  static Arbitrary<BioEnrollmentRequest> requests() {
    Arbitrary<SubCommandParams> params = Combinators.combine(opt(bytes()), opt(text()), opt(unsigned())).as(SubCommandParams::new);
    return Combinators.combine(
            Arbitraries.of(CtapCommand.BIO_ENROLLMENT, CtapCommand.BIO_ENROLLMENT_PREVIEW),
            opt(code(1)),
            opt(code(1, 2, 3, 4, 5, 6, 7)),
            opt(params),
            pinUvAuthProtocol(),
            pinUvAuthParam(),
            opt(Arbitraries.of(true, false)))
        .as(BioEnrollmentRequest::new);
  }

  private static BioEnrollmentRequest decode(BioEnrollmentRequest x, CborMap m) {
    return BioEnrollmentRequest.fromCbor(x.command(), m);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("requests") BioEnrollmentRequest x) {
    WireSchema.assertRoundTrip(x, m -> decode(x, m));
  }

  @Property
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically(@ForAll("requests") BioEnrollmentRequest x) {
    byte[] message = x.encode();
    assertThat(message[0] & 0xFF).isEqualTo(x.command().code());
    byte[] body = Arrays.copyOfRange(message, 1, message.length);
    BioEnrollmentRequest decoded = decode(x, CborDecoder.decodeMap(body));
    assertThat(decoded.encode()).isEqualTo(message);
    assertThat(CborEncoder.encode(decoded.toCbor())).isEqualTo(body);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("requests") BioEnrollmentRequest x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, m -> decode(x, m), pick);
  }

  @Property
  void pinUvAuthMessage_isTheOneOfTheReceivedMap(@ForAll("requests") BioEnrollmentRequest x) {
    Assume.that(x.modality().filter(v -> v <= 0xFF).isPresent() && x.subCommand().filter(v -> v <= 0xFF).isPresent());
    assertThat(x.pinUvAuthMessage()).isEqualTo(BioEnrollmentRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
    assertThat(x.pinUvAuthMessage().slice(0, 2).hex())
        .isEqualTo(String.format("%02x%02x", x.modality().get(), x.subCommand().get()));
  }
}
