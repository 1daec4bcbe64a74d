package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.attestation.AttestationTrustSource;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AuthenticatorAttachment;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.Extensions;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialParameters;
import com.yubico.webauthn.data.RegistrationExtensionInputs;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.testing.OneUserCredentialRepository;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A Yubico java-webauthn-server relying party configured as Entra ID is (entra.md section 2): RP ID
 * login.microsoft.com, origin https://login.microsoft.com, attestation direct and trusted (only the
 * softkey root given is a trust anchor, untrusted attestation refused), user verification
 * required, discoverable credentials, credProtect userVerificationOptional required; ES256 and
 * RS256. It verifies the POST body {@code softkey provision} wrote against the Graph options the
 * key was provisioned with.
 */
final class EntraRp {
  final OneUserCredentialRepository credentials;
  final RelyingParty rp;

  EntraRp(String upn, byte[] userHandle, String rootPem) {
    this.credentials = new OneUserCredentialRepository(upn, new ByteArray(userHandle));
    X509Certificate root = certificate(rootPem);
    AttestationTrustSource trust =
        (chain, aaguid) -> AttestationTrustSource.TrustRootsResult.builder().trustRoots(Set.of(root)).enableRevocationChecking(false).build();
    this.rp =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id("login.microsoft.com").name("Microsoft").build())
            .credentialRepository(credentials)
            .origins(Set.of("https://login.microsoft.com"))
            .attestationConveyancePreference(AttestationConveyancePreference.DIRECT)
            .attestationTrustSource(trust)
            .allowUntrustedAttestation(false)
            .build();
  }

  static X509Certificate certificate(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
    } catch (java.security.cert.CertificateException e) {
      throw new AssertionError(e);
    }
  }

  /** The request the Graph options stand for, as the RP issued it. */
  static PublicKeyCredentialCreationOptions request(JsonNode graph) {
    JsonNode pk = graph.get("publicKey");
    return PublicKeyCredentialCreationOptions.builder()
        .rp(RelyingPartyIdentity.builder().id(pk.get("rp").get("id").asText()).name(pk.get("rp").get("name").asText()).build())
        .user(
            UserIdentity.builder()
                .name(pk.get("user").get("name").asText())
                .displayName(pk.get("user").get("displayName").asText())
                .id(new ByteArray(Base64.getUrlDecoder().decode(pk.get("user").get("id").asText())))
                .build())
        .challenge(new ByteArray(Base64.getUrlDecoder().decode(pk.get("challenge").asText())))
        .pubKeyCredParams(List.of(PublicKeyCredentialParameters.ES256, PublicKeyCredentialParameters.RS256))
        .authenticatorSelection(
            AuthenticatorSelectionCriteria.builder()
                .authenticatorAttachment(AuthenticatorAttachment.CROSS_PLATFORM)
                .residentKey(ResidentKeyRequirement.REQUIRED)
                .userVerification(UserVerificationRequirement.REQUIRED)
                .build())
        .attestation(AttestationConveyancePreference.DIRECT)
        .extensions(
            RegistrationExtensionInputs.builder()
                .credProtect(
                    Extensions.CredentialProtection.CredentialProtectionInput.require(
                        Extensions.CredentialProtection.CredentialProtectionPolicy.UV_OPTIONAL))
                .build())
        .build();
  }

  /** finishRegistration of the POST body (with type "public-key", which Graph's body leaves out); stores the credential. */
  RegistrationResult register(JsonNode graph, JsonNode postBody) throws Exception {
    ObjectNode cred = postBody.get("publicKeyCredential").deepCopy();
    cred.put("type", "public-key");
    RegistrationResult result =
        rp.finishRegistration(
            FinishRegistrationOptions.builder()
                .request(request(graph))
                .response(PublicKeyCredential.parseRegistrationResponseJson(cred.toString()))
                .build());
    credentials.register(result);
    return result;
  }

  AssertionRequest startAssertion() {
    return rp.startAssertion(StartAssertionOptions.builder().userVerification(UserVerificationRequirement.REQUIRED).build());
  }

  AssertionResult finishAssertion(AssertionRequest request, String responseJson) throws Exception {
    return rp.finishAssertion(
        FinishAssertionOptions.builder().request(request).response(PublicKeyCredential.parseAssertionResponseJson(responseJson)).build());
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
