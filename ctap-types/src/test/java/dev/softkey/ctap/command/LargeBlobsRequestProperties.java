package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireArbitraries.bytes;
import static dev.softkey.ctap.command.WireArbitraries.opt;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthParam;
import static dev.softkey.ctap.command.WireArbitraries.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireArbitraries.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.WireSchema.Kind;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** {@link LargeBlobsRequest} (CTAP 2.1 section 6.10.2). */
class LargeBlobsRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          opt(0x01, Kind.UNSIGNED),
          opt(0x02, Kind.BYTES),
          req(0x03, Kind.UNSIGNED),
          opt(0x04, Kind.UNSIGNED),
          opt(0x05, Kind.BYTES),
          opt(0x06, Kind.UNSIGNED));

  @Provide
  static Arbitrary<LargeBlobsRequest> requests() {
    return Combinators.combine(opt(unsigned()), opt(bytes()), unsigned(), opt(unsigned()), pinUvAuthParam(), pinUvAuthProtocol())
        .as(LargeBlobsRequest::new);
  }

  @Property
  void fromCborOfTheEncoding_equalsTheRecord(@ForAll("requests") LargeBlobsRequest x) {
    WireSchema.assertRoundTrip(x, LargeBlobsRequest::fromCbor);
  }

  @Property
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically(@ForAll("requests") LargeBlobsRequest x) {
    byte[] message = x.encode();
    assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.LARGE_BLOBS.code());
    byte[] body = Arrays.copyOfRange(message, 1, message.length);
    assertThat(CborEncoder.encode(LargeBlobsRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
  }

  @Property
  void aMemberOfTheWrongType_isCborUnexpectedType(@ForAll("requests") LargeBlobsRequest x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(SCHEMA, x, LargeBlobsRequest::fromCbor, pick);
  }

  @Property
  void withoutOffset_isMissingParameter(@ForAll("requests") LargeBlobsRequest x, @ForAll int pick) {
    assertThat(WireSchema.assertMissingRejected(SCHEMA, x, LargeBlobsRequest::fromCbor, pick)).isTrue();
  }

  /** Section 6.10.3: 32 bytes 0xff, h'0c00', uint32LittleEndian(offset), SHA-256(set). */
  @Property
  void pinUvAuthMessage_isFfPaddingCommandOffsetLittleEndianAndTheFragmentsHash(
      @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long offset, @ForAll("fragments") Bytes fragment) {
    Bytes m = LargeBlobsRequest.pinUvAuthMessage(offset, fragment);
    assertThat(m.length()).isEqualTo(32 + 2 + 4 + 32);
    assertThat(m.slice(0, 32)).isEqualTo(Bytes.fromHex("ff".repeat(32)));
    assertThat(m.slice(32, 34)).isEqualTo(Bytes.fromHex("0c00"));
    long readBack = m.get(34) | (long) m.get(35) << 8 | (long) m.get(36) << 16 | (long) m.get(37) << 24;
    assertThat(readBack).isEqualTo(offset);
    assertThat(m.slice(38, 70)).isEqualTo(Bytes.wrap(dev.softkey.ctap.pin.PinCrypto.sha256(fragment.toArray())));
    assertThat(LargeBlobsRequest.set(offset, fragment, java.util.Optional.empty()).pinUvAuthMessage()).isEqualTo(m);
  }

  @Provide
  static Arbitrary<Bytes> fragments() {
    return Arbitraries.oneOf(bytes(), Arbitraries.bytes().array(byte[].class).ofMaxSize(1200).map(Bytes::wrap));
  }
}
