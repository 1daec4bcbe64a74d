package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.code;
import static dev.softkey.ctap.command.WireArbitraries.coseKey;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthParam;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireArbitraries.text;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ClientPinRequest} (CTAP 2.1 section 6.5.5). The record restricts only permissions to
 * unsigned integers, so pinUvAuthProtocol and subCommand are checked as integers.
 */
class ClientPinRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.INTEGER),
          req(0x02, Kind.INTEGER),
          opt(0x03, Kind.MAP),
          opt(0x04, Kind.BYTES),
          opt(0x05, Kind.BYTES),
          opt(0x06, Kind.BYTES),
          opt(0x09, Kind.UNSIGNED),
          opt(0x0A, Kind.TEXT));

  @Provide
  static Arbitrary<ClientPinRequest> requests() {
    return Combinators.combine(
            pinUvAuthProtocol(),
            code(1, 2, 3, 4, 5, 6, 7, 9),
            opt(coseKey()),
            pinUvAuthParam(),
            opt(bytes()),
            opt(bytes()),
            opt(unsigned()),
            opt(text()))
        .as(ClientPinRequest::new);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("requests") ClientPinRequest x) {
    WireSchema.assertRoundTrip(x, ClientPinRequest::fromCbor);
  }

  @Property
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically(@ForAll("requests") ClientPinRequest x) {
    byte[] message = x.encode();
    assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.CLIENT_PIN.code());
    byte[] body = Arrays.copyOfRange(message, 1, message.length);
    assertThat(CborEncoder.encode(ClientPinRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("requests") ClientPinRequest x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, ClientPinRequest::fromCbor, pick);
  }

  @Property
  void withoutSubCommand_isMissingParameter(@ForAll("requests") ClientPinRequest x, @ForAll int pick) {
    assertThat(WireSchema.assertMissingRejected(SCHEMA, x, ClientPinRequest::fromCbor, pick)).isTrue();
  }
}
