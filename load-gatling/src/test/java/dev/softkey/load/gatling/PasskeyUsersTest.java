package dev.softkey.load.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.profile.SignCounter;
import dev.softkey.testkit.VirtualKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * The users of a run: user i's key is the same wherever it is built (it opens the credential
 * another build of it made), another index or run seed is another key, and the feeder hands out
 * the indexes of a range once each.
 */
class PasskeyUsersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "https://example.com";

  private static String createOptions(String name) {
    return "{\"rp\":{\"id\":\"example.com\",\"name\":\"Example\"},\"user\":{\"id\":\"dXNlcg\",\"name\":\"" + name + "\",\"displayName\":\"" + name + "\"},"
        + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
        + "\"authenticatorSelection\":{\"residentKey\":\"discouraged\"}}";
  }

  private static String getOptions(String credentialId) {
    return "{\"rpId\":\"example.com\",\"challenge\":\"AQEBAQEBAQEBAQEBAQEBAQ\",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"" + credentialId + "\"}]}";
  }

  @Test
  void aUserKeyRebuiltFromTheSeedSignsWithTheCredentialTheFirstBuildMade() throws Exception {
    PasskeyUsers injectorA = PasskeyUsers.of("yubikey-5", 42);
    PasskeyUsers injectorB = PasskeyUsers.of("yubikey-5", 42);
    String id;
    try (VirtualKey key = injectorA.key(3)) {
      id = JSON.readTree(key.create(createOptions(injectorA.username(3)), ORIGIN)).path("id").asText();
    }
    try (VirtualKey again = injectorB.key(3)) {
      assertThat(JSON.readTree(again.get(getOptions(id), ORIGIN)).path("id").asText()).isEqualTo(id);
    }
    try (VirtualKey otherUser = injectorB.key(4); VirtualKey otherRun = PasskeyUsers.of("yubikey-5", 43).key(3)) {
      assertThatThrownBy(() -> otherUser.get(getOptions(id), ORIGIN)).hasMessageContaining("no credential");
      assertThatThrownBy(() -> otherRun.get(getOptions(id), ORIGIN)).hasMessageContaining("no credential");
    }
    // one root per run seed, the same on both injectors
    assertThat(injectorA.attestationRoot()).isEqualTo(injectorB.attestationRoot());
  }

  @Test
  void namesComeFromTheRunSeedAndTheIndexOrAFunction() {
    PasskeyUsers users = PasskeyUsers.of("generic", 7);
    assertThat(users.username(12)).isEqualTo("user-7-12");
    assertThat(users.withUsernames((run, i) -> "alice-" + i).username(12)).isEqualTo("alice-12");
  }

  @Test
  void keysReportAZeroCounterUnlessTheProfilesOwnIsAsked() {
    PasskeyUsers users = PasskeyUsers.of("yubikey-5", 7);
    assertThat(users.profile().credentials().signCounter()).isEqualTo(SignCounter.GLOBAL);
    assertThat(users.keyProfile().credentials().signCounter()).isEqualTo(SignCounter.ZERO);
    assertThat(users.withProfileSignCounter().keyProfile().credentials().signCounter()).isEqualTo(SignCounter.GLOBAL);
    try (VirtualKey key = users.key(0)) {
      assertThat(key.profile().credentials().signCounter()).isEqualTo(SignCounter.ZERO);
      assertThat(key.aaguid()).isEqualTo(users.profile().identity().aaguid());
    }
  }

  @Test
  void aPinIsSetOnEveryKeyAndNeverShown() {
    PasskeyUsers users = PasskeyUsers.of("generic", 7).withPin("4711-secret");
    try (VirtualKey key = users.key(1)) {
      assertThat(key.hasPin()).isTrue();
    }
    assertThat(users.toString()).doesNotContain("4711").contains("PIN set");
  }

  @Test
  void theFeederHandsOutItsRangeOnce() {
    Iterator<Map<String, Object>> feeder = PasskeyUsers.feeder(100, 3);
    List<Object> seen = new ArrayList<>();
    while (feeder.hasNext()) {
      seen.add(feeder.next().get(Passkeys.USER_INDEX));
    }
    assertThat(seen).containsExactly(100L, 101L, 102L);
    assertThatThrownBy(feeder::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("3 users");
    assertThatThrownBy(() -> PasskeyUsers.feeder(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
