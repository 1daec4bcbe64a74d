package dev.softkey.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.pin.PlatformPin;
import dev.softkey.testvectors.GetInfoSources;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device catalogue's getInfo-versus-source test: every built-in profile's served
 * authenticatorGetInfo (CTAP 2.1 section 6.4) equals, member by member, the getInfo its source
 * gives: the profile's own file under testvectors {@code getinfo/}, else the FIDO MDS3 excerpt's
 * entry for its AAGUID ({@link GetInfoSources}). The key is compared in the factory state the MDS
 * describes: a fresh store, no enrolled fingerprint, and a PIN only where the source says clientPin
 * true.
 */
class CatalogueTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PIN = "catalogue-4711";

  /**
   * Members where a profile's served getInfo knowingly differs from its source, with the reason,
   * by profile ID. Keep it tiny: a difference is a model softkey cannot serve truthfully.
   */
  static final Map<String, Map<String, String>> DIFFERENCES = Map.of();

  /** Where a profile's getInfo comes from: a source's getInfo, or why there is none. */
  record Source(String where, Optional<JsonNode> getInfo, Optional<String> unsourced) {}

  static Stream<String> ids() {
    return Profiles.BUILT_IN.stream();
  }

  static Source sourceOf(Profile p) {
    Optional<String> own = GetInfoSources.perProfile(p.id());
    if (own.isPresent()) {
      JsonNode doc = parse(own.get());
      if (doc.has("unsourced")) {
        return new Source("getinfo/" + p.id() + ".json", Optional.empty(), Optional.of(doc.get("unsourced").asText()));
      }
      JsonNode info = doc.has("authenticatorGetInfo") ? doc.get("authenticatorGetInfo") : doc;
      return new Source("getinfo/" + p.id() + ".json", Optional.of(info), Optional.empty());
    }
    JsonNode entry = parse(GetInfoSources.excerpt()).get(p.identity().aaguid().toString());
    if (entry == null || !entry.has("authenticatorGetInfo")) {
      throw new AssertionError("profile " + p.id() + " has no getInfo source");
    }
    return new Source(GetInfoSources.EXCERPT + " " + p.identity().aaguid(), Optional.of(entry.get("authenticatorGetInfo")), Optional.empty());
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The getInfo a factory-fresh authenticator of {@code p} serves, with a PIN when {@code withPin}. */
  static CborMap servedGetInfo(Profile p, boolean withPin) {
    TestDevices.Device d = TestDevices.build(Authenticator.builder().profile(p).presence(Presence.approve()).noEnrolledFingerprint());
    if (withPin) {
      Authenticator a = d.authenticator();
      new PlatformPin(req -> a.process(req, OperationContext.INTERNAL), p.getInfo().pinUvAuthProtocols().get(0), RandomSource.seeded(7))
          .setPin(PIN);
    }
    return d.client().send(CtapCommand.GET_INFO, null).ok();
  }

  /** The members by the spec's names (CTAP 2.1 section 6.4), values as plain Java values. */
  static Map<String, Object> byName(CborMap info) {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<Object, Object> e : info.asMap().entrySet()) {
      long key = (Long) e.getKey();
      // GetInfoResponse.MEMBER_NAMES writes 0x11 "preferredPlatformUVAttempts"; section 6.4 and the
      // MDS spell it preferredPlatformUvAttempts.
      String name = key == GetInfoResponse.PREFERRED_PLATFORM_UV_ATTEMPTS ? "preferredPlatformUvAttempts" : GetInfoResponse.MEMBER_NAMES.get(key);
      out.put(name == null ? "0x" + Long.toHexString(key) : name, plain(e.getValue()));
    }
    return out;
  }

  private static Object plain(Object v) {
    if (v instanceof Bytes b) {
      return b.hex();
    }
    if (v instanceof CborMap m) {
      Map<String, Object> out = new TreeMap<>();
      m.asMap().forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(CatalogueTest::plain).toList();
    }
    if (v instanceof Integer i) {
      return (long) i;
    }
    return v;
  }

  /** The source's members as plain Java values (numbers as Long, the aaguid in lower-case hex). */
  static Map<String, Object> byName(JsonNode info) {
    Map<String, Object> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = info.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Object v = plain(e.getValue());
      out.put(e.getKey(), e.getKey().equals("aaguid") ? ((String) v).replace("-", "").toLowerCase() : v);
    }
    return out;
  }

  private static Object plain(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> out = new TreeMap<>();
      n.fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.forEach(x -> out.add(plain(x)));
      return out;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  /** Every member in which {@code served} and {@code source} differ, as "member: served X, source Y". */
  static List<String> differences(Map<String, Object> served, Map<String, Object> source, Map<String, String> known) {
    List<String> out = new ArrayList<>();
    TreeSet<String> members = new TreeSet<>(served.keySet());
    members.addAll(source.keySet());
    for (String m : members) {
      if (known.containsKey(m)) {
        continue;
      }
      Object a = served.get(m);
      Object b = source.get(m);
      if (a == null || b == null || !a.equals(b)) {
        out.add(m + ": served " + (a == null ? "(absent)" : a) + ", source " + (b == null ? "(absent)" : b));
      }
    }
    return out;
  }

  @Nested
  class EveryBuiltInProfile {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueTest#ids")
    void servesTheGetInfoOfItsSource_memberByMember_inFactoryState(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      Source s = sourceOf(p);
      if (s.unsourced().isPresent()) {
        // No public getInfo describes the model: its file says why, and there is nothing to compare.
        assertThat(s.unsourced().get()).as(id).isNotBlank();
        assertThat(p.identity().source()).as(id).isNotBlank();
        return;
      }
      Map<String, Object> source = byName(s.getInfo().orElseThrow());
      @SuppressWarnings("unchecked")
      Map<String, Object> options = (Map<String, Object>) source.getOrDefault("options", Map.of());
      boolean withPin = Boolean.TRUE.equals(options.get("clientPin"));
      Map<String, Object> served = byName(servedGetInfo(p, withPin));
      assertThat(differences(served, source, DIFFERENCES.getOrDefault(id, Map.of())))
          .as("profile %s against %s", id, s.where())
          .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.CatalogueTest#ids")
    void aRealModelsProfile_namesTheMdsBlobItsGetInfoComesFrom(String id) {
      Profile p = Profiles.builtIn(id).orElseThrow();
      if (sourceOf(p).getInfo().isPresent()) {
        assertThat(p.identity().source()).as(id).contains("BLOB no. 163").contains("s1r-J/fido-mds3");
      }
    }
  }

  @Nested
  class TheComparison {
    @Test
    void aProfileWithNeitherFileNorExcerptEntry_failsNamingIt() {
      Profile p = Profiles.defaultProfile().toBuilder().id("no-source").build();
      assertThatThrownBy(() -> sourceOf(p)).isInstanceOf(AssertionError.class).hasMessage("profile no-source has no getInfo source");
    }

    @Test
    void aMemberThatDiffers_isReported_withBothValues() {
      Profile y = Profiles.builtIn("yubikey-5").orElseThrow();
      Profile changed = y.toBuilder().maxMsgSize(2048).firmwareVersion(OptionalInt.empty()).build();
      Map<String, Object> source = byName(sourceOf(y).getInfo().orElseThrow());
      assertThat(differences(byName(servedGetInfo(changed, false)), source, Map.of()))
          .containsExactly("firmwareVersion: served (absent), source 328706", "maxMsgSize: served 2048, source 1200");
      assertThat(differences(byName(servedGetInfo(y, false)), source, Map.of())).isEmpty();
    }

    @Test
    void anOptionThatDiffers_isReported() {
      Profile y = Profiles.builtIn("yubikey-5").orElseThrow();
      Map<String, Object> source = byName(sourceOf(y).getInfo().orElseThrow());
      // A PIN set: clientPin true where the MDS shows the factory state.
      assertThat(differences(byName(servedGetInfo(y, true)), source, Map.of())).singleElement().asString().startsWith("options:");
    }

    @Test
    void soloOne_isComparedWithItsFirmwareSource_andThePhoneProviders_areUnsourced() {
      // The Solo 1's own file (ctap_get_info of firmware 4.x) takes precedence over the excerpt's
      // older Solo statement, which has an entry under the same AAGUID.
      Profile solo = Profiles.builtIn("solo-1").orElseThrow();
      assertThat(parse(GetInfoSources.excerpt()).has(solo.identity().aaguid().toString())).isTrue();
      Source s = sourceOf(solo);
      assertThat(s.where()).isEqualTo("getinfo/solo-1.json");
      assertThat(byName(s.getInfo().orElseThrow())).containsEntry("versions", List.of("U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"));
      for (String id : List.of("ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain")) {
        Source phone = sourceOf(Profiles.builtIn(id).orElseThrow());
        assertThat(phone.where()).as(id).isEqualTo("getinfo/" + id + ".json");
        assertThat(phone.getInfo()).as(id).isEmpty();
        assertThat(phone.unsourced()).as(id).hasValueSatisfying(why -> assertThat(why).contains("over hybrid"));
      }
    }

    @Test
    void theDifferenceList_isTiny_andEveryEntryHasAReason() {
      assertThat(DIFFERENCES.values().stream().mapToInt(Map::size).sum()).isLessThanOrEqualTo(3);
      DIFFERENCES.forEach((id, m) -> {
        assertThat(Profiles.BUILT_IN).contains(id);
        m.values().forEach(reason -> assertThat(reason).isNotBlank());
      });
    }
  }
}
