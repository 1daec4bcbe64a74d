package dev.softkey.ctap.command;

import static dev.softkey.ctap.command.WireGenerators.bytes;
import static dev.softkey.ctap.command.WireGenerators.code;
import static dev.softkey.ctap.command.WireGenerators.list;
import static dev.softkey.ctap.command.WireGenerators.opt;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthParam;
import static dev.softkey.ctap.command.WireGenerators.pinUvAuthProtocol;
import static dev.softkey.ctap.command.WireSchema.opt;
import static dev.softkey.ctap.command.WireSchema.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.WireSchema.Kind;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link MakeCredentialRequest} (CTAP 2.1 section 6.1.1). */
class MakeCredentialRequestProperties {
  static final WireSchema SCHEMA =
      WireSchema.of(
          req(0x01, Kind.BYTES),
          req(0x02, Kind.MAP, WireSchema.RP_ENTITY),
          req(0x03, Kind.MAP, WireSchema.USER_ENTITY),
          req(0x04, Kind.MAP_ARRAY, WireSchema.PARAMETERS),
          opt(0x05, Kind.MAP_ARRAY, WireSchema.DESCRIPTOR),
          opt(0x06, Kind.MAP),
          opt(0x07, Kind.MAP, WireSchema.OPTIONS),
          opt(0x08, Kind.BYTES),
          opt(0x09, Kind.UNSIGNED),
          opt(0x0A, Kind.UNSIGNED));

  static MakeCredentialRequest request(SplittableRandom r) {
    return new MakeCredentialRequest(
        r.nextInt(4) == 0 ? bytes(r) : bytes(r, 32),
        WireGenerators.rpEntity(r),
        WireGenerators.userEntity(r),
        list(r, 4, WireGenerators::parameters),
        list(r, 3, WireGenerators::descriptor),
        opt(r, WireGenerators::extensions),
        WireGenerators.options(r),
        pinUvAuthParam(r),
        pinUvAuthProtocol(r),
        opt(r, g -> code(g, 1, 2)));
  }

  @Test
  void fromCborOfTheEncoding_equalsTheRecord() {
    WireCases.forAll(MakeCredentialRequestProperties::request, (x, r) -> WireSchema.assertRoundTrip(x, MakeCredentialRequest::fromCbor));
  }

  @Test
  void encode_isTheCommandByteThenCanonicalCborThatReencodesIdentically() {
    WireCases.forAll(MakeCredentialRequestProperties::request, (x, r) -> {
      byte[] message = x.encode();
      assertThat(message[0] & 0xFF).isEqualTo(CtapCommand.MAKE_CREDENTIAL.code());
      byte[] body = Arrays.copyOfRange(message, 1, message.length);
      MakeCredentialRequest decoded = MakeCredentialRequest.fromCbor(CborDecoder.decodeMap(body));
      assertThat(decoded.encode()).isEqualTo(message);
    });
  }

  @Test
  void aMemberOfTheWrongType_isCborUnexpectedType() {
    WireCases.forAll(MakeCredentialRequestProperties::request, (x, r) -> WireSchema.assertWrongTypeRejected(SCHEMA, x, MakeCredentialRequest::fromCbor, r));
  }

  /** clientDataHash, rp, user, pubKeyCredParams, rp.id, user.id and each entry's alg and type, and each excluded credential's type and id. */
  @Test
  void aMissingRequiredMember_isMissingParameter() {
    WireCases.forAll(
        MakeCredentialRequestProperties::request,
        (x, r) ->
            assertThat(WireSchema.assertMissingRejected(SCHEMA, x, MakeCredentialRequest::fromCbor))
                .isEqualTo(6 + 2 * x.pubKeyCredParams().size() + 2 * x.excludeList().size()));
  }

  /** WebAuthn L3 section 5.4.3: a user handle is at most 64 bytes; a longer user.id is CTAP1_ERR_INVALID_LENGTH, received or built. */
  @Test
  void aUserIdLongerThan64Bytes_isInvalidLength() {
    WireCases.forAll(MakeCredentialRequestProperties::request, (x, r) -> {
      Bytes id = bytes(r, PublicKeyCredentialUserEntity.MAX_ID_LENGTH + 1, PublicKeyCredentialUserEntity.MAX_ID_LENGTH + 200);
      CborMap m = WireSchema.decoded(x);
      CborMap received = CborDecoder.decodeMap(CborEncoder.encode(WireSchema.replace(m, List.of(MakeCredentialRequest.USER, "id"), Optional.of(id))));
      assertThat(catchThrowableOfType(CtapException.class, () -> MakeCredentialRequest.fromCbor(received)).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
      PublicKeyCredentialUserEntity user = new PublicKeyCredentialUserEntity(id, x.user().name(), x.user().displayName());
      assertThat(
              catchThrowableOfType(
                  CtapException.class,
                  () ->
                      new MakeCredentialRequest(
                          x.clientDataHash(), x.rp(), user, x.pubKeyCredParams(), x.excludeList(), x.extensions(), x.options(),
                          x.pinUvAuthParam(), x.pinUvAuthProtocol(), x.enterpriseAttestation()))
                  .status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    });
  }

  /**
   * The record leaves out an empty excludeList, an empty options map and a descriptor's empty
   * transports: a platform that sends them empty gets the same record, which then encodes without them.
   */
  @Test
  void emptyExcludeListOptionsAndTransportsOnTheWire_readAsAbsent() {
    WireCases.forAll(MakeCredentialRequestProperties::request, (x, r) -> {
      Map<Object, Object> m = new LinkedHashMap<>(WireSchema.decoded(x).asMap());
      m.putIfAbsent(MakeCredentialRequest.EXCLUDE_LIST, List.of());
      m.put(MakeCredentialRequest.EXCLUDE_LIST, withEmptyTransports(m.get(MakeCredentialRequest.EXCLUDE_LIST)));
      m.putIfAbsent(MakeCredentialRequest.OPTIONS, new CborMap(new LinkedHashMap<>()));
      MakeCredentialRequest read = MakeCredentialRequest.fromCbor(CborDecoder.decodeMap(CborEncoder.encode(m)));
      assertThat(read).isEqualTo(x);
      assertThat(read.encode()).isEqualTo(x.encode());
    });
  }

  /** The descriptors of {@code list} with "transports": [] where they have none. */
  static List<Object> withEmptyTransports(Object list) {
    return ((List<?>) list).stream()
        .map(d -> {
          Map<Object, Object> copy = new LinkedHashMap<>(((CborMap) d).asMap());
          copy.putIfAbsent("transports", List.of());
          return (Object) new CborMap(copy);
        })
        .toList();
  }
}
