package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthParam;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireGenerators.unsigned;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.WireSchema.Kind;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  static LargeBlobsRequest request(SplittableRandom r) {
    return new LargeBlobsRequest(
        opt(r, WireGenerators::unsigned), opt(r, g -> bytes(g)), unsigned(r), opt(r, WireGenerators::unsigned), pinUvAuthParam(r), pinUvAuthProtocol(r));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(LargeBlobsRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, LargeBlobsRequest::fromCbor));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(LargeBlobsRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.LARGE_BLOBS.code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      assertThat(CborEncoder.encode(LargeBlobsRequest.fromCbor(CborDecoder.decodeMap(body)).toCbor())).isEqualTo(body);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(LargeBlobsRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, LargeBlobsRequest::fromCbor, r));
  }

  @Test
  void withoutOffset_isMissingParameter() {
    WireCases.forAll(
        LargeBlobsRequestProperties::request,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(SCHEMA, x, LargeBlobsRequest::fromCbor)).isEqualTo(1));
  }

  /** An offset a uint32 holds (0 and 2^32-1 as often as any) and a fragment of up to 1200 bytes. */
  record Fragment(long offset, Bytes fragment) {
    static Fragment draw(SplittableRandom r) {
      long offset =
          switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            default -> r.nextLong(0, 0x1_0000_0000L);
          };
      return new Fragment(offset, r.nextBoolean() ? bytes(r) : bytes(r, 0, 1200));
    }
  }

  /** Section 6.10.3: 32 bytes 0xff, h'0c00', uint32LittleEndian(offset), SHA-256(set). */
  @Test
  void pinUvAuthMessage_isFfPaddingCommandOffsetLittleEndianAndTheFragmentsHash() {
    WireCases.forAll(Fragment::draw, (f, r) -> {
      Bytes m = LargeBlobsRequest.pinUvAuthMessage(f.offset(), f.fragment());
      assertThat(m.length()).isEqualTo(32 + 2 + 4 + 32);
      assertThat(m.slice(0, 32)).isEqualTo(Bytes.fromHex("ff".repeat(32)));
      assertThat(m.slice(32, 34)).isEqualTo(Bytes.fromHex("0c00"));
      long readBack = m.get(34) | (long) m.get(35) << 8 | (long) m.get(36) << 16 | (long) m.get(37) << 24;
      assertThat(readBack).isEqualTo(f.offset());
      assertThat(m.slice(38, 70)).isEqualTo(Bytes.wrap(PinCrypto.sha256(f.fragment().toArray())));
      assertThat(LargeBlobsRequest.set(f.offset(), f.fragment(), Optional.empty()).pinUvAuthMessage()).isEqualTo(m);
    });
  }
}
