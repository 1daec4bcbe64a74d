package dev.softkey.core.ctap2.largeblobs;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.LargeBlobArray;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.command.LargeBlobsResponse;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * authenticatorLargeBlobs (CTAP 2.1 section 6.10), for models whose profile has {@code
 * extensions.largeBlobs} (getInfo option largeBlobs true, maxSerializedLargeBlobArray); others
 * answer CTAP1_ERR_INVALID_COMMAND and cannot grant lbw. get reads up to maxFragmentLength
 * (maxMsgSize − 64) bytes of the stored serialized large-blob array at an offset; set writes a new
 * array in fragments at consecutive offsets, the first carrying the whole length. A key protected
 * by some form of user verification (or with alwaysUv) requires a pinUvAuthToken with the lbw
 * permission over 32×0xff || h'0c00' || uint32LittleEndian(offset) || SHA-256(fragment) for every
 * fragment. The last fragment's array must end with its truncated SHA-256, else
 * CTAP2_ERR_INTEGRITY_FAILURE; then it replaces the stored array durably before CTAP2_OK.
 *
 * <p>The pending write (expectedLength, expectedNextOffset, the buffer) is RAM: a power cycle or
 * authenticatorReset forgets it, as on a key, and the stored array changes only when a write
 * completes.
 */
public final class LargeBlobsHandler implements CommandHandler {
  /** maxFragmentLength = maxMsgSize − 64 (section 6.10.1). */
  public static final int FRAGMENT_OVERHEAD = 64;

  private final AuthenticatorEnv env;
  private Pending pending = Pending.none();

  /**
   * The state of a write in progress (section 6.10.2, set steps 2.4-2.5 and 9).
   *
   * @param expectedLength the length the first fragment announced
   * @param buffer the fragments received so far (its size is expectedNextOffset)
   * @param epoch the device session's epoch (power cycles and resets) the write started under
   */
  private record Pending(long expectedLength, ByteArrayOutputStream buffer, long epoch) {
    /** No write in progress: only a fragment at offset 0 is expected. */
    static Pending none() {
      return new Pending(0, new ByteArrayOutputStream(), -1);
    }

    long expectedNextOffset() {
      return buffer.size();
    }
  }

