package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.testing.OneUserCredentialRepository;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Set;

/** Yubico's java-webauthn-server as the relying party of the tests, with one user, alice. */
final class YubicoRp {
  final ByteArray userHandle = new ByteArray(new byte[] {9, 8, 7, 6});
  final OneUserCredentialRepository repo = new OneUserCredentialRepository("alice", userHandle);
  final RelyingParty rp = RelyingParty.builder()
      .identity(RelyingPartyIdentity.builder().id(Ceremony.RP_ID).name("Example").build())
      .credentialRepository(repo)
      .origins(Set.of(Ceremony.ORIGIN))
      .build();

  PublicKeyCredentialCreationOptions startRegistration() {
    return rp.startRegistration(StartRegistrationOptions.builder()
        .user(UserIdentity.builder().name("alice").displayName("Alice").id(userHandle).build())
        .authenticatorSelection(AuthenticatorSelectionCriteria.builder().residentKey(ResidentKeyRequirement.DISCOURAGED)
            .userVerification(UserVerificationRequirement.DISCOURAGED).build())
        .build());
  }

  RegistrationResult finishRegistration(PublicKeyCredentialCreationOptions request, JsonNode response) throws Exception {
    RegistrationResult r = rp.finishRegistration(FinishRegistrationOptions.builder().request(request)
        .response(PublicKeyCredential.parseRegistrationResponseJson(response.toString())).build());
    repo.register(r);
    return r;
  }

  AssertionRequest startAssertion(UserVerificationRequirement uv) {
    return rp.startAssertion(StartAssertionOptions.builder().username("alice").userVerification(uv).build());
  }

  AssertionResult finishAssertion(AssertionRequest request, JsonNode response) throws Exception {
    return rp.finishAssertion(FinishAssertionOptions.builder().request(request)
        .response(PublicKeyCredential.parseAssertionResponseJson(response.toString())).build());
  }

  /** Registers a credential the RP learnt out of band: its id and P-256 public key. */
  void addEs256(byte[] credentialId, ECPublicKey key) {
    repo.add(RegisteredCredential.builder().credentialId(new ByteArray(credentialId)).userHandle(userHandle)
        .publicKeyCose(new ByteArray(coseEs256(key))).signatureCount(0).build());
  }

  /** COSE_Key of an ES256 public key (RFC 9053 section 7.1.1), CTAP canonical order. */
  static byte[] coseEs256(ECPublicKey key) {
    byte[] x = fixed(key.getW().getAffineX());
    byte[] y = fixed(key.getW().getAffineY());
    byte[] out = new byte[10 + 32 + 3 + 32];
    byte[] head = {(byte) 0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20};
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(x, 0, out, 10, 32);
    out[42] = 0x22;
    out[43] = 0x58;
    out[44] = 0x20;
    System.arraycopy(y, 0, out, 45, 32);
    return out;
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }
}
