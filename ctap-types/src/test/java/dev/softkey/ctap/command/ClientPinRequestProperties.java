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
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientPinRequest} (CTAP 2.1 section 6.5.5): pinUvAuthProtocol, subCommand and permissions
 * are unsigned integers, so a negative one is the wrong CBOR type.
 */
class ClientPinRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.UNSIGNED),
          req(0x02, Kind.UNSIGNED),
          opt(0x03, Kind.MAP),
          opt(0x04, Kind.BYTES),
          opt(0x05, Kind.BYTES),
          opt(0x06, Kind.BYTES),
          opt(0x09, Kind.UNSIGNED),
          opt(0x0A, Kind.TEXT));

  static ClientPinRequest request(SplittableRandom r) {
    return new ClientPinRequest(
        pinUvAuthProtocol(r),
        code(r, 1, 2, 3, 4, 5, 6, 7, 9),
        opt(r, WireGenerators::coseKey),
        pinUvAuthParam(r),
        opt(r, g -> bytes(g)),
        opt(r, g -> bytes(g)),
        opt(r, WireGenerators::unsigned),
        opt(r, WireGenerators::text));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(ClientPinRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, ClientPinRequest::fromCbor));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(ClientPinRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.CLIENT_PIN.code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      assertThat(CborEncoder.encode(ClientPinRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(ClientPinRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, ClientPinRequest::fromCbor, r));
  }

  @Test
  void withoutSubCommand_isMissingParameter() {
    WireCases.forAll(
        ClientPinRequestProperties::request,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, ClientPinRequest::fromCbor)).isEqualTo(1));
  }
}
