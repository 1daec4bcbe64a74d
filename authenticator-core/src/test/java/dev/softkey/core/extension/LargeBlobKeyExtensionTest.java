package dev.softkey.core.extension;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.pin.PlatformPin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The largeBlobKey extension (CTAP 2.1 section 12.3): the key of a discoverable credential in the
 * makeCredential response (0x05), the getAssertion response (0x07) and enumerateCredentials (0x0B),
 * never in authenticatorData.
 */
class LargeBlobKeyExtensionTest {
  static final String RP = "example.com";
  static final String PIN = "493817";

  final Device dev = TestDevices.generic();

  CtapTestClient.Response mc(byte[] userId, Object input, boolean rk) {
    Map<Object, Object> p = makeCredential(RP, userId, List.of(-7L), rk ? map("rk", true) : null);
    if (input != null) {
      p.put(6L, map("largeBlobKey", input));
    }
    return dev.client().send(CtapCommand.MAKE_CREDENTIAL, p);
  }

  CtapTestClient.Response ga(List<Bytes> allow, Object input) {
    Map<Object, Object> p = getAssertion(RP, allow, null);
    if (input != null) {
      p.put(4L, map("largeBlobKey", input));
    }
    return dev.client().send(CtapCommand.GET_ASSERTION, p);
  }

  static Bytes credentialId(CborMap mcResponse) {
    return AuthenticatorData.parse(mcResponse.bytes(2)).attestedCredentialData().orElseThrow().credentialId();
  }

  @Test
  void getInfo_listsLargeBlobKey_whereTheProfileHasIt() {
    assertThat(dev.client().send(CtapCommand.GET_INFO, null).ok().list(0x02)).contains("largeBlobKey");
    Device yk = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("yubikey-5").orElseThrow()));
    assertThat(yk.client().send(CtapCommand.GET_INFO, null).ok().optList(0x02).orElse(List.of())).doesNotContain("largeBlobKey");
  }

  @Nested
  class MakeCredential {
    @Test
    void true_withRk_returnsA32ByteKeyInMember5_notInAuthenticatorData() {
      CborMap r = mc(new byte[] {1}, true, true).ok();
      assertThat(r.bytes(0x05).length()).isEqualTo(32);
      AuthenticatorData ad = AuthenticatorData.parse(r.bytes(0x02));
      assertThat(ad.flags() & AuthenticatorData.ED).isZero();
      assertThat(ad.extensions()).isEmpty();
    }

    @Test
    void eachCredential_getsItsOwnRandomKey() {
      Bytes a = mc(new byte[] {1}, true, true).ok().bytes(0x05);
      Bytes b = mc(new byte[] {2}, true, true).ok().bytes(0x05);
      assertThat(a).isNotEqualTo(b);
    }

    @Test
    void noInput_noKey() {
      assertThat(mc(new byte[] {1}, null, true).ok().has(0x05)).isFalse();
    }

    @Test
    void withoutRk_isInvalidOption() {
      assertThat(mc(new byte[] {1}, true, false).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }

    @Test
    void false_isInvalidOption() {
      assertThat(mc(new byte[] {1}, false, true).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }

    @Test
    void notABoolean_isCborUnexpectedType() {
      assertThat(mc(new byte[] {1}, 1L, true).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void theKey_doesNotLengthenTheCredentialId() {
      Bytes without = credentialId(mc(new byte[] {1}, null, true).ok());
      Bytes with = credentialId(mc(new byte[] {2}, true, true).ok());
      assertThat(with.length()).isEqualTo(without.length());
    }

    @Test
    void aModelWithoutTheExtension_ignoresTheInput() {
      Device yk = TestDevices.build(Authenticator.builder().profile(Profiles.builtIn("yubikey-5").orElseThrow()));
      Map<Object, Object> p = makeCredential(RP, new byte[] {1}, List.of(-7L), map("rk", true));
      p.put(6L, map("largeBlobKey", true));
      assertThat(yk.client().send(CtapCommand.MAKE_CREDENTIAL, p).ok().has(0x05)).isFalse();
    }
  }

  @Nested
  class GetAssertion {
    @Test
    void true_returnsTheCredentialsKeyInMember7() {
      CborMap made = mc(new byte[] {1}, true, true).ok();
      CborMap r = ga(List.of(), true).ok();
      assertThat(r.bytes(0x07)).isEqualTo(made.bytes(0x05));
      assertThat(AuthenticatorData.parse(r.bytes(0x02)).extensions()).isEmpty();
      // Through the allowList too.
      assertThat(ga(List.of(credentialId(made)), true).ok().bytes(0x07)).isEqualTo(made.bytes(0x05));
    }

    @Test
    void noInput_noKey() {
      mc(new byte[] {1}, true, true).ok();
      assertThat(ga(List.of(), null).ok().has(0x07)).isFalse();
    }

    @Test
    void aCredentialWithoutAKey_hasNone() {
      mc(new byte[] {1}, null, true).ok();
      assertThat(ga(List.of(), true).ok().has(0x07)).isFalse();
    }

    @Test
    void false_isInvalidOption() {
      mc(new byte[] {1}, true, true).ok();
      assertThat(ga(List.of(), false).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }

    @Test
    void getNextAssertion_returnsEachCredentialsOwnKey() {
      Bytes first = mc(new byte[] {1}, true, true).ok().bytes(0x05);
      Bytes second = mc(new byte[] {2}, true, true).ok().bytes(0x05);
      CborMap r = ga(List.of(), true).ok();
      CborMap next = dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).ok();
      assertThat(List.of(r.bytes(0x07), next.bytes(0x07))).containsExactlyInAnyOrder(first, second);
    }
  }

  @Nested
  class CredentialManagement {
    @Test
    void enumerateCredentials_reportsTheKey_ofCredentialsThatHaveOne() {
      Bytes key = mc(new byte[] {1}, true, true).ok().bytes(0x05);
      mc(new byte[] {2}, null, true).ok();
      var transport = (dev.softkey.platform.CtapTransport) req -> dev.authenticator().process(req, OperationContext.INTERNAL);
      PlatformPin pin = new PlatformPin(transport::transact, 2, RandomSource.seeded(5));
      pin.setPin(PIN);
      CredentialManager cm = CredentialManager.open(transport, pin, Optional.of(PIN), Optional.empty());
      List<CredentialManager.Credential> creds = cm.credentials(RP);
      assertThat(creds).hasSize(2);
      assertThat(creds).filteredOn(c -> c.user().id().equals(Bytes.wrap(new byte[] {1})))
          .singleElement()
          .satisfies(c -> assertThat(c.largeBlobKey()).contains(key));
      assertThat(creds).filteredOn(c -> c.user().id().equals(Bytes.wrap(new byte[] {2})))
          .singleElement()
          .satisfies(c -> assertThat(c.largeBlobKey()).isEmpty());
    }
  }
}
