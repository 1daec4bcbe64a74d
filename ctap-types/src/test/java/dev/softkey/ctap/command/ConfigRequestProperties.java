package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.cborMap;
import static dev.softkey.ctap.command.WireArbitraries.code;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthParam;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireArbitraries.texts;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.ConfigRequest.OtherParams;
import dev.softkey.ctap.command.ConfigRequest.SetMinPinLengthParams;
import dev.softkey.ctap.command.ConfigRequest.SubCommandParams;
import dev.softkey.ctap.command.WireSchema.Kind;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link ConfigRequest} (CTAP 2.1 section 6.11.1): setMinPINLength's parameters typed, any other subcommand's as a map. */
class ConfigRequestProperties {
  static final WireSchema SET_MIN_PIN_LENGTH =
      WireSchema.of(opt(0x01, Kind.UNSIGNED), opt(0x02, Kind.TEXT_ARRAY), opt(0x03, Kind.BOOLEAN));

  /** The shape depends on the subcommand: only setMinPINLength's parameters have typed members. */
  static WireSchema schema(ConfigRequest x) {
    boolean setMin = x.subCommand() == ConfigRequest.SubCommand.SET_MIN_PIN_LENGTH.code();
    return WireSchema.of(
        req(0x01, Kind.UNSIGNED),
        setMin ? opt(0x02, Kind.MAP, SET_MIN_PIN_LENGTH) : opt(0x02, Kind.MAP),
        opt(0x03, Kind.UNSIGNED),
        opt(0x04, Kind.BYTES));
  }

  @Provide
  static Arbitrary<ConfigRequest> requests() {
    Arbitrary<SubCommandParams> setMin =
        Combinators.combine(opt(unsigned()), texts(), opt(Arbitraries.of(true, false))).as(SetMinPinLengthParams::new);
    Arbitrary<SubCommandParams> other = cborMap().map(OtherParams::new);
    return code(0x01, 0x02, 0x03, 0xFF)
        .flatMap(
            sub ->
                Combinators.combine(
                        opt(sub == ConfigRequest.SubCommand.SET_MIN_PIN_LENGTH.code() ? setMin : other), pinUvAuthProtocol(), pinUvAuthParam())
                    .as((p, protocol, param) -> new ConfigRequest(sub, p, protocol, param)));
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("requests") ConfigRequest x) {
    WireSchema.assertRoundTrip(x, ConfigRequest::fromCbor);
  }

  @Property
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically(@ForAll("requests") ConfigRequest x) {
    byte[] message = x.encode();
    assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.CONFIG.code());
    byte[] body = Arrays.copyOfRange(message, 1, message.length);
    assertThat(CborEncoder.encode(ConfigRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("requests") ConfigRequest x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(schema(x), x, ConfigRequest::fromCbor, pick);
  }

  @Property
  void withoutSubCommand_isMissingParameter(@ForAll("requests") ConfigRequest x, @ForAll int pick) {
    assertThat(WireSchema.assertMissingRejected(schema(x), x, ConfigRequest::fromCbor, pick)).isTrue();
  }

  @Property
  void pinUvAuthMessage_isTheOneOfTheReceivedMap(@ForAll("requests") ConfigRequest x) {
    Assume.that(x.subCommand() <= 0xFF);
    assertThat(x.pinUvAuthMessage()).isEqualTo(ConfigRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
    assertThat(x.pinUvAuthMessage().slice(32, 34).hex()).isEqualTo(String.format("0d%02x", x.subCommand()));
  }
}
