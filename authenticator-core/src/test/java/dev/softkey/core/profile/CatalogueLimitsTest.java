package dev.softkey.core.profile;

import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each model's limits are enforced (CTAP 2.1 section 6.4): resident capacity (then
 * CTAP2_ERR_KEY_STORE_FULL, section 6.1.2 step 17), credentials per allow or exclude list (longer
 * lists: CTAP2_ERR_LIMIT_EXCEEDED), message size (longer requests: CTAP1_ERR_INVALID_LENGTH).
 * Credential ID length per algorithm: {@code extension.CredentialIdLengthTest}.
 */
class CatalogueLimitsTest {
  static final String RP = "limits.example";
  static final String PIN = "limits-4711";

  static Stream<String> ids() {
    return Profiles.BUILT_IN.stream();
  }

  /** A factory-fresh key of one profile with a PIN set, and tokens from it for every request. */
  static final class Key {
    final Profile profile;
    final CtapTestClient client;
    final PlatformPin pin;

    Key(Profile profile) {
      this.profile = profile;
      TestDevices.Device d = TestDevices.build(Authenticator.builder().profile(profile).presence(Presence.approve()).noEnrolledFingerprint());
      client = d.client();
      pin = new PlatformPin(
          req -> d.authenticator().process(req, OperationContext.INTERNAL),
          profile.getInfo().pinUvAuthProtocols().get(0),
          profile.getInfo().supports(CtapVersion.FIDO_2_1),
          RandomSource.seeded(3));
      pin.setPin(PIN);
    }

    /** makeCredential with a fresh mc token (0x09, or getPinToken on keys without pinUvAuthToken). */
    CtapTestClient.Response makeCredential(byte[] userId, boolean rk, List<Bytes> excludeList) {
      Map<Object, Object> mc = CtapTestClient.makeCredential(RP, userId, List.of(-7L), rk ? map("rk", true) : null);
      if (!excludeList.isEmpty()) {
        mc.put(5L, excludeList.stream().map(id -> (Object) map("id", id, "type", "public-key")).toList());
      }
      PinToken t = pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of(RP));
      mc.put(8L, t.authenticate(((Bytes) mc.get(1L)).toArray()));
      mc.put(9L, (long) t.protocol());
      return client.send(CtapCommand.MAKE_CREDENTIAL, mc);
    }

    /** A silent getAssertion (up false: no touch, and alwaysUv does not apply, section 6.2.2 step 5). */
    CtapTestClient.Response silentAssertion(List<Bytes> allowList) {
      return client.send(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion(RP, allowList, map("up", false)));
    }

    GetInfoResponse info() {
      return GetInfoResponse.fromCbor(client.send(CtapCommand.GET_INFO, null).ok());
    }
  }

  /** {@code n} credential IDs of {@code length} bytes that no key made. */
  static List<Bytes> unknownIds(int n, int length) {
    List<Bytes> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] id = new byte[length];
      Arrays.fill(id, (byte) (i + 1));
      out.add(Bytes.wrap(id));
    }
    return out;
  }

  @Nested
  class ResidentCapacity {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueLimitsTest#ids")
    void step17_theCredentialAfterTheLastThatFits_isKeyStoreFull(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      if (!p.getInfo().options().rk()) {
        return; // no discoverable credentials at all (rk false): the rk option test covers UNSUPPORTED_OPTION
      }
      Key k = new Key(p);
      int capacity = p.limits().maxResidentCredentials();
      for (int i = 0; i < capacity; i++) {
        byte[] user = {(byte) (i >> 8), (byte) i, 7};
        assertThat(k.makeCredential(user, true, List.of()).status()).as("%s credential %d of %d", id, i + 1, capacity).isEqualTo(CtapStatus.CTAP2_OK);
      }
      assertThat(k.makeCredential(new byte[] {-1, -1, -1}, true, List.of()).status()).as(id).isEqualTo(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
      // A non-discoverable credential needs no storage and is still made.
      assertThat(k.makeCredential(new byte[] {-1, -1, -2}, false, List.of()).status()).as(id).isEqualTo(CtapStatus.CTAP2_OK);
      k.info().remainingDiscoverableCredentials().ifPresent(r -> assertThat(r).as(id).isZero());
    }
  }

  @Nested
  class CredentialsPerList {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueLimitsTest#ids")
    void anAllowListLongerThanMaxCredentialCountInList_isLimitExceeded(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      Key k = new Key(p);
      int max = p.limits().maxCredentialCountInList();
      int length = 16; // short, so that the longest list fits the smallest maxMsgSize (1024)
      assertThat(k.silentAssertion(unknownIds(max, length)).status()).as(id).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(k.silentAssertion(unknownIds(max + 1, length)).status()).as(id).isEqualTo(CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueLimitsTest#ids")
    void anExcludeListLongerThanMaxCredentialCountInList_isLimitExceeded(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      Key k = new Key(p);
      int max = p.limits().maxCredentialCountInList();
      int length = 16; // short, so that the longest list fits the smallest maxMsgSize (1024)
      assertThat(k.makeCredential(new byte[] {1}, false, unknownIds(max, length)).status()).as(id).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.makeCredential(new byte[] {2}, false, unknownIds(max + 1, length)).status()).as(id).isEqualTo(CtapStatus.CTAP2_ERR_LIMIT_EXCEEDED);
    }
  }

  @Nested
  class MessageSize {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueLimitsTest#ids")
    void aRequestLongerThanMaxMsgSize_isInvalidLength(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      Key k = new Key(p);
      int max = p.limits().maxMsgSize();
      // A makeCredential whose user name pads the CBOR request to exactly maxMsgSize bytes is
      // parsed (and made); one byte more is refused before parsing.
      assertThat(k.client.sendRaw(paddedMakeCredential(k, max)).status()).as(id).isEqualTo(CtapStatus.CTAP2_OK);
      assertThat(k.client.sendRaw(paddedMakeCredential(k, max + 1)).status()).as(id).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }
  }

  /** A makeCredential request (command byte included) of exactly {@code length} bytes. */
  static byte[] paddedMakeCredential(Key k, int length) {
    PinToken t = k.pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of(RP));
    for (int pad = Math.max(0, length - 400); pad <= length; pad++) {
      Map<Object, Object> mc = CtapTestClient.makeCredential(RP, new byte[] {9}, List.of(-7L), null);
      mc.put(3L, map("id", Bytes.wrap(new byte[] {9}), "name", "u".repeat(pad)));
      mc.put(8L, t.authenticate(((Bytes) mc.get(1L)).toArray()));
      mc.put(9L, (long) t.protocol());
      byte[] cbor = dev.softkey.ctap.cbor.CborEncoder.encode(mc);
      if (cbor.length + 1 == length) {
        byte[] out = new byte[length];
        out[0] = (byte) CtapCommand.MAKE_CREDENTIAL.code();
        System.arraycopy(cbor, 0, out, 1, cbor.length);
        return out;
      }
    }
    throw new AssertionError("no padding makes a request of " + length + " bytes");
  }
}
