package dev.softkey.core.interop;

import static dev.softkey.core.interop.RelyingPartyMatrixTest.ORIGIN;
import static dev.softkey.core.interop.RelyingPartyMatrixTest.ORIGINS;
import static dev.softkey.core.interop.RelyingPartyMatrixTest.RP_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.RegistrationData;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.pin.ClientPin;
import dev.softkey.core.bio.Fingers;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ceremonies with userVerification "required" on the {@code bio} profile, without a PIN: the
 * fingerprint (one pre-enrolled template, the default sensor that follows the approve presence
 * policy) verifies the user, and both Yubico java-webauthn-server and webauthn4j accept the UV
 * flag, trusting only softkey's root. Two platform behaviours: a token from built-in UV
 * (getPinUvAuthTokenUsingUvWithPermissions, CTAP 2.1 section 6.5.5.7.3, as Chrome and libfido2 do)
 * and the CTAP 2.0 "uv" option (makeCredential step 11.2, getAssertion step 6.2).
 */
class BioRelyingPartyTest {
  static final String PIN = "493817";

  enum Platform {
    UV_TOKEN,
    UV_OPTION
  }

  record Case(CoseAlgorithm alg, boolean discoverable, Platform platform) {
    @Override
    public String toString() {
      return alg.jsonName() + (discoverable ? " discoverable" : " server-side") + " " + platform;
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (CoseAlgorithm alg : SoftkeyDevice.bio().getInfo().algorithms()) {
      for (boolean discoverable : new boolean[] {false, true}) {
        for (Platform platform : Platform.values()) {
          out.add(new Case(alg, discoverable, platform));
        }
      }
    }
    return out.stream();
  }

  private static WebAuthnClient client(SoftkeyDevice device, Platform platform) {
    return platform == Platform.UV_TOKEN ? device.client() : device.clientWithoutUvTokens();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void uvRequired_withoutAPin_registerAndSignIn_verifiedByBothRelyingParties(Case c) throws Exception {
    SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.bio(), 2000L + c.toString().hashCode());
    WebAuthnClient client = client(device, c.platform());
    assertThat(client.getInfo().hasBuiltInUv()).isTrue();
    assertThat(client.getInfo().isPinSet()).isFalse();
    Bytes root = device.rootCertificate();
    YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, c.alg(), root, true);
    Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, c.alg(), root);

    PublicKeyCredentialCreationOptions create = yubico.startRegistration(c.discoverable(), UserVerificationRequirement.REQUIRED);
    RegistrationResponse reg = client.create(create.toCredentialsCreateJson(), ORIGIN, Optional.empty());
    RegistrationResult yr = yubico.finishRegistration(create, reg);
    assertThat(yr.isUserVerified()).isTrue();
    assertThat(yr.getAttestationType()).isEqualTo(AttestationType.BASIC);
    assertThat(yr.isAttestationTrusted()).isTrue();
    RegistrationData wr = webauthn4j.register(reg, create.getChallenge().getBytes(), true);
    assertThat(wr.getAttestationObject().getAuthenticatorData().isFlagUV()).isTrue();
    assertThat(wr.getAttestationObject().getAuthenticatorData().isFlagUP()).isTrue();

    long count = yr.getSignatureCount();
    for (int i = 0; i < 2; i++) {
      AssertionRequest get = yubico.startAssertion(c.discoverable(), UserVerificationRequirement.REQUIRED);
      AuthenticationResponse auth = client.get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());
      assertThat(auth.rawId()).isEqualTo(reg.rawId());
      AssertionResult ar = yubico.finishAssertion(get, auth);
      assertThat(ar.isUserVerified()).isTrue();
      assertThat(ar.getSignatureCount()).isGreaterThan(count);
      count = ar.getSignatureCount();
      List<byte[]> allow = c.discoverable() ? null : List.of(reg.rawId().toArray());
      AuthenticationData ad =
          webauthn4j.authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), allow, true);
      assertThat(ad.getAuthenticatorData().isFlagUV()).isTrue();
      assertThat(webauthn4j.counter(reg.rawId())).isEqualTo(count);
      if (c.discoverable()) {
        assertThat(ad.getUserHandle()).isEqualTo(YubicoRp.USER_HANDLE.getBytes());
      }
    }

    // "discouraged": a touch only, and both RPs see that the user was not verified.
    AssertionRequest get = yubico.startAssertion(c.discoverable(), UserVerificationRequirement.DISCOURAGED);
    AuthenticationResponse auth = client.get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());
    assertThat(yubico.finishAssertion(get, auth).isUserVerified()).isFalse();
    List<byte[]> allow = c.discoverable() ? null : List.of(reg.rawId().toArray());
    assertThat(
            webauthn4j
                .authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), allow, false)
                .getAuthenticatorData()
                .isFlagUV())
        .isFalse();
    assertThat(device.pin().uvRetries()).isEqualTo(ClientPin.MAX_UV_RETRIES);
  }

  /** A bio key with a PIN set: the fingerprint first, the PIN as the fallback once UV is blocked. */
  @Nested
  class WithPinSet {
    @Test
    void uvToken_isPreferred_theGivenPinIsNotEvenTried() throws Exception {
      SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.bio(), 2101);
      device.setPin(PIN);
      Bytes root = device.rootCertificate();
      YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root, true);
      Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root);

      PublicKeyCredentialCreationOptions create = yubico.startRegistration(true, UserVerificationRequirement.REQUIRED);
      RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.of("000000"));
      assertThat(yubico.finishRegistration(create, reg).isUserVerified()).isTrue();
      webauthn4j.register(reg, create.getChallenge().getBytes(), true);
      assertThat(device.pin().pinRetries()).as("a wrong PIN, never sent").isEqualTo(ClientPin.MAX_PIN_RETRIES);
    }

    @Test
    void builtInUvBlocked_thePinIsTheFallback_andRestoresUvRetries() throws Exception {
      SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.bio(), 2102, Fingers.unknown());
      device.setPin(PIN);
      Bytes root = device.rootCertificate();
      YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root, true);
      Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root);

      // Another finger, without the PIN: each ceremony fails, three attempts at a time.
      for (int i = 0; i < 2; i++) {
        PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.REQUIRED);
        assertThatThrownBy(() -> device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.empty()))
            .isInstanceOfSatisfying(
                WebAuthnException.class, e -> assertThat(e.ctapStatus()).contains(CtapStatus.CTAP2_ERR_UV_INVALID));
      }
      assertThat(device.pin().uvRetries()).isEqualTo(2);

      // With the PIN given: UV fails to 0 (UV_BLOCKED), then the PIN token does the ceremony.
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.REQUIRED);
      RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.of(PIN));
      assertThat(yubico.finishRegistration(create, reg).isUserVerified()).isTrue();
      assertThat(webauthn4j.register(reg, create.getChallenge().getBytes(), true).getAttestationObject().getAuthenticatorData().isFlagUV())
          .isTrue();
      assertThat(device.pin().uvRetries()).as("a correct PIN restores uvRetries").isEqualTo(ClientPin.MAX_UV_RETRIES);
      assertThat(device.client().getInfo().hasBuiltInUv()).as("getInfo uv stayed true while blocked").isTrue();

      AssertionRequest get = yubico.startAssertion(false, UserVerificationRequirement.REQUIRED);
      AuthenticationResponse auth = device.clientWithoutUvTokens().get(get.toCredentialsGetJson(), ORIGIN, Optional.of(PIN));
      assertThat(yubico.finishAssertion(get, auth).isUserVerified()).isTrue();
      webauthn4j.authenticate(
          auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), List.of(reg.rawId().toArray()), true);
    }
  }
}
