package dev.softkey.core.ctap2.largeblobs;

import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.LargeBlobArray;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.platform.config.PlatformConfig;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * authenticatorLargeBlobs (CTAP 2.1 section 6.10.2), step by step, on the generic profile
 * (maxMsgSize 2048, so maxFragmentLength 1984; maxSerializedLargeBlobArray 4096).
 */
class LargeBlobsHandlerTest {
  static final String PIN = "493817";
  static final int MAX_FRAGMENT = 2048 - 64;
  static final int MAX_ARRAY = 4096;

  /**
   * The initial serialized large-blob array, h'80' || LEFT(SHA-256(h'80'), 16): CTAP 2.1 section
   * 6.10.3; OpenSK large_blobs.rs test_process_command_get_empty has the same 17 bytes.
   */
  static final Bytes INITIAL = Bytes.fromHex("8076be8b528d0075f7aae98d6fa57a6d3c");

  final Device dev = TestDevices.generic();
  final Function<byte[], byte[]> transport = req -> dev.authenticator().process(req, OperationContext.INTERNAL);
  final PlatformPin pin = new PlatformPin(transport, 2, RandomSource.seeded(7));

  CtapTestClient.Response send(Map<Object, Object> params) {
    return dev.client().send(CtapCommand.LARGE_BLOBS, params);
  }

  CtapTestClient.Response send(LargeBlobsRequest r) {
    return dev.client().sendRaw(r.encode());
  }

  Bytes read() {
    return send(LargeBlobsRequest.get(0, MAX_FRAGMENT)).ok().bytes(0x01);
  }

  /** A serialized array: the CBOR array of {@code elements} and its truncated SHA-256. */
  static Bytes serialized(List<Object> elements) {
    byte[] array = CborEncoder.encode(elements);
    return Bytes.concat(Bytes.wrap(array), Bytes.of(PinCrypto.sha256(array), 0, 16));
  }

