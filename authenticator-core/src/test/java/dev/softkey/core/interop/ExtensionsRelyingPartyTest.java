package dev.softkey.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.extension.CredentialProtectionPolicy;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AssertionExtensionInputs;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.ClientRegistrationExtensionOutputs;
import com.yubico.webauthn.data.Extensions.CredentialProtection.CredentialProtectionInput;
import static com.yubico.webauthn.data.Extensions.CredentialProtection.CredentialProtectionPolicy.UV_OPTIONAL_WITH_CREDENTIAL_ID_LIST;
import com.yubico.webauthn.data.Extensions.LargeBlob.LargeBlobAuthenticationInput;
import com.yubico.webauthn.data.Extensions.LargeBlob.LargeBlobRegistrationInput.LargeBlobSupport;
import com.yubico.webauthn.data.Extensions.Prf.PrfAuthenticationInput;
import com.yubico.webauthn.data.Extensions.Prf.PrfRegistrationInput;
import com.yubico.webauthn.data.Extensions.Prf.PrfValues;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RegistrationExtensionInputs;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Both RP libraries verify registrations and assertions that carry extension outputs (credProps,
 * credProtect, prf over hmac-secret, largeBlob, credBlob, hmacGetSecret) from softkey's client and
 * authenticator, and a registration with attestation "none" (fmt none, zero AAGUID).
 */
class ExtensionsRelyingPartyTest {
  static final String RP_ID = "example.com";
  static final String ORIGIN = "https://example.com";
  static final Set<String> ORIGINS = Set.of(ORIGIN);
  static final ObjectMapper JSON = new ObjectMapper();

