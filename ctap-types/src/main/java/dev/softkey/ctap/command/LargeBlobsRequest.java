package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * authenticatorLargeBlobs parameters (CTAP 2.1 section 6.10.2). Exactly one of get and set, and
 * length only with set at offset 0, are the handler's steps (CTAP1_ERR_INVALID_PARAMETER there), so
 * the record takes any combination.
 *
 * @param get 0x01, the number of bytes to read
 * @param set 0x02, the fragment to write
 * @param offset 0x03, required
 * @param length 0x04, the length of the whole serialized array, with the first set
 * @param pinUvAuthParam 0x05, authenticate(pinUvAuthToken, {@link #pinUvAuthMessage()})
 * @param pinUvAuthProtocol 0x06
 */
public record LargeBlobsRequest(
    Optional<Long> get,
    Optional<Bytes> set,
    long offset,
    Optional<Long> length,
    Optional<Bytes> pinUvAuthParam,
    Optional<Long> pinUvAuthProtocol)
    implements CtapRequest {
  public static final long GET = 0x01;
  public static final long SET = 0x02;
  public static final long OFFSET = 0x03;
  public static final long LENGTH = 0x04;
  public static final long PIN_UV_AUTH_PARAM = 0x05;
  public static final long PIN_UV_AUTH_PROTOCOL = 0x06;

  public LargeBlobsRequest {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(pinUvAuthParam, "pinUvAuthParam");
    Members.requireUnsigned("get", get);
    Members.requireUnsigned("offset", offset);
    Members.requireUnsigned("length", length);
    Members.requireUnsigned("pinUvAuthProtocol", pinUvAuthProtocol);
  }

  /** A read of {@code count} bytes at {@code offset} (section 6.10.3, reading). */
  public static LargeBlobsRequest get(long offset, long count) {
    return new LargeBlobsRequest(Optional.of(count), Optional.empty(), offset, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * A write of {@code fragment} at {@code offset} (section 6.10.3, writing); {@code length} is the
   * whole array's length, sent with the first fragment (offset 0) only.
   */
  public static LargeBlobsRequest set(long offset, Bytes fragment, Optional<Long> length) {
    return new LargeBlobsRequest(Optional.empty(), Optional.of(fragment), offset, length, Optional.empty(), Optional.empty());
  }

  public LargeBlobsRequest withPinUvAuth(long protocol, Bytes param) {
    return new LargeBlobsRequest(get, set, offset, length, Optional.of(param), Optional.of(protocol));
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.LARGE_BLOBS;
  }

  /** Strict decoding: a member of the wrong type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a missing offset CTAP2_ERR_MISSING_PARAMETER. */
  public static LargeBlobsRequest fromCbor(CborMap m) {
    return new LargeBlobsRequest(
        m.optLong(GET), m.optBytes(SET), m.longValue(OFFSET), m.optLong(LENGTH), m.optBytes(PIN_UV_AUTH_PARAM), m.optLong(PIN_UV_AUTH_PROTOCOL));
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create()
        .putOpt(GET, get)
        .putOpt(SET, set)
        .put(OFFSET, offset)
        .putOpt(LENGTH, length)
        .putOpt(PIN_UV_AUTH_PARAM, pinUvAuthParam)
        .putOpt(PIN_UV_AUTH_PROTOCOL, pinUvAuthProtocol)
        .build();
  }

  /** The message of a set's pinUvAuthParam; a request without set is CTAP2_ERR_MISSING_PARAMETER. */
  public Bytes pinUvAuthMessage() {
    return pinUvAuthMessage(
        offset, set.orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "set is missing")));
  }

  /**
   * The message a set's pinUvAuthParam authenticates (section 6.10.3 step 3 of writing, and the
   * authenticator's check): 32 bytes 0xff, h'0c00', uint32LittleEndian(offset), SHA-256(fragment).
   * An offset beyond 32 bits is CTAP1_ERR_INVALID_PARAMETER.
   */
  public static Bytes pinUvAuthMessage(long offset, Bytes fragment) {
    if (offset < 0 || offset > 0xFFFFFFFFL) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "offset beyond 32 bits");
    }
    byte[] head = new byte[32 + 2 + 4];
    Arrays.fill(head, 0, 32, (byte) 0xff);
    head[32] = 0x0c;
    head[33] = 0x00;
    for (int i = 0; i < 4; i++) {
      head[34 + i] = (byte) (offset >>> (8 * i));
    }
    return Bytes.concat(Bytes.wrap(head), Bytes.wrap(PinCrypto.sha256(fragment.unsafeArray())));
  }
}
