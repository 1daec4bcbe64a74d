package com.example.rp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.attestation.AttestationTrustSource.TrustRootsResult;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import dev.softkey.testkit.Softkey;
import dev.softkey.testkit.SoftkeyExtension;
import dev.softkey.testkit.VirtualKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An RP's own test: Yubico's RelyingParty registers and authenticates a softkey YubiKey 5. */
class RegistrationTest {
  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(7);

  static final String ORIGIN = "https://example.com";
  static final ByteArray ALICE = new ByteArray(new byte[] {1, 2, 3, 4});
  final Map<ByteArray, RegisteredCredential> stored = new HashMap<>();

  RelyingParty rp(VirtualKey key) {
    return RelyingParty.builder()
        .identity(RelyingPartyIdentity.builder().id("example.com").name("Example").build())
        .credentialRepository(new Repo())
        .origins(Set.of(ORIGIN))
        .attestationConveyancePreference(AttestationConveyancePreference.DIRECT)
        .attestationTrustSource((chain, aaguid) ->
            TrustRootsResult.builder().trustRoots(Set.of(key.attestationRoot())).certStore(key.crlStore()).build())
        .allowUntrustedAttestation(false)
        .build();
  }

  @Test
  void registersAndAuthenticates() throws Exception {
    VirtualKey key = softkey.key();
    RelyingParty rp = rp(key);
    PublicKeyCredentialCreationOptions request =
        rp.startRegistration(StartRegistrationOptions.builder().user(UserIdentity.builder().name("alice").displayName("Alice").id(ALICE).build()).build());
    String json = key.create(request.toCredentialsCreateJson(), ORIGIN);
    RegistrationResult reg =
        rp.finishRegistration(FinishRegistrationOptions.builder().request(request).response(PublicKeyCredential.parseRegistrationResponseJson(json)).build());
    assertTrue(reg.isAttestationTrusted());
    stored.put(reg.getKeyId().getId(),
        RegisteredCredential.builder().credentialId(reg.getKeyId().getId()).userHandle(ALICE).publicKeyCose(reg.getPublicKeyCose()).signatureCount(reg.getSignatureCount()).build());

    AssertionRequest get = rp.startAssertion(StartAssertionOptions.builder().username("alice").build());
    AssertionResult result =
        rp.finishAssertion(FinishAssertionOptions.builder().request(get).response(PublicKeyCredential.parseAssertionResponseJson(key.get(get.toCredentialsGetJson(), ORIGIN))).build());
    assertTrue(result.isSuccess());
  }

  @Test
  void injectedKeysOfOtherModels(@Softkey(profile = "solo-1") VirtualKey solo) {
    assertEquals("solo-1", solo.profile().id());
  }

  final class Repo implements CredentialRepository {
    @Override
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String name) {
      return stored.keySet().stream().map(id -> PublicKeyCredentialDescriptor.builder().id(id).build()).collect(Collectors.toSet());
    }

    @Override
    public Optional<ByteArray> getUserHandleForUsername(String name) {
      return "alice".equals(name) ? Optional.of(ALICE) : Optional.empty();
    }

    @Override
    public Optional<String> getUsernameForUserHandle(ByteArray handle) {
      return ALICE.equals(handle) ? Optional.of("alice") : Optional.empty();
    }

    @Override
    public Optional<RegisteredCredential> lookup(ByteArray id, ByteArray handle) {
      return Optional.ofNullable(stored.get(id));
    }

    @Override
    public Set<RegisteredCredential> lookupAll(ByteArray id) {
      return Optional.ofNullable(stored.get(id)).map(Set::of).orElse(Set.of());
    }
  }
}
