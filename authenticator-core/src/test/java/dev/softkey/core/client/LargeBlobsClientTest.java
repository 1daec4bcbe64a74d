package dev.softkey.core.client;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.LargeBlobArray;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.largeblob.LargeBlobs;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The platform's large-blob client ({@code dev.softkey.platform.largeblob.LargeBlobs}) against the
 * real authenticator: keys from the largeBlobKey extension, entries written and read over
 * authenticatorLargeBlobs with an lbw token.
 */
class LargeBlobsClientTest {
  static final String RP = "example.com";
  static final String PIN = "493817";

  /** A device with the platform's clients in front of it, counting the set fragments that reach it. */
  static final class Key {
    final Device dev;
    final CtapTransport transport;
    final PlatformPin pin;
    final List<Integer> fragmentsWritten = new ArrayList<>();

    Key(Profile p) {
      dev = TestDevices.build(Authenticator.builder().profile(p));
      transport =
          req -> {
            if (req[0] == (byte) CtapCommand.LARGE_BLOBS.code() && req.length > 2 && req[2] == 0x02) {
              fragmentsWritten.add(req.length);
            }
            return dev.authenticator().process(req, OperationContext.INTERNAL);
          };
      pin = new PlatformPin(transport::transact, 2, RandomSource.seeded(9));
    }

    AuthenticatorInfo info() {
      return CredentialManager.getInfo(transport);
    }

    /** A discoverable credential made with largeBlobKey true: its key (makeCredential member 0x05). */
    Bytes newKey(byte[] userId) {
      Map<Object, Object> p = makeCredential(RP, userId, List.of(-7L), map("rk", true));
      p.put(6L, map("largeBlobKey", true));
      if (info().isPinSet()) {
        PinToken t = pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of(RP));
        p.put(8L, t.authenticate(((Bytes) p.get(1L)).toArray()));
        p.put(9L, 2L);
      }
      return dev.client().send(CtapCommand.MAKE_CREDENTIAL, p).ok().bytes(0x05);
    }

    LargeBlobs blobs(Optional<PinToken> token) {
      return new LargeBlobs(transport, info(), token, RandomSource.seeded(4));
    }

    PinToken lbw() {
      return pin.getPinUvAuthToken(PIN, Set.of(Permission.LARGE_BLOB_WRITE), Optional.empty());
    }
  }

  final Key k = new Key(Profiles.defaultProfile());
  final Device dev = k.dev;
  final PlatformPin pin = k.pin;
  final List<Integer> fragmentsWritten = k.fragmentsWritten;

  Bytes newKey(byte[] userId) {
    return k.newKey(userId);
  }

  LargeBlobs blobs(Optional<PinToken> token) {
    return k.blobs(token);
  }

  PinToken lbw() {
    return k.lbw();
  }

  static Bytes text(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNewKey_hasNoEntries() {
    assertThat(blobs(Optional.empty()).entries()).isEmpty();
    assertThat(blobs(Optional.empty()).readSerialized()).isEqualTo(LargeBlobArray.INITIAL);
  }

  @Test
  void putGetDelete_withAnLbwToken() {
    pin.setPin(PIN);
    Bytes alice = newKey(new byte[] {1});
    Bytes bob = newKey(new byte[] {2});
    LargeBlobs lb = blobs(Optional.of(lbw()));
    lb.put(alice, text("ssh certificate of alice"));
    lb.put(bob, text("bob's"));
    assertThat(lb.get(alice)).contains(text("ssh certificate of alice"));
    assertThat(lb.get(bob)).contains(text("bob's"));
    assertThat(lb.entries()).hasSize(2);
    // put replaces the credential's entry.
    lb.put(alice, text("renewed"));
    assertThat(lb.entries()).hasSize(2);
    assertThat(lb.get(alice)).contains(text("renewed"));
    // delete removes it, and only it.
    assertThat(lb.delete(alice)).isTrue();
    assertThat(lb.get(alice)).isEmpty();
    assertThat(lb.get(bob)).contains(text("bob's"));
    assertThat(lb.delete(alice)).isFalse();
  }

  @Test
  void aProtectedKey_refusesAWriteWithoutAToken() {
    pin.setPin(PIN);
    Bytes alice = newKey(new byte[] {1});
    assertThatThrownBy(() -> blobs(Optional.empty()).put(alice, text("x")))
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED));
    // Reading needs no token.
    assertThat(blobs(Optional.empty()).get(alice)).isEmpty();
  }

  @Test
  void aLargeEntry_travelsInSeveralFragments_eachAuthenticated() {
    pin.setPin(PIN);
    Bytes alice = newKey(new byte[] {1});
    // Incompressible data larger than maxFragmentLength (1984).
    Bytes data = Bytes.wrap(RandomSource.seeded(1).bytes(3000));
    LargeBlobs lb = blobs(Optional.of(lbw()));
    lb.put(alice, data);
    assertThat(fragmentsWritten).hasSize(2);
    assertThat(lb.get(alice)).contains(data);
    assertThat(lb.readSerialized().length()).isGreaterThan(lb.maxFragmentLength());
  }

  @Test
  void beyondMaxSerializedLargeBlobArray_isLargeBlobStorageFull_andTheArrayStays() {
    Bytes alice = newKey(new byte[] {1});
    LargeBlobs lb = blobs(Optional.empty());
    lb.put(alice, text("kept"));
    Bytes tooBig = Bytes.wrap(RandomSource.seeded(2).bytes(4096));
    assertThatThrownBy(() -> lb.put(newKey(new byte[] {2}), tooBig))
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_LARGE_BLOB_STORAGE_FULL));
    assertThat(lb.get(alice)).contains(text("kept"));
  }

  @Test
  void anEmptyBlob_roundTrips() {
    Bytes alice = newKey(new byte[] {1});
    LargeBlobs lb = blobs(Optional.empty());
    lb.put(alice, Bytes.EMPTY);
    assertThat(lb.get(alice)).contains(Bytes.EMPTY);
  }

  @Test
  void theKeyFromGetAssertion_opensTheEntryWrittenWithTheKeyFromMakeCredential() {
    Bytes alice = newKey(new byte[] {1});
    blobs(Optional.empty()).put(alice, text("hello"));
    Map<Object, Object> p = getAssertion(RP, List.of(), null);
    p.put(4L, map("largeBlobKey", true));
    Bytes fromGa = dev.client().send(CtapCommand.GET_ASSERTION, p).ok().bytes(0x07);
    assertThat(blobs(Optional.empty()).get(fromGa)).contains(text("hello"));
  }

  @Test
  void aKeyWithoutLargeBlobs_isInvalidCommand() {
    Device yk = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("yubikey-5").orElseThrow()));
    CtapTransport t = req -> yk.authenticator().process(req, OperationContext.INTERNAL);
    assertThatThrownBy(() -> new LargeBlobs(t, CredentialManager.getInfo(t), Optional.empty()))
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND));
  }

  @Nested
  class SmallMaxMsgSize {
    final Key small = new Key(Profiles.defaultProfile().toBuilder().maxMsgSize(1024).build());

    @Test
    void readsAndWritesIn960BytePieces() {
      Bytes alice = small.newKey(new byte[] {1});
      LargeBlobs lb = small.blobs(Optional.empty());
      assertThat(lb.maxFragmentLength()).isEqualTo(960);
      Bytes data = Bytes.wrap(RandomSource.seeded(3).bytes(2500));
      lb.put(alice, data);
      assertThat(small.fragmentsWritten).hasSize(3);
      assertThat(lb.get(alice)).contains(data);
    }
  }
}
