package dev.softkey.core.client;

import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;

import static org.assertj.core.api.Assertions.assertThat;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import dev.softkey.core.testing.OneUserCredentialRepository;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client's JSON goes both ways through an independent RP library: options from
 * java-webauthn-server's toCredentialsCreateJson/toCredentialsGetJson (the {"publicKey": ...}
 * wrapper), responses verified by its finishRegistration/finishAssertion.
 */
class YubicoRelyingPartyInteropTest {
  private final ByteArray userHandle = new ByteArray(new byte[] {9, 8, 7, 6});
  private final OneUserCredentialRepository repo = new OneUserCredentialRepository("alice", userHandle);

  @Test
  void registrationAndAssertion_verifyWithJavaWebauthnServer() throws Exception {
    RelyingParty rp =
        RelyingParty.builder()
            .identity(RelyingPartyIdentity.builder().id("example.com").name("Example").build())
            .credentialRepository(repo)
            .origins(Set.of("https://login.example.com"))
            .build();
    WebAuthnClient client = WebAuthnClient.builder(new FakeAuthenticator()).build();

    PublicKeyCredentialCreationOptions createOptions =
        rp.startRegistration(
            StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name("alice").displayName("Alice").id(userHandle).build())
                .build());
    String createJson = createOptions.toCredentialsCreateJson();
    assertThat(createJson).startsWith("{\"publicKey\":");
    RegistrationResponse reg = client.create(createJson, "https://login.example.com", Optional.empty());

    RegistrationResult result =
        rp.finishRegistration(
            FinishRegistrationOptions.builder()
                .request(createOptions)
                .response(PublicKeyCredential.parseRegistrationResponseJson(reg.toJson()))
                .build());
    assertThat(result.getKeyId().getId().getBytes()).isEqualTo(reg.rawId().toArray());
    repo.register(result);

    AssertionRequest request = rp.startAssertion(StartAssertionOptions.builder().username("alice").build());
    AuthenticationResponse auth = client.get(request.toCredentialsGetJson(), "https://login.example.com", Optional.empty());
    AssertionResult assertion =
        rp.finishAssertion(
            FinishAssertionOptions.builder()
                .request(request)
                .response(PublicKeyCredential.parseAssertionResponseJson(auth.toJson()))
                .build());
    assertThat(assertion.isSuccess()).isTrue();
    assertThat(assertion.getCredential().getCredentialId().getBytes()).isEqualTo(reg.rawId().toArray());
  }
}