  /** An array of one byte string of {@code n} bytes, so its serialized length is about n. */
  static Bytes arrayOfAbout(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0x5a);
    return serialized(List.of(Bytes.wrap(b)));
  }

  static LargeBlobsRequest set(long offset, Bytes fragment, Optional<Long> length) {
    return LargeBlobsRequest.set(offset, fragment, length);
  }

  static LargeBlobsRequest signed(LargeBlobsRequest r, PinToken t) {
    return r.withPinUvAuth(
        t.protocol(), t.authenticate(LargeBlobsRequest.pinUvAuthMessage(r.offset(), r.set().orElseThrow()).unsafeArray()));
  }

  /** Writes {@code s} in fragments of {@code size}, signed with {@code t} when given; every status in order. */
  List<CtapStatus> write(Bytes s, int size, Optional<PinToken> t) {
    List<CtapStatus> out = new ArrayList<>();
    for (int off = 0; off < s.length(); off += size) {
      Bytes f = s.slice(off, Math.min(s.length(), off + size));
      LargeBlobsRequest r = set(off, f, off == 0 ? Optional.of((long) s.length()) : Optional.empty());
      out.add(send(t.map(tok -> signed(r, tok)).orElse(r)).status());
    }
    return out;
  }

  @Nested
  class Support {
    @Test
    void getInfo_reportsOptionLargeBlobs_andMaxSerializedLargeBlobArray() {
      var info = dev.client().send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.map(0x04).asMap()).containsEntry("largeBlobs", true);
      assertThat(info.longValue(0x0B)).isEqualTo(MAX_ARRAY);
    }

    @Test
    void aModelWithoutLargeBlobs_answersInvalidCommand_reportsNothing_andRefusesLbw() {
      // Thales IDPrime FIDO Bio: a CTAP 2.1 model (pinUvAuthToken, so 0x09 asks for permissions) without large blobs.
      Device yk = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("thales-idprime-bio").orElseThrow()));
      assertThat(yk.client().sendRaw(LargeBlobsRequest.get(0, 17).encode()).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
      var info = yk.client().send(CtapCommand.GET_INFO, null).ok();
      assertThat(info.map(0x04).asMap()).doesNotContainKey("largeBlobs");
      assertThat(info.has(0x0B)).isFalse();
      PlatformPin p = new PlatformPin(req -> yk.authenticator().process(req, OperationContext.INTERNAL), 2, RandomSource.seeded(3));
      p.setPin(PIN);
      assertThatThrownBy(() -> p.getPinUvAuthToken(PIN, Set.of(Permission.LARGE_BLOB_WRITE), Optional.empty()))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION));
    }

    @Test
    void aNewDevice_holdsTheInitialArray() {
      assertThat(LargeBlobArray.INITIAL).isEqualTo(INITIAL);
      assertThat(LargeBlobArray.hashMatches(INITIAL)).isTrue();
      assertThat(read()).isEqualTo(INITIAL);
    }
  }

  @Nested
  class Steps1to3 {
    @Test
    void step1_offsetMissing_isInvalidParameter() {
      assertThat(send(map(1L, 17L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step2_neitherGetNorSet_isInvalidParameter() {
      assertThat(send(map(3L, 0L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step3_bothGetAndSet_isInvalidParameter() {
      assertThat(send(map(1L, 17L, 2L, INITIAL, 3L, 0L, 4L, 17L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void aMemberOfTheWrongType_isCborUnexpectedType() {
      assertThat(send(map(1L, "17", 3L, 0L)).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }

  @Nested
  class Get {
    @Test
    void step4_1_lengthPresent_isInvalidParameter() {
      assertThat(send(map(1L, 17L, 3L, 0L, 4L, 17L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_2_pinUvAuthParamOrProtocolPresent_isInvalidParameter() {
      assertThat(send(map(1L, 17L, 3L, 0L, 5L, Bytes.wrap(new byte[16]))).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
      assertThat(send(map(1L, 17L, 3L, 0L, 6L, 2L)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_3_getAboveMaxFragmentLength_isInvalidLength_atItIsFine() {
      assertThat(send(LargeBlobsRequest.get(0, MAX_FRAGMENT + 1)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
      assertThat(send(LargeBlobsRequest.get(0, MAX_FRAGMENT)).ok().bytes(0x01)).isEqualTo(INITIAL);
    }

    @Test
    void step4_4_offsetBeyondTheArray_isInvalidParameter() {
      assertThat(send(LargeBlobsRequest.get(18, 1)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_5_theBytesAtOffset_fewerAtTheEnd_noneAtTheLength() {
      assertThat(send(LargeBlobsRequest.get(1, 4)).ok().bytes(0x01)).isEqualTo(INITIAL.slice(1, 5));
      assertThat(send(LargeBlobsRequest.get(10, 100)).ok().bytes(0x01)).isEqualTo(INITIAL.slice(10, 17));
      assertThat(send(LargeBlobsRequest.get(17, 100)).ok().bytes(0x01)).isEqualTo(Bytes.EMPTY);
      assertThat(send(LargeBlobsRequest.get(0, 0)).ok().bytes(0x01)).isEqualTo(Bytes.EMPTY);
    }
  }

  @Nested
  class Set_ {
    @Test
    void step5_1_fragmentAboveMaxFragmentLength_isInvalidLength() {
      Bytes s = arrayOfAbout(3000);
      assertThat(send(set(0, s.slice(0, MAX_FRAGMENT + 1), Optional.of((long) s.length()))).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }

    @Test
    void step5_2_1_firstFragmentWithoutLength_isInvalidParameter() {
      assertThat(send(set(0, INITIAL, Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step5_2_2_lengthAboveMaxSerializedLargeBlobArray_isLargeBlobStorageFull() {
      assertThat(send(set(0, INITIAL, Optional.of((long) MAX_ARRAY + 1))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL);
      // Exactly maxSerializedLargeBlobArray fits.
      Bytes full = arrayOfAbout(MAX_ARRAY - 16 - 4);
      assertThat(full.length()).isEqualTo(MAX_ARRAY);
      assertThat(write(full, MAX_FRAGMENT, Optional.empty())).containsOnly(CtapStatus.CTAP2_OK);
      assertThat(send(LargeBlobsRequest.get(MAX_ARRAY - 16, 100)).ok().bytes(0x01)).isEqualTo(full.slice(MAX_ARRAY - 16, MAX_ARRAY));
    }

    @Test
    void step5_2_3_lengthBelow17_isInvalidParameter() {
      assertThat(send(set(0, INITIAL.slice(0, 16), Optional.of(16L))).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step5_3_lengthWithANonZeroOffset_isInvalidParameter() {
      Bytes s = arrayOfAbout(100);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(send(set(50, s.slice(50, s.length()), Optional.of((long) s.length()))).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step5_4_anOffsetOutOfSequence_isInvalidSeq() {
      Bytes s = arrayOfAbout(100);
      // Nothing begun: only offset 0 is expected.
      assertThat(send(set(50, s.slice(50, 60), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(send(set(51, s.slice(51, s.length()), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
      assertThat(send(set(40, s.slice(40, s.length()), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
      // The right offset still completes it.
      assertThat(send(set(50, s.slice(50, s.length()), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(read()).isEqualTo(s);
    }

    @Test
    void step5_6_aFragmentBeyondLength_isInvalidParameter() {
      Bytes s = arrayOfAbout(100);
      assertThat(send(set(0, s, Optional.of((long) s.length() - 1))).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void step5_10_1_aHashThatDoesNotMatch_isIntegrityFailure_andTheArrayStays() {
      byte[] bad = arrayOfAbout(100).toArray();
      bad[bad.length - 1] ^= 1;
      assertThat(write(Bytes.wrap(bad), 60, Optional.empty()))
          .containsExactly(CtapStatus.CTAP2_OK, CtapStatus.CTAP2_ERR_INTEGRITY_FAILURE);
      assertThat(read()).isEqualTo(INITIAL);
      // The failed write is over: a continuation is out of sequence.
      assertThat(send(set(bad.length, Bytes.wrap(new byte[1]), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
    }

    @Test
    void step5_10_2_fragmentsAtConsecutiveOffsets_replaceTheArray_whichGetReadsBack() {
      Bytes s = arrayOfAbout(3000);
      assertThat(write(s, MAX_FRAGMENT, Optional.empty())).containsExactly(CtapStatus.CTAP2_OK, CtapStatus.CTAP2_OK);
      Bytes first = send(LargeBlobsRequest.get(0, MAX_FRAGMENT)).ok().bytes(0x01);
      Bytes rest = send(LargeBlobsRequest.get(MAX_FRAGMENT, MAX_FRAGMENT)).ok().bytes(0x01);
      assertThat(Bytes.concat(first, rest)).isEqualTo(s);
      // A shorter array replaces it entirely.
      assertThat(write(INITIAL, MAX_FRAGMENT, Optional.empty())).containsExactly(CtapStatus.CTAP2_OK);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void step5_11_anIncompleteWrite_leavesTheStoredArray() {
      Bytes s = arrayOfAbout(100);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void aNewFirstFragment_abandonsTheWriteInProgress() {
      Bytes s = arrayOfAbout(100);
      Bytes t = arrayOfAbout(80);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(write(t, 40, Optional.empty())).containsOnly(CtapStatus.CTAP2_OK);
      assertThat(read()).isEqualTo(t);
    }

    @Test
    void aPowerCycle_forgetsTheWriteInProgress() {
      Bytes s = arrayOfAbout(100);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      dev.authenticator().powerCycle();
      assertThat(send(set(50, s.slice(50, s.length()), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void anAuthenticatorReset_endsTheWriteInProgress() {
      Bytes s = arrayOfAbout(100);
      assertThat(send(set(0, s.slice(0, 50), Optional.of((long) s.length()))).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      // The rest of the array written before the reset must not complete it afterwards.
      assertThat(send(set(50, s.slice(50, s.length()), Optional.empty())).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_SEQ);
      assertThat(read()).isEqualTo(INITIAL);
    }
  }

  @Nested
  class PinUvAuth {
    PinToken lbw(int protocol) {
      PlatformPin p = new PlatformPin(transport, protocol, true, RandomSource.seeded(11));
      return p.getPinUvAuthToken(PIN, Set.of(Permission.LARGE_BLOB_WRITE), Optional.empty());
    }

    @Test
    void step5_5_1_aProtectedKey_withoutPinUvAuthParam_isPuatRequired() {
      pin.setPin(PIN);
      assertThat(send(set(0, INITIAL, Optional.of(17L))).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    }

    @Test
    void step5_5_2_withoutPinUvAuthProtocol_isMissingParameter() {
      pin.setPin(PIN);
      assertThat(send(map(2L, INITIAL, 3L, 0L, 4L, 17L, 5L, Bytes.wrap(new byte[32]))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void step5_5_3_anUnsupportedProtocol_isInvalidParameter() {
      pin.setPin(PIN);
      assertThat(send(set(0, INITIAL, Optional.of(17L)).withPinUvAuth(3, Bytes.wrap(new byte[32]))).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step5_5_4_aPinUvAuthParamOverAnotherMessage_isPinAuthInvalid() {
      pin.setPin(PIN);
      PinToken t = lbw(2);
      Bytes s = arrayOfAbout(100);
      // Authenticated for offset 0 but sent at offset 50: the offset is part of the message.
      LargeBlobsRequest first = signed(set(0, s.slice(0, 50), Optional.of((long) s.length())), t);
      assertThat(send(first).status()).isEqualTo(CtapStatus.CTAP2_OK);
      Bytes wrongMac = t.authenticate(LargeBlobsRequest.pinUvAuthMessage(0, s.slice(50, s.length())).unsafeArray());
      assertThat(send(set(50, s.slice(50, s.length()), Optional.empty()).withPinUvAuth(2, wrongMac)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void step5_5_5_aTokenWithoutLbw_isPinAuthInvalid() {
      pin.setPin(PIN);
      PinToken mc = pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of("example.com"));
      assertThat(send(signed(set(0, INITIAL, Optional.of(17L)), mc)).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step5_5_anLbwToken_authenticatesEveryFragment(int protocol) {
      pin.setPin(PIN);
      Bytes s = arrayOfAbout(3000);
      assertThat(write(s, MAX_FRAGMENT, Optional.of(lbw(protocol)))).containsExactly(CtapStatus.CTAP2_OK, CtapStatus.CTAP2_OK);
      assertThat(Bytes.concat(read(), send(LargeBlobsRequest.get(MAX_FRAGMENT, MAX_FRAGMENT)).ok().bytes(0x01))).isEqualTo(s);
    }

    @Test
    void step5_5_lbwOutlivesTheClearingOfMakeCredentialSteps13to14() {
      pin.setPin(PIN);
      PinToken t = pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL, Permission.LARGE_BLOB_WRITE), Optional.of("example.com"));
      Map<Object, Object> mc = CtapTestClient.makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true));
      mc.put(8L, t.authenticate(((Bytes) mc.get(1L)).toArray()));
      mc.put(9L, 2L);
      dev.client().send(CtapCommand.MAKE_CREDENTIAL, mc).ok();
      assertThat(write(arrayOfAbout(50), MAX_FRAGMENT, Optional.of(t))).containsExactly(CtapStatus.CTAP2_OK);
    }

    @Test
    void step5_5_alwaysUvWithoutAPin_isPuatRequired_andReadsNeedNoToken() {
      new PlatformConfig(transport).toggleAlwaysUv(Optional.empty());
      assertThat(send(set(0, INITIAL, Optional.of(17L))).status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void anUnprotectedKey_acceptsUnauthenticatedWrites() {
      assertThat(write(arrayOfAbout(50), MAX_FRAGMENT, Optional.empty())).containsExactly(CtapStatus.CTAP2_OK);
    }
  }

  @Nested
  class Durability {
    @Test
    void theCommittedArray_isInTheStore_forTheNextAuthenticator() {
      MemoryStore store = new MemoryStore();
      Authenticator a = Authenticator.builder().store(store).seed(1).build();
      Bytes s = arrayOfAbout(200);
      CtapTestClient c = new CtapTestClient(a);
      assertThat(c.sendRaw(set(0, s, Optional.of((long) s.length())).encode()).status()).isEqualTo(CtapStatus.CTAP2_OK);
      // A kill after CTAP2_OK: a new authenticator over the same store reads the array.
      Authenticator b = Authenticator.builder().store(store).seed(2).build();
      assertThat(new CtapTestClient(b).sendRaw(LargeBlobsRequest.get(0, MAX_FRAGMENT).encode()).ok().bytes(0x01)).isEqualTo(s);
      assertThat(LargeBlobArray.read(store)).isEqualTo(s);
    }

    @Test
    void authenticatorReset_bringsBackTheInitialArray() {
      Bytes s = arrayOfAbout(200);
      assertThat(write(s, MAX_FRAGMENT, Optional.empty())).containsExactly(CtapStatus.CTAP2_OK);
      assertThat(dev.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(read()).isEqualTo(INITIAL);
    }

    @Test
    void aModelWithASmallerMaxMsgSize_hasASmallerMaxFragmentLength() {
      Profile p = Profiles.defaultProfile().toBuilder().maxMsgSize(1024).build();
      Device small = TestDevices.build(Authenticator.builder().profile(p));
      assertThat(LargeBlobsHandler.maxFragmentLength(p)).isEqualTo(960);
      assertThat(small.client().sendRaw(LargeBlobsRequest.get(0, 961).encode()).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
      assertThat(small.client().sendRaw(LargeBlobsRequest.get(0, 960).encode()).ok().bytes(0x01)).isEqualTo(INITIAL);
    }
  }
}
