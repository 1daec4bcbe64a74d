package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.code;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthParam;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireGenerators.texts;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  static ConfigRequest request(SplittableRandom r) {
    long sub = code(r, 0x01, 0x02, 0x03, 0xFF);
    boolean setMin = sub == ConfigRequest.SubCommand.SET_MIN_PIN_LENGTH.code();
    return new ConfigRequest(
        sub,
        opt(r, g -> setMin
            ? (SubCommandParams) new SetMinPinLengthParams(opt(g, WireGenerators::unsigned), texts(g), opt(g, WireGenerators::bool))
            : new OtherParams(WireGenerators.cborMap(g))),
        pinUvAuthProtocol(r),
        pinUvAuthParam(r));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(ConfigRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, ConfigRequest::fromCbor));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(ConfigRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.CONFIG.code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      assertThat(CborEncoder.encode(ConfigRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(ConfigRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(schema(x), x, ConfigRequest::fromCbor, r));
  }

  @Test
  void withoutSubCommand_isMissingParameter() {
    WireCases.forAll(
        ConfigRequestProperties::request,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(schema(x), x, ConfigRequest::fromCbor)).isEqualTo(1));
  }

  @Test
  void pinUvAuthMessage_isTheOneOfTheReceivedMap() {
    WireCases.forAll(ConfigRequestProperties::request, x -> x.subCommand() <= 0xFF, (x, r) -> {
      assertThat(x.pinUvAuthMessage()).isEqualTo(ConfigRequest.pinUvAuthMessageAsReceived(WireSchema.decoded(x)));
      assertThat(x.pinUvAuthMessage().slice(32, 34).hex()).isEqualTo(String.format("0d%02x", x.subCommand()));
    });
  }
}
