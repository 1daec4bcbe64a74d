package dev.softkey.testvectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GetInfoSourcesTest {
  @Test
  void theReadmeNamesTheProvenanceOfEveryFile() {
    String readme = GetInfoSources.readme();
    assertThat(readme).contains("mds3-getinfo-excerpt.json").contains("s1r-J/fido-mds3").contains("BLOB no. 163");
    for (String id : GetInfoSources.PER_PROFILE) {
      assertThat(readme).as(id).contains("`" + id + ".json`");
    }
  }

  @Test
  void everyPerProfileFile_isThereAndNamesItsSourceOrWhyItHasNone() {
    for (String id : GetInfoSources.PER_PROFILE) {
      String text = GetInfoSources.perProfile(id).orElseThrow(() -> new AssertionError("missing getinfo/" + id + ".json"));
      assertThat(text.contains("\"unsourced\"") || (text.contains("\"source\"") && text.contains("\"authenticatorGetInfo\"")))
          .as(id)
          .isTrue();
    }
    assertThat(GetInfoSources.perProfile("no-such-profile")).isEmpty();
    assertThatThrownBy(() -> GetInfoSources.perProfile("../README")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExcerptIsTheSharedCopy_keyedByAaguid() {
    String excerpt = GetInfoSources.excerpt();
    assertThat(excerpt).contains("\"2fc0579f-8113-47ea-b116-bb5a8db9202a\"").contains("\"authenticatorGetInfo\"");
  }
}
