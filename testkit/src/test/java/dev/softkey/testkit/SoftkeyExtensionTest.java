package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.platform.WebAuthnException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension both ways: {@code @RegisterExtension} with {@code key()}, and parameter injection. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SoftkeyExtensionTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(11).pin("123456");

  /** The keys the tests saw, to check after all of them that each was closed. */
  static final List<VirtualKey> SEEN = new ArrayList<>();

  @Test
  @Order(1)
  void keyIsOfTheExtensionsProfileSeedAndPin() throws Exception {
    VirtualKey key = softkey.key();
    SEEN.add(key);
    assertThat(key.profile().id()).isEqualTo("yubikey-5");
    assertThat(key.seed()).hasValue(11);
    assertThat(key.hasPin()).isTrue();
    // UV required: the PIN is what makes it pass (flags UP | UV | AT).
    JsonNode reg = JSON.readTree(key.create(Options.creation(true, "required", "none"), Options.ORIGIN));
    assertThat(reg.at("/response/authenticatorData").asText()).isNotEmpty();
    byte flags = java.util.Base64.getUrlDecoder().decode(reg.at("/response/authenticatorData").asText())[32];
    assertThat(flags & 0x04).isEqualTo(0x04);
  }

  @Test
  @Order(2)
  void eachTestGetsAFreshKey() {
    VirtualKey key = softkey.key();
    SEEN.add(key);
    assertThat(key).isNotSameAs(SEEN.get(0));
    // The credential test 1 made is not on this key.
    assertThatThrownBy(() -> key.get(Options.request(), Options.ORIGIN))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
  }

  @Test
  @Order(3)
  void aPlainParameterIsTheTestsKey(VirtualKey injected) {
    SEEN.add(injected);
    assertThat(injected).isSameAs(softkey.key());
  }

  @Test
  @Order(4)
  void anAnnotatedParameterIsAKeyOfItsOwn(VirtualKey plain, @Softkey(profile = "solo-1", seed = 3) VirtualKey solo, @Softkey VirtualKey sameSettings) {
    SEEN.add(solo);
    SEEN.add(sameSettings);
    assertThat(solo).isNotSameAs(plain);
    assertThat(solo.profile().id()).isEqualTo("solo-1");
    assertThat(solo.seed()).hasValue(3);
    // what the annotation leaves out comes from the extension
    assertThat(solo.hasPin()).isTrue();
    assertThat(sameSettings).isNotSameAs(plain);
    assertThat(sameSettings.profile().id()).isEqualTo("yubikey-5");
    assertThat(sameSettings.seed()).hasValue(11);
  }

  @AfterAll
  static void everyKeyWasClosed() {
    assertThat(SEEN).hasSize(5);
    for (VirtualKey k : SEEN) {
      assertThatThrownBy(() -> k.create(Options.creation(), Options.ORIGIN)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
  }

  @Test
  void keyOutsideATestIsRefused() {
    assertThatThrownBy(() -> SoftkeyExtension.defaults().key()).isInstanceOf(IllegalStateException.class);
  }
}
