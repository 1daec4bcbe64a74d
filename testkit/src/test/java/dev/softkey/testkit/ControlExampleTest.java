package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.control.CredentialEvent;
import dev.softkey.core.control.VirtualCredential;
import dev.softkey.core.presence.SteerablePresence.Answer;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Steering a key from a test (the README's examples): a credential removed under the RP's feet, a
 * credential injected from a key the test made, the next touch denied, UV turned off.
 */
class ControlExampleTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(8);

  private static void assertNotAllowed(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
  }

  @Test
  void aRemovedCredentialFailsTheNextCeremony() throws Exception {
    VirtualKey key = softkey.key();
    String id = JSON.readTree(key.create(Options.creation(), Options.ORIGIN)).get("id").asText();
    assertThat(key.credentials()).singleElement().satisfies(c -> {
      assertThat(c.credentialId().base64Url()).isEqualTo(id);
      assertThat(c.rpId()).isEqualTo(Options.RP_ID);
      assertThat(c.residentCredential()).isTrue();
    });

    assertThat(key.control().removeCredential(Bytes.fromBase64Url(id))).isTrue();

    assertThat(key.credentials()).isEmpty();
    assertNotAllowed(() -> key.get(Options.request(), Options.ORIGIN));
  }

  @Test
  void anInjectedCredentialSignsWithTheKeyTheTestMade() throws Exception {
    VirtualKey key = softkey.key();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Bytes credentialId = Bytes.of(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    key.control().addCredential(
        new VirtualCredential(
            credentialId, true, Options.RP_ID, Bytes.of(pair.getPrivate().getEncoded()), Optional.of(Bytes.of(new byte[] {1, 2, 3, 4})),
            0, false, false, Optional.of("alice"), Optional.empty(), CoseAlgorithm.ES256));

    JsonNode auth = JSON.readTree(key.get(Options.request(), Options.ORIGIN));

    assertThat(auth.get("id").asText()).isEqualTo(credentialId.base64Url());
    byte[] authData = Base64.getUrlDecoder().decode(auth.at("/response/authenticatorData").asText());
    byte[] clientData = Base64.getUrlDecoder().decode(auth.at("/response/clientDataJSON").asText());
    Signature verify = Signature.getInstance("SHA256withECDSA");
    verify.initVerify(pair.getPublic());
    verify.update(authData);
    verify.update(MessageDigest.getInstance("SHA-256").digest(clientData));
    assertThat(verify.verify(Base64.getUrlDecoder().decode(auth.at("/response/signature").asText()))).isTrue();
  }

  @Test
  void aQueuedDenialFailsOneCeremony() throws Exception {
    VirtualKey key = softkey.key();
    key.presence().queue(List.of(Answer.deny()));
    assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
    assertThat(key.presence().pending()).isEmpty();
    key.create(Options.creation(), Options.ORIGIN);
  }

  @Test
  void aBuilderPresenceAnswerAndItsClearing() {
    try (VirtualKey key = VirtualKey.builder().presence(Answer.deny()).build()) {
      assertNotAllowed(() -> key.create(Options.creation(), Options.ORIGIN));
      key.presence().clearDefault();
      key.create(Options.creation(), Options.ORIGIN);
    }
  }

  @Test
  void userVerifiedFalseFailsAUvRequiredCeremonyOnABioKey() throws Exception {
    try (VirtualKey key = VirtualKey.builder().profile("bio").build()) {
      key.create(Options.creation(true, "required", "none"), Options.ORIGIN);
      key.control().setUserVerified(false);
      assertNotAllowed(() -> key.get(Options.request("required"), Options.ORIGIN));
      key.control().setUserVerified(true);
      JsonNode auth = JSON.readTree(key.get(Options.request("required"), Options.ORIGIN));
      assertThat(Base64.getUrlDecoder().decode(auth.at("/response/authenticatorData").asText())[32] & 0x04).isEqualTo(0x04);
    }
  }

  @Test
  void credentialEventsFollowTheCeremonies() throws Exception {
    VirtualKey key = softkey.key();
    List<CredentialEvent> events = new CopyOnWriteArrayList<>();
    String id;
    try (AutoCloseable subscription = key.control().subscribe(events::add)) {
      id = JSON.readTree(key.create(Options.creation(), Options.ORIGIN)).get("id").asText();
      key.get(Options.request(), Options.ORIGIN);
      key.control().removeCredential(Bytes.fromBase64Url(id));
    }
    key.create(Options.creation(), Options.ORIGIN); // after the subscription is closed: not seen

    assertThat(events).extracting(CredentialEvent::type)
        .containsExactly(CredentialEvent.Type.ADDED, CredentialEvent.Type.ASSERTED, CredentialEvent.Type.DELETED);
    assertThat(events).allSatisfy(e -> assertThat(e.credentialId().base64Url()).isEqualTo(id));
    assertThat(events.get(1).signCount()).isGreaterThan(events.get(0).signCount());
  }
}