  public LargeBlobsHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.LARGE_BLOBS;
  }

  /** Only a model with {@code extensions.largeBlobs}. */
  @Override
  public boolean supported() {
    return env.profile().extensions().largeBlobs().isPresent();
  }

  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.LARGE_BLOB_WRITE);
  }

  /** largeBlobs true: the authenticator supports authenticatorLargeBlobs (section 6.4). */
  @Override
  public Map<String, Boolean> infoOptions() {
    return Map.of("largeBlobs", true);
  }

  /** maxFragmentLength (section 6.10.1): maxMsgSize − 64. */
  public static int maxFragmentLength(Profile profile) {
    return profile.limits().maxMsgSize() - FRAGMENT_OVERHEAD;
  }

  /** The model's maxSerializedLargeBlobArray (getInfo 0x0B). */
  private int maxSerializedLargeBlobArray() {
    return env.profile().extensions().largeBlobs().orElseThrow().maxSerializedLargeBlobArray();
  }

  @Override
  public synchronized Optional<LargeBlobsResponse> handle(CommandParameters parameters, OperationContext ctx) {
    CborMap received = parameters.map();
    // 1. offset is not present: CTAP1_ERR_INVALID_PARAMETER (before the record, whose decoding
    //    would call it missing).
    if (!received.has(LargeBlobsRequest.OFFSET)) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "offset is missing");
    }
    LargeBlobsRequest req = LargeBlobsRequest.fromCbor(received);
    // 2. Neither get nor set: CTAP1_ERR_INVALID_PARAMETER. 3. Both: CTAP1_ERR_INVALID_PARAMETER.
    if (req.get().isPresent() == req.set().isPresent()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "exactly one of get and set");
    }
    if (req.get().isPresent()) {
      return Optional.of(get(req));
    }
    set(req);
    return Optional.empty();
  }

  /** Section 6.10.2 step 4: get. */
  private LargeBlobsResponse get(LargeBlobsRequest req) {
    // 4.1 length is present: CTAP1_ERR_INVALID_PARAMETER.
    if (req.length().isPresent()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "length is for set");
    }
    // 4.2 pinUvAuthParam or pinUvAuthProtocol is present: CTAP1_ERR_INVALID_PARAMETER.
    if (req.pinUvAuthParam().isPresent() || req.pinUvAuthProtocol().isPresent()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "a read is not authenticated");
    }
    // 4.3 get is greater than maxFragmentLength: CTAP1_ERR_INVALID_LENGTH.
    long count = req.get().orElseThrow();
    if (count > maxFragmentLength(env.profile())) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "get is greater than maxFragmentLength");
    }
    // 4.4 offset is greater than the stored array's length: CTAP1_ERR_INVALID_PARAMETER.
    Bytes stored = LargeBlobArray.read(env.state());
    if (req.offset() > stored.length()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "offset is beyond the array");
    }
    // 4.5 config: the bytes at offset, at most get of them (fewer at the end, none at its length).
    int from = (int) req.offset();
    int to = (int) Math.min(stored.length(), from + count);
    return LargeBlobsResponse.ofConfig(stored.slice(from, to));
  }

  /** Section 6.10.2 step 5: set. */
  private void set(LargeBlobsRequest req) {
    Bytes fragment = req.set().orElseThrow();
    long offset = req.offset();
    // A write begun before a power cycle or an authenticatorReset is forgotten (RAM).
    if (pending.epoch() != env.session().epoch()) {
      pending = Pending.none();
    }
    // 5.1 The fragment is longer than maxFragmentLength: CTAP1_ERR_INVALID_LENGTH.
    if (fragment.length() > maxFragmentLength(env.profile())) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "set is longer than maxFragmentLength");
    }
    long expectedLength = pending.expectedLength();
    long expectedNextOffset = pending.expectedNextOffset();
    if (offset == 0) {
      // 5.2.1 length is not present: CTAP1_ERR_INVALID_PARAMETER.
      long length =
          req.length().orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "length is missing"));
      // 5.2.2 length exceeds the capacity (maxSerializedLargeBlobArray, at least 1024):
      //       CTAP2_ERR_LARGE_BLOB_STORAGE_FULL.
      if (length > maxSerializedLargeBlobArray()) {
        throw new CtapException(CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL, "length exceeds maxSerializedLargeBlobArray");
      }
      // 5.2.3 length is less than 17 (an array byte and the hash): CTAP1_ERR_INVALID_PARAMETER.
      if (length < LargeBlobArray.MIN_LENGTH) {
        throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "length is less than 17");
      }
      // 5.2.4 expectedLength = length. 5.2.5 expectedNextOffset = 0.
      expectedLength = length;
      expectedNextOffset = 0;
      pending = new Pending(expectedLength, new ByteArrayOutputStream(), env.session().epoch());
    } else if (req.length().isPresent()) {
      // 5.3 offset is not zero and length is present: CTAP1_ERR_INVALID_PARAMETER.
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "length is only for offset 0");
    }
    // 5.4 offset is not expectedNextOffset: CTAP1_ERR_INVALID_SEQ.
    if (offset != expectedNextOffset) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_SEQ, "offset is not the next expected one");
    }
    // 5.5 Protected by some form of user verification, or alwaysUv true:
    if (env.protectedByUv() || env.config().alwaysUv()) {
      // 5.5.1 pinUvAuthParam absent: CTAP2_ERR_PUAT_REQUIRED. 5.5.2 pinUvAuthProtocol absent:
      //       CTAP2_ERR_MISSING_PARAMETER. 5.5.3 not supported: CTAP1_ERR_INVALID_PARAMETER.
      //       5.5.4 verify(pinUvAuthToken, 32×0xff || h'0c00' || uint32LittleEndian(offset) ||
      //       SHA-256(set), pinUvAuthParam) fails: CTAP2_ERR_PIN_AUTH_INVALID.
      UserChecks.verifyToken(
          env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), LargeBlobsRequest.pinUvAuthMessage(offset, fragment));
      // 5.5.5 The token lacks the lbw permission: CTAP2_ERR_PIN_AUTH_INVALID.
      UserChecks.requirePermission(env, Permission.LARGE_BLOB_WRITE);
    }
    // 5.6 offset + the fragment's length is greater than expectedLength: CTAP1_ERR_INVALID_PARAMETER.
    if (offset + fragment.length() > expectedLength) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "the fragment goes beyond length");
    }
    // 5.7 offset 0: a new buffer (made at 5.2). 5.8 Append the fragment. 5.9 expectedNextOffset is
    //     the buffer's new length.
    pending.buffer().writeBytes(fragment.unsafeArray());
    // 5.10 The buffer holds expectedLength bytes:
    if (pending.expectedNextOffset() == expectedLength) {
      Bytes serialized = Bytes.wrap(pending.buffer().toByteArray());
      pending = Pending.none();
      // 5.10.1 Its last 16 bytes are not LEFT(SHA-256(the rest), 16): CTAP2_ERR_INTEGRITY_FAILURE.
      if (!LargeBlobArray.hashMatches(serialized)) {
        throw new CtapException(CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE, "the array's hash does not match");
      }
      // 5.10.2 Commit it, replacing the stored array, durably before 5.10.3 CTAP2_OK.
      LargeBlobArray.write(env.state(), serialized);
    }
    // 5.11 Otherwise more fragments are to come: CTAP2_OK.
  }
}
