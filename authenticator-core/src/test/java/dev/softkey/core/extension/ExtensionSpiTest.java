package dev.softkey.core.extension;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.Authenticator;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.model.AuthenticatorData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The extension SPI with a test-only extension (no real one is built yet): getInfo lists it, the
 * two handlers run it at their steps, and its state comes back from inside a sealed credential ID
 * and from a stored discoverable credential alike.
 */
class ExtensionSpiTest {
  /**
   * "example": makeCredential keeps the text input as state and answers true; getAssertion answers
   * the state; a credential whose state is "secret" is applicable only with the "uv" bit.
   */
  static final class ExampleExtension implements AuthenticatorExtension {
    @Override
    public String identifier() {
      return "example";
    }

    @Override
    public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
      if (in.input().isEmpty()) {
        return MakeCredentialOutcome.NONE;
      }
      String text = (String) in.input().get();
      return new MakeCredentialOutcome(Optional.of(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8))), Optional.of(true));
    }

    @Override
    public boolean applicable(Optional<Bytes> state, boolean uv, boolean allowListPresent) {
      return uv || state.map(s -> !new String(s.toArray(), StandardCharsets.UTF_8).equals("secret")).orElse(true);
    }

    @Override
    public Optional<Object> getAssertion(GetAssertionInput in) {
      return in.state().map(s -> (Object) s);
    }
  }

  private final MemoryStore store = new MemoryStore();
  private final Authenticator withExample =
      Authenticator.builder().store(store).seed(5).extension(new ExampleExtension()).build();
  private final CtapTestClient client = new CtapTestClient(withExample);

  private CborMap mc(String input, boolean rk) {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {7}, List.of(-7L), rk ? map("rk", true) : null);
    if (input != null) {
      p.put(6L, map("example", input));
    }
    return client.send(CtapCommand.MAKE_CREDENTIAL, p).ok();
  }

  private static Bytes credentialId(CborMap mcResponse) {
    return AuthenticatorData.parse(mcResponse.bytes(2)).attestedCredentialData().orElseThrow().credentialId();
  }

  private CtapTestClient.Response ga(List<Bytes> allow) {
    return client.send(CtapCommand.GET_ASSERTION, getAssertion("example.com", allow, null));
  }

  @Test
  void getInfo_listsTheRegisteredExtension_afterTheProfilesOwn() {
    CborMap info = client.sendRaw(new byte[] {0x04}).ok();
    // The profile's own extensions first, then the registered one.
    CborMap plain = new CtapTestClient(Authenticator.builder().seed(5).build()).sendRaw(new byte[] {0x04}).ok();
    List<Object> builtIn = new ArrayList<>(plain.optList(0x02).orElse(List.of()));
    assertThat(builtIn).doesNotContain("example");
    builtIn.add("example");
    assertThat(info.list(0x02)).containsExactlyElementsOf(builtIn);
    Profile none = Profiles.defaultProfile().toBuilder().extensions(Profile.ExtensionSupport.NONE).build();
    CborMap bare = new CtapTestClient(Authenticator.builder().profile(none).seed(5).build()).sendRaw(new byte[] {0x04}).ok();
    assertThat(bare.has(0x02)).isFalse();
  }

  @Test
  void step15_makeCredentialOutput_isInAuthenticatorData_withTheEdFlag() {
    AuthenticatorData ad = AuthenticatorData.parse(mc("hello", false).bytes(2));
    assertThat(ad.flags() & 0x80).isEqualTo(0x80);
    assertThat(ad.extensions().orElseThrow().asMap()).containsEntry("example", true);
  }

  @Test
  void withoutInput_noOutput_andNoEdFlag() {
    AuthenticatorData ad = AuthenticatorData.parse(mc(null, false).bytes(2));
    assertThat(ad.flags() & 0x80).isZero();
    assertThat(ad.extensions()).isEmpty();
  }

  @Nested
  class StateTravelsWithTheCredential {
    @Test
    void nonDiscoverable_stateIsInsideTheSealedCredentialId() {
      Bytes id = credentialId(mc("kept in the ID", false));
      assertThat(store.count()).isZero();
      AuthenticatorData ad = AuthenticatorData.parse(ga(List.of(id)).ok().bytes(2));
      assertThat(ad.flags() & 0x80).isEqualTo(0x80);
      assertThat(ad.extensions().orElseThrow().bytes("example"))
          .isEqualTo(Bytes.wrap("kept in the ID".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void discoverable_stateIsInTheStoredRecord_andOutputOnEveryAssertion() {
      mc("kept in the store", true);
      assertThat(store.all().get(0).extensionData()).containsKey("example");
      AuthenticatorData ad = AuthenticatorData.parse(ga(null).ok().bytes(2));
      assertThat(ad.extensions().orElseThrow().bytes("example"))
          .isEqualTo(Bytes.wrap("kept in the store".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCredentialWithoutState_getsNoOutput() {
      Bytes id = credentialId(mc(null, false));
      AuthenticatorData ad = AuthenticatorData.parse(ga(List.of(id)).ok().bytes(2));
      assertThat(ad.extensions()).isEmpty();
    }
  }

  @Nested
  class Applicability {
    @Test
    void step7_anExtensionCanHideACredential_fromAnAllowListAndFromDiscovery() {
      Bytes id = credentialId(mc("secret", false));
      assertThat(ga(List.of(id)).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      mc("secret", true);
      assertThat(ga(null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void makeCredentialStep12_aHiddenCredentialDoesNotExcludeAnother() {
      Bytes id = credentialId(mc("secret", false));
      Map<Object, Object> p = makeCredential("example.com", new byte[] {8}, List.of(-7L), null);
      p.put(5L, List.of(map("id", id, "type", "public-key")));
      assertThat(client.send(CtapCommand.MAKE_CREDENTIAL, p).status()).isEqualTo(CtapStatus.CTAP2_OK);
      Bytes visible = credentialId(mc("visible", false));
      p.put(5L, List.of(map("id", visible, "type", "public-key")));
      assertThat(client.send(CtapCommand.MAKE_CREDENTIAL, p).status()).isEqualTo(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
    }
  }

  @Test
  void anExtensionRegisteredTwice_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Extensions(List.of(new ExampleExtension(), new ExampleExtension())))
        .hasMessageContaining("example");
  }
}
