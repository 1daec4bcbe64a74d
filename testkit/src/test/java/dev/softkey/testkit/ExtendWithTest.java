package dev.softkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith(SoftkeyExtension.class)}: the generic profile, secure randomness, keys by injection. */
@ExtendWith(SoftkeyExtension.class)
class ExtendWithTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void injectsAGenericKeyThatRegistersAndAuthenticates(VirtualKey key) throws Exception {
    assertThat(key.profile().id()).isEqualTo("generic");
    assertThat(key.seed()).isEmpty();
    assertThat(key.hasPin()).isFalse();
    JsonNode reg = JSON.readTree(key.create(Options.creation(), Options.ORIGIN));
    JsonNode auth = JSON.readTree(key.get(Options.request(), Options.ORIGIN));
    assertThat(auth.get("id").asText()).isEqualTo(reg.get("id").asText());
  }

  @Test
  void twoInjectedPlainParametersAreOneKey(VirtualKey a, VirtualKey b) {
    assertThat(a).isSameAs(b);
  }
}