  final SoftkeyDevice device = SoftkeyDevice.open(Profiles.defaultProfile(), 4242);
  final Bytes root = device.rootCertificate();
  final YubicoRp yubico = new YubicoRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root, false, AttestationConveyancePreference.NONE);
  final Webauthn4jRp webauthn4j = new Webauthn4jRp(RP_ID, ORIGINS, CoseAlgorithm.ES256, root);

  /** Yubico's options JSON with members Yubico's model does not have (credBlob) added. */
  static String withExtension(String json, String name, Object value) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(json);
    ObjectNode o = (ObjectNode) n.get("publicKey");
    ObjectNode ext = o.has("extensions") ? (ObjectNode) o.get("extensions") : o.putObject("extensions");
    ext.set(name, JSON.valueToTree(value));
    return n.toString();
  }

  record Registered(PublicKeyCredentialCreationOptions options, RegistrationResponse response, RegistrationResult yubico, RegistrationData webauthn4j) {}

  Registered register() throws Exception {
    RegistrationExtensionInputs ext =
        RegistrationExtensionInputs.builder()
            .credProps()
            .credProtect(CredentialProtectionInput.require(UV_OPTIONAL_WITH_CREDENTIAL_ID_LIST))
            .largeBlob(LargeBlobSupport.REQUIRED)
            .prf(PrfRegistrationInput.enable())
            .build();
    PublicKeyCredentialCreationOptions create = yubico.startRegistration(true, UserVerificationRequirement.DISCOURAGED, ext);
    String json = withExtension(create.toCredentialsCreateJson(), "credBlob", Bytes.wrap("blob".getBytes(StandardCharsets.UTF_8)).base64Url());
    RegistrationResponse reg = device.client().create(json, ORIGIN, Optional.empty());
    RegistrationResult yr = yubico.finishRegistration(create, reg);
    RegistrationData wr = webauthn4j.register(reg, create.getChallenge().getBytes(), false);
    return new Registered(create, reg, yr, wr);
  }

  @Test
  void aRegistrationWithExtensionOutputs_andAttestationNone_isVerifiedByBoth() throws Exception {
    Registered r = register();
    // Attestation "none": fmt none and a zero AAGUID, as both libraries read it.
    assertThat(r.yubico().getAttestationType()).isEqualTo(AttestationType.NONE);
    assertThat(r.yubico().getAaguid()).isEqualTo(new ByteArray(new byte[16]));
    assertThat(r.webauthn4j().getAttestationObject().getFormat()).isEqualTo("none");
    assertThat(r.webauthn4j().getAttestationObject().getAuthenticatorData().getAttestedCredentialData().getAaguid().getValue())
        .isEqualTo(new UUID(0, 0));

    // Client extension outputs as Yubico's model reads them.
    ClientRegistrationExtensionOutputs client = r.yubico().getClientExtensionOutputs().orElseThrow();
    assertThat(client.getCredProps().orElseThrow().getRk()).contains(true);
    assertThat(client.getPrf().orElseThrow().getEnabled()).contains(true);
    assertThat(client.getLargeBlob().orElseThrow().isSupported()).isTrue();
    assertThat(r.webauthn4j().getClientExtensions().getCredProps().getRk()).isTrue();
    assertThat(r.response().toJsonNode().at("/clientExtensionResults/credBlob").asBoolean()).isTrue();

    // Authenticator extension outputs in authData: credProtect 2.
    assertThat(r.yubico().getAuthenticatorExtensionOutputs().orElseThrow().getCredProtect()).contains(UV_OPTIONAL_WITH_CREDENTIAL_ID_LIST);
    assertThat(r.webauthn4j().getAttestationObject().getAuthenticatorData().getExtensions().getCredProtect())
        .isEqualTo(CredentialProtectionPolicy.USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST);
  }

  @Test
  void assertionsWithPrfAndLargeBlob_areVerifiedByBoth_andThePrfIsStable() throws Exception {
    Registered r = register();
    ByteArray salt = new ByteArray("salt".getBytes(StandardCharsets.UTF_8));
    ByteArray blob = new ByteArray("large blob data".getBytes(StandardCharsets.UTF_8));

    AssertionResult write =
        assertBoth(AssertionExtensionInputs.builder().prf(PrfAuthenticationInput.eval(PrfValues.one(salt))).largeBlob(LargeBlobAuthenticationInput.write(blob)).build());
    ByteArray prf = write.getClientExtensionOutputs().orElseThrow().getPrf().orElseThrow().getResults().orElseThrow().getFirst();
    assertThat(prf.size()).isEqualTo(32);
    assertThat(write.getClientExtensionOutputs().orElseThrow().getLargeBlob().orElseThrow().getWritten()).contains(true);

    AssertionResult read =
        assertBoth(AssertionExtensionInputs.builder().prf(PrfAuthenticationInput.eval(PrfValues.one(salt))).largeBlob(LargeBlobAuthenticationInput.read()).build());
    assertThat(read.getClientExtensionOutputs().orElseThrow().getPrf().orElseThrow().getResults().orElseThrow().getFirst()).isEqualTo(prf);
    assertThat(read.getClientExtensionOutputs().orElseThrow().getLargeBlob().orElseThrow().getBlob()).contains(blob);
    assertThat(r.response().rawId()).isNotNull();
  }

  @Test
  void anAssertionWithHmacGetSecretAndGetCredBlob_isVerifiedByBoth() throws Exception {
    register();
    AssertionRequest get = yubico.startAssertion(false, UserVerificationRequirement.DISCOURAGED);
    String salt = Bytes.wrap(new byte[32]).base64Url();
    String json = withExtension(get.toCredentialsGetJson(), "hmacGetSecret", java.util.Map.of("salt1", salt));
    json = withExtension(json, "getCredBlob", true);
    AuthenticationResponse auth = device.client().get(json, ORIGIN, Optional.empty());
    assertThat(auth.clientExtensionResults().hmacGetSecret().orElseThrow().output1().length()).isEqualTo(32);
    assertThat(auth.clientExtensionResults().getCredBlob()).contains(Bytes.wrap("blob".getBytes(StandardCharsets.UTF_8)));
    yubico.finishAssertion(get, auth);
    AuthenticationData w = webauthn4j.authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), allowList(get), false);
    assertThat(w.getClientExtensions().getHMACGetSecret().getOutput1()).hasSize(32);
  }

  private AssertionResult assertBoth(AssertionExtensionInputs ext) throws Exception {
    AssertionRequest get = yubico.startAssertion(false, UserVerificationRequirement.DISCOURAGED, ext);
    AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());
    AssertionResult result = yubico.finishAssertion(get, auth);
    webauthn4j.authenticate(auth, get.getPublicKeyCredentialRequestOptions().getChallenge().getBytes(), allowList(get), false);
    return result;
  }

  private static List<byte[]> allowList(AssertionRequest get) {
    return get.getPublicKeyCredentialRequestOptions().getAllowCredentials().orElseThrow().stream().map(d -> d.getId().getBytes()).toList();
  }
}
