package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.list;
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
import dev.softkey.ctap.command.WireSchema.Kind;
import dev.softkey.ctap.pin.PinCrypto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link GetAssertionRequest} (CTAP 2.1 section 6.2.1). */
class GetAssertionRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          req(0x01, Kind.TEXT),
          req(0x02, Kind.BYTES),
          opt(0x03, Kind.MAP_ARRAY, WireSchema.DESCRIPTOR),
          opt(0x04, Kind.MAP),
          opt(0x05, Kind.MAP, WireSchema.OPTIONS),
          opt(0x06, Kind.BYTES),
          opt(0x07, Kind.UNSIGNED));

  static GetAssertionRequest request(SplittableRandom r) {
    return new GetAssertionRequest(
        WireGenerators.text(r),
        r.nextInt(4) == 0 ? bytes(r) : bytes(r, 32),
        list(r, 4, WireGenerators::descriptor),
        opt(r, WireGenerators::extensions),
        WireGenerators.options(r),
        pinUvAuthParam(r),
        pinUvAuthProtocol(r));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(GetAssertionRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, GetAssertionRequest::fromCbor));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(GetAssertionRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.GET_ASSERTION.code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      assertThat(GetAssertionRequest.fromCbor(CborDecoder.decodeMap(body)).encode()).isEqualTo(message);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(GetAssertionRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, GetAssertionRequest::fromCbor, r));
  }

  /** rpId, clientDataHash, and each allowed credential's type and id. */
  @Test
  void aMissingRequiredMember_isMissingParameter() {
    WireCases.forAll(
        GetAssertionRequestProperties::request,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, GetAssertionRequest::fromCbor)).isEqualTo(2 + 2 * x.allowList().size()));
  }

  /** An empty allowList, options map or transports on the wire read as absent, and the record encodes without them. */
  @Test
  void emptyAllowListOptionsAndTransportsOnTheWire_readAsAbsent() {
    WireCases.forAll(GetAssertionRequestProperties::request, (x, r) -> {
      Map<Object, Object> m = new LinkedHashMap<>(WireSchema.decoded(x).asMap());
      m.putIfAbsent(GetAssertionRequest.ALLOW_LIST, List.of());
      m.put(GetAssertionRequest.ALLOW_LIST, MakeCredentialRequestProperties.withEmptyTransports(m.get(GetAssertionRequest.ALLOW_LIST)));
      m.putIfAbsent(GetAssertionRequest.OPTIONS, new CborMap(new LinkedHashMap<>()));
      GetAssertionRequest read = GetAssertionRequest.fromCbor(CborDecoder.decodeMap(CborEncoder.encode(m)));
      assertThat(read).isEqualTo(x);
      assertThat(read.encode()).isEqualTo(x.encode());
    });
  }

  /** The rpIdHash of authenticatorData is SHA-256 of the RP ID's UTF-8. */
  @Test
  void rpIdHash_isSha256OfTheUtf8RpId() {
    WireCases.forAll(
        GetAssertionRequestProperties::request,
        (x, r) -> assertThat(x.rpIdHash().toArray()).isEqualTo(PinCrypto.sha256(x.rpId().getBytes(StandardCharsets.UTF_8))));
  }
}
