package dev.softkey.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.verifier.exception.VerificationException;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full register + sign-in ceremonies (softkey's WebAuthnClient in front of the CTAP engine), each
 * response verified by two independent RP libraries: Yubico java-webauthn-server and webauthn4j.
 * Both trust only softkey's exported attestation root. The matrix covers every algorithm, every
 * attestation kind, discoverable and non-discoverable credentials, with and without a PIN
 * (WebAuthn L3 sections 7.1 and 7.2 are the RP-side checks being exercised).
 */
class RelyingPartyMatrixTest {
  static final String RP_ID = "example.com";
  static final String ORIGIN = "https://example.com";
  static final String OTHER_RP_ID = "login.example.com";
  static final String OTHER_ORIGIN = "https://login.example.com";
  static final Set<String> ORIGINS = Set.of(ORIGIN, OTHER_ORIGIN);
  static final String PIN = "493817";

  /** One cell of the matrix. */
  record Case(CoseAlgorithm alg, String attestation, boolean discoverable, boolean pin) {
    boolean certificateAttestation() {
      return attestation.equals("packed") || attestation.equals("fido-u2f");
    }

    UserVerificationRequirement uv() {
      return pin ? UserVerificationRequirement.REQUIRED : UserVerificationRequirement.DISCOURAGED;
    }

    Optional<String> pinText() {
      return pin ? Optional.of(PIN) : Optional.empty();
    }

    @Override
    public String toString() {
      return alg.jsonName() + " " + attestation + (discoverable ? " discoverable" : " server-side") + (pin ? " PIN" : " no-PIN");
    }
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (CoseAlgorithm alg : CoseAlgorithm.values()) {
      // fido-u2f carries a 65-byte P-256 public key, so it exists only for ES256.
      List<String> kinds = alg == CoseAlgorithm.ES256 ? List.of("packed", "self", "none", "fido-u2f") : List.of("packed", "self", "none");
      for (String kind : kinds) {
        for (boolean discoverable : new boolean[] {false, true}) {
          for (boolean pin : new boolean[] {false, true}) {
            out.add(new Case(alg, kind, discoverable, pin));
          }
        }
      }
    }
    return out.stream();
  }

  private static long seed(Case c) {
    return 1000L + c.toString().hashCode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void registerAndSignInTwice_verifiedByBothRelyingParties(Case c) throws Exception {
    SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.genericWithAttestation(c.attestation()), seed(c));
    if (c.pin()) {
      device.setPin(PIN);
    }
    // fido-u2f's x5c is the batch certificate alone (WebAuthn L3 section 8.6), so an RP trusts the
    // vendor intermediate that issued it, as it would trust a vendor's U2F root; packed's x5c
    // carries the intermediate and chains to the root.
    Bytes root =
        c.attestation().equals("fido-u2f")
            ? device.ca().intermediateCertificate(Profiles.defaultProfile().identity().vendor())
            : device.rootCertificate();
    YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, c.alg(), root, c.certificateAttestation());
    Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, c.alg(), root);

    // Registration: one response, the same challenge for both RPs.
    PublicKeyCredentialCreationOptions create = yubico.startRegistration(c.discoverable(), c.uv());
    RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), ORIGIN, c.pinText());
    assertThat(reg.publicKeyAlgorithm()).isEqualTo(c.alg().id());

    RegistrationResult yr = yubico.finishRegistration(create, reg);
    assertThat(yr.getAttestationType()).isEqualTo(expectedYubicoAttestationType(c.attestation()));
    assertThat(yr.isAttestationTrusted()).isEqualTo(c.certificateAttestation());
    assertThat(yr.isUserVerified()).isEqualTo(c.pin());
    assertThat(yr.isDiscoverable()).satisfiesAnyOf(d -> assertThat(d).isEmpty(), d -> assertThat(d).contains(c.discoverable()));

    RegistrationData wr = webauthn4j.register(reg, create.getChallenge().getBytes(), c.pin());
    assertThat(wr.getAttestationObject().getFormat()).isEqualTo(c.attestation().equals("self") ? "packed" : c.attestation());
    assertThat(wr.getAttestationObject().getAuthenticatorData().isFlagUV()).isEqualTo(c.pin());
    assertThat(
            wr.getAttestationObject().getAuthenticatorData().getAttestedCredentialData().getCOSEKey().getAlgorithm().getValue())
        .isEqualTo(c.alg().id());

    // Two sign-ins; each RP updates its stored signature counter, which must grow.
    long yubicoCount = yr.getSignatureCount();
    long webauthn4jCount = webauthn4j.counter(reg.rawId());
    for (int i = 0; i < 2; i++) {
      AssertionRequest get = yubico.startAssertion(c.discoverable(), c.uv());
      assertThat(get.getPublicKeyCredentialRequestOptions().getAllowCredentials().orElse(List.of()))
          .hasSize(c.discoverable() ? 0 : 1);
      AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), ORIGIN, c.pinText());
      assertThat(auth.rawId()).isEqualTo(reg.rawId());
      if (c.discoverable()) {
        assertThat(auth.userHandle()).contains(Bytes.wrap(YubicoRp.USER_HANDLE.getBytes()));
      }

      AssertionResult ar = yubico.finishAssertion(get, auth);
      assertThat(ar.isUserVerified()).isEqualTo(c.pin());
      assertThat(ar.isSignatureCounterValid()).isTrue();
      assertThat(ar.getUsername()).isEqualTo(YubicoRp.USERNAME);
      assertThat(ar.getSignatureCount()).isGreaterThan(yubicoCount);
      yubicoCount = ar.getSignatureCount();

      List<byte[]> allow = c.discoverable() ? null : List.of(reg.rawId().toArray());
      AuthenticationData ad = webauthn4j.authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), allow, c.pin());
      assertThat(ad.getAuthenticatorData().isFlagUV()).isEqualTo(c.pin());
      assertThat(webauthn4j.counter(reg.rawId())).isGreaterThan(webauthn4jCount).isEqualTo(yubicoCount);
      webauthn4jCount = webauthn4j.counter(reg.rawId());
      if (c.discoverable()) {
        assertThat(ad.getUserHandle()).isEqualTo(YubicoRp.USER_HANDLE.getBytes());
      }
    }
  }

  private static AttestationType expectedYubicoAttestationType(String kind) {
    return switch (kind) {
      case "packed", "fido-u2f" -> AttestationType.BASIC;
      case "self" -> AttestationType.SELF_ATTESTATION;
      default -> AttestationType.NONE;
    };
  }

  /** Tampered or misdirected responses: each RP must reject them (WebAuthn L3 section 7.2). */
  @Nested
  class RejectedAssertions {
    private final Case c = new Case(CoseAlgorithm.ES256, "packed", false, false);
    private SoftkeyDevice device;
    private YubicoRp yubico;
    private Webauthn4jRp webauthn4j;
    private Bytes credentialId;

    @BeforeEach
    void register() throws Exception {
      device = SoftkeyDevice.open(SoftkeyDevice.genericWithAttestation("packed"), 77);
      Bytes root = device.rootCertificate();
      yubico = new YubicoRp(RP_ID, ORIGINS, c.alg(), root, true);
      webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, c.alg(), root);
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, c.uv());
      RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.empty());
      yubico.finishRegistration(create, reg);
      webauthn4j.register(reg, create.getChallenge().getBytes(), false);
      credentialId = reg.rawId();
    }

    private void assertBothReject(AssertionRequest request, AuthenticationResponse response) {
      assertThatThrownBy(() -> yubico.finishAssertion(request, response)).isInstanceOf(AssertionFailedException.class);
      assertThatThrownBy(
              () ->
                  webauthn4j.authenticate(
                      response,
                      request.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(),
                      List.of(credentialId.toArray()),
                      false))
          .isInstanceOf(VerificationException.class);
    }

    @Test
    void untamperedAssertion_isAccepted() throws Exception {
      AssertionRequest get = yubico.startAssertion(false, c.uv());
      AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());

      assertThat(yubico.finishAssertion(get, auth).isSuccess()).isTrue();
      webauthn4j.authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), List.of(credentialId.toArray()), false);
    }

    @Test
    void flippedBitInSignature_isRejected() throws Exception {
      AssertionRequest get = yubico.startAssertion(false, c.uv());
      AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());
      byte[] sig = auth.signature().toArray();
      sig[sig.length - 1] ^= 0x01;
      AuthenticationResponse tampered =
          new AuthenticationResponse(auth.rawId(), auth.clientDataJson(), auth.authenticatorData(), Bytes.wrap(sig), auth.userHandle());

      assertBothReject(get, tampered);
    }

    @Test
    void otherChallengeInClientDataJson_isRejected() throws Exception {
      AssertionRequest get = yubico.startAssertion(false, c.uv());
      String challenge = get.getPublicKeyCredentialRequestOptions().getChallenge().getBase64Url();
      String other = Bytes.wrap(RandomSource.seeded(5).bytes(32)).base64Url();
      // The authenticator signs a clientDataJSON that honestly carries the other challenge.
      AuthenticationResponse auth =
          device.client().get(get.toCredentialsGetJson().replace(challenge, other), ORIGIN, Optional.empty());
      assertThat(auth.clientDataJson().toArray()).asString().contains(other);

      assertBothReject(get, auth);
    }

    @Test
    void wrongOrigin_isRejected() throws Exception {
      AssertionRequest get = yubico.startAssertion(false, c.uv());
      AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), "https://evil.example.com", Optional.empty());

      assertBothReject(get, auth);
    }

    @Test
    void authenticatorDataOfAnotherRpId_isRejected() throws Exception {
      // A credential registered (and accepted) at login.example.com, then known to example.com's RP
      // too: its genuine assertion for login.example.com carries the other rpIdHash.
      Bytes root = device.rootCertificate();
      YubicoRp loginYubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), c.alg(), root, true);
      Webauthn4jRp loginWebauthn4j = new Webauthn4jRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), c.alg(), root);
      PublicKeyCredentialCreationOptions create = loginYubico.startRegistration(false, c.uv());
      RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), OTHER_ORIGIN, Optional.empty());
      loginYubico.finishRegistration(create, reg);
      RegistrationData data = loginWebauthn4j.register(reg, create.getChallenge().getBytes(), false);
      yubico.add(loginYubico.credential(reg.rawId()).orElseThrow());
      webauthn4j.add(reg.rawId(), data);
      credentialId = reg.rawId();

      AssertionRequest get = yubico.startAssertion(false, c.uv());
      String json = get.toCredentialsGetJson();
      assertThat(json).contains("\"rpId\":\"" + RP_ID + "\"");
      AuthenticationResponse auth =
          device.client().get(json.replace("\"rpId\":\"" + RP_ID + "\"", "\"rpId\":\"" + OTHER_RP_ID + "\""), OTHER_ORIGIN, Optional.empty());
      assertThat(auth.rawId()).isEqualTo(reg.rawId());

      assertBothReject(get, auth);
    }
  }

  /** Packed batch attestation chains only to the root that issued it. */
  @Nested
  class UntrustedAttestation {
    @Test
    void packedAttestation_isRejectedWhenTheRelyingPartyTrustsAnotherRoot() throws Exception {
      SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.genericWithAttestation("packed"), 78);
      Bytes otherRoot = new AttestationCa(new MemoryStore(), RandomSource.seeded(79), Clock.systemUTC()).rootCertificate();
      assertThat(otherRoot).isNotEqualTo(device.rootCertificate());
      YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, otherRoot, true);
      Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, otherRoot);

      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);
      RegistrationResponse reg = device.client().create(create.toCredentialsCreateJson(), ORIGIN, Optional.empty());

      assertThatThrownBy(() -> yubico.finishRegistration(create, reg)).isInstanceOf(RegistrationFailedException.class);
      assertThatThrownBy(() -> webauthn4j.register(reg, create.getChallenge().getBytes(), false))
          .isInstanceOf(VerificationException.class);
    }
  }
}
