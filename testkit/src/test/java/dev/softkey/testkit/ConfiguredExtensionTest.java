package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.presence.SteerablePresence.Answer;
import dev.softkey.platform.WebAuthnException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SoftkeyExtension#configure}: builder settings beyond profile, seed and PIN, for every key. */
class ConfiguredExtensionTest {
  @RegisterExtension
  static SoftkeyExtension softkey = SoftkeyExtension.defaults().configure(b -> b.presence(Answer.deny()).transports(List.of("nfc")));

  @Test
  void everyKeyHasTheConfiguredSettings(@Softkey(profile = "yubikey-5") VirtualKey annotated) {
    for (VirtualKey k : List.of(softkey.key(), annotated)) {
      assertThatThrownBy(() -> k.create(Options.creation(), Options.ORIGIN))
          .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
      k.presence().clearDefault();
      assertThat(k.create(Options.creation(), Options.ORIGIN)).contains("\"transports\":[\"nfc\"]");
    }
  }
}
