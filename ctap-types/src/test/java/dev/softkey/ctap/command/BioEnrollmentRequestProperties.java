package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.code;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthParam;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireSchema.opt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest.SubCommandParams;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  static BioEnrollmentRequest request(SplittableRandom r) {
    return new BioEnrollmentRequest(
        r.nextBoolean() ? CtapCommand.BIO_ENROLLMENT : CtapCommand.BIO_ENROLLMENT_PREVIEW,
        opt(r, g -> code(g, 1)),
        opt(r, g -> code(g, 1, 2, 3, 4, 5, 6, 7)),
        opt(r, g -> new SubCommandParams(opt(g, h -> bytes(h)), opt(g, WireGenerators::text), opt(g, WireGenerators::unsigned))),
        pinUvAuthProtocol(r),
        pinUvAuthParam(r),
        opt(r, WireGenerators::bool));
  }

  private static BioEnrollmentRequest decode(BioEnrollmentRequest x, CborMap m) {
    return BioEnrollmentRequest.fromCbor(x.command(), m);
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(BioEnrollmentRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, m -> decode(x, m)));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(BioEnrollmentRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(x.command().code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      BioEnrollmentRequest decoded = decode(x, CborDecoder.decodeMap(body));
      assertThat(decoded.encode()).isEqualTo(message);
      assertThat(CborEncoder.encode(decoded.toCbor())).isEqualTo(body);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(BioEnrollmentRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, m -> decode(x, m), r));
  }

  @Test
  void pinUvAuthMessage_isTheOneOfTheReceivedMap() {
    WireCases.forAll(
        BioEnrollmentRequestProperties::request,
        x -> x.modality().filter(v -> v <= 0xFF).isPresent() && x.subCommand().filter(v -> v <= 0xFF).isPresent(),
        (x, r) -> {
          assertThat(x.pinUvAuthMessage()).isEqualTo(BioEnrollmentRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
          assertThat(x.pinUvAuthMessage().slice(0, 2).hex()).isEqualTo(String.format("%02x%02x", x.modality().get(), x.subCommand().get()));
        });
  }
}
