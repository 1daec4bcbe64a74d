package dev.softkey.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.profile.Quirks.ChannelAllocation;
import dev.softkey.core.profile.Quirks.GetInfoMember;
import dev.softkey.core.profile.Quirks.ResetWindow;
import dev.softkey.core.profile.Quirks.ResetWindows;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in profile loads and validates; invariants across them; a bad profile file names
 * the file and each bad field; toJson round-trips; the JSON Schema says what the loader does.
 */
class ProfilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** CTAPHID INIT capability flags (CTAP 2.1 section 11.2.9.1.3). */
  private static final int CAPABILITY_WINK = 0x01;

  private static final int CAPABILITY_CBOR = 0x04;
  private static final int CAPABILITY_NMSG = 0x08;

  static List<Profile> builtIns() {
    return Profiles.allBuiltIn();
  }

  static List<String> builtInIds() {
    return Profiles.BUILT_IN;
  }

  @Nested
  class BuiltIn {
    @Test
    void everyBuiltInId_loadsAsTheProfileOfThatId() {
      assertThat(Profiles.BUILT_IN).startsWith("generic", "yubikey-5", "bio").doesNotHaveDuplicates();
      assertThat(Profiles.BUILT_IN)
          .contains(
              "yubikey-5-nfc-5-2", "yubikey-5-nfc-5-7-1", "yubikey-5-nfc-5-7-4", "yubikey-5-fips-5-4", "yubikey-5-fips-5-7",
              "yubikey-bio-5-5", "yubikey-bio-5-7", "security-key-5-2", "security-key-nfc-5-7-1", "titan-v2",
              "feitian-epass-fido2", "feitian-epass-ctap21", "feitian-biopass", "nitrokey-3", "token2-pin-plus",
              "thales-idprime-bio")
          .endsWith("solo-1", "ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain");
      for (String id : Profiles.BUILT_IN) {
        assertThat(Profiles.builtIn(id)).get().extracting(Profile::id).isEqualTo(id);
        assertThat(Profiles.load(id).id()).isEqualTo(id);
      }
      assertThat(Profiles.defaultProfile().id()).isEqualTo(Profiles.DEFAULT_ID);
      assertThat(Profiles.builtIn("no-such-profile")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtIns")
    void validates_andNamesItsSource(Profile p) {
      assertThat(p.validate()).isSameAs(p);
      assertThat(p.identity().description()).isNotBlank();
      assertThat(p.identity().source()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtIns")
    void getInfoMembers_areConsistent(Profile p) {
      Profile.GetInfo g = p.getInfo();
      assertThat(g.algorithms()).isNotEmpty().doesNotHaveDuplicates();
      assertThat(g.pinUvAuthProtocols()).doesNotHaveDuplicates();
      assertThat(g.versions()).doesNotHaveDuplicates();
      assertThat(g.transports()).isNotEmpty();
      if (!p.id().equals("thales-idprime-bio") && !g.transports().contains(Transport.HYBRID)) {
        // Every model but the Thales IDPrime FIDO Bio (a card: getInfo transports [nfc]) and a
        // phone reached over hybrid has USB.
        assertThat(g.transports()).contains(Transport.USB);
      }
      if (g.supports(CtapVersion.U2F_V2)) {
        // U2F (CTAP1) registrations are P-256 only (FIDO U2F raw message formats section 4.3).
        assertThat(g.algorithms()).contains(CoseAlgorithm.ES256);
      }
      if (g.options().rk()) {
        assertThat(p.limits().maxResidentCredentials()).isPositive();
      }
      g.firmwareVersion().ifPresent(v -> assertThat(v).isPositive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtIns")
    void usbIdentity_fitsCtapHid(Profile p) {
      Profile.UsbIdentity usb = p.usb();
      assertThat(usb.vendorId()).isBetween(1, 0xFFFF);
      assertThat(usb.productId()).isBetween(0, 0xFFFF);
      assertThat(usb.manufacturer()).isNotBlank();
      assertThat(usb.product()).isNotBlank();
      assertThat(usb.deviceVersion()).hasSize(3).allSatisfy(b -> assertThat(b).isBetween(0, 255));
      assertThat(usb.capabilities() & ~(CAPABILITY_WINK | CAPABILITY_CBOR | CAPABILITY_NMSG)).isZero();
      // CTAPHID_CBOR is implemented by every FIDO2 device; NMSG says CTAPHID_MSG (U2F) is not.
      assertThat(usb.capabilities() & CAPABILITY_CBOR).isEqualTo(CAPABILITY_CBOR);
      assertThat((usb.capabilities() & CAPABILITY_NMSG) != 0).isEqualTo(!p.getInfo().supports(CtapVersion.U2F_V2));
    }

    @Test
    void aaguids_areUniqueAcrossModels_butFirmwareVersionsOfOneModelShareTheirs() {
      // Real vendors keep an AAGUID across firmware versions (Yubico 'YubiKey Hardware FIDO2
      // AAGUIDs': the YubiKey 5 NFC has 2fc0579f at 5.2 and 5.4), so the AAGUID and description
      // together tell the built-in profiles apart; softkey's own models have AAGUIDs of their own.
      Set<List<Object>> models = new HashSet<>();
      Set<UUID> own = new HashSet<>();
      for (Profile p : Profiles.allBuiltIn()) {
        assertThat(models.add(List.of(p.identity().aaguid(), p.identity().description())))
            .as("AAGUID and description of %s are unique", p.id())
            .isTrue();
        if (p.identity().vendor().equals(Profile.Identity.DEFAULT_VENDOR)) {
          assertThat(own.add(p.identity().aaguid())).as("AAGUID of %s is unique", p.id()).isTrue();
        }
      }
      assertThat(Profiles.builtIn("yubikey-5-nfc-5-2").orElseThrow().identity().aaguid())
          .isEqualTo(Profiles.builtIn("yubikey-5").orElseThrow().identity().aaguid());
    }

    @Test
    void usbIds_areUniqueAmongSoftkeysOwnModels_andRealModelsUseTheirVendorsIds() {
      Set<List<Integer>> usbIds = new HashSet<>();
      for (Profile p : Profiles.allBuiltIn()) {
        if (p.identity().vendor().equals(Profile.Identity.DEFAULT_VENDOR)) {
          assertThat(usbIds.add(List.of(p.usb().vendorId(), p.usb().productId())))
              .as("USB VID/PID of %s is unique", p.id())
              .isTrue();
        }
        if (p.identity().vendor().equals("Yubico")) {
          assertThat(p.usb().vendorId()).as(p.id()).isEqualTo(0x1050);
        }
      }
    }

    @Test
    void genericAndBio_keepSoftkeysEarlierBehaviour_asQuirksDefault() {
      assertThat(Profiles.builtIn("generic").orElseThrow().quirks()).isEqualTo(Quirks.DEFAULT);
      assertThat(Profiles.builtIn("bio").orElseThrow().quirks()).isEqualTo(Quirks.DEFAULT);
    }
  }

  @Test
  void yubikey5_matchesItsMdsStatement_andTheCapturedYubiKey5Nfc() {
    // Values from the MDS3 statement of 2fc0579f (5.4.2) and the captured fido2-token -I / -L
    // output (5.4.3) named in the profile's source; firmwareVersion is the statement's.
    Profile y = Profiles.builtIn("yubikey-5").orElseThrow();
    assertThat(y.identity().aaguid()).isEqualTo(UUID.fromString("2fc0579f-8113-47ea-b116-bb5a8db9202a"));
    assertThat(y.getInfo().versions()).containsExactly(CtapVersion.U2F_V2, CtapVersion.FIDO_2_0, CtapVersion.FIDO_2_1_PRE);
    assertThat(y.getInfo().algorithms()).containsExactly(CoseAlgorithm.ES256, CoseAlgorithm.EDDSA);
    assertThat(y.getInfo().pinUvAuthProtocols()).containsExactly(2, 1);
    assertThat(y.limits().maxMsgSize()).isEqualTo(1200);
    assertThat(y.limits().maxCredentialCountInList()).isEqualTo(8);
    assertThat(y.limits().maxCredentialIdLength()).isEqualTo(128);
    assertThat(y.getInfo().firmwareVersion()).hasValue(0x050402);
    assertThat(y.identity().firmware()).hasValue("5.4.2");
    assertThat(y.getInfo().transports()).containsExactly(Transport.NFC, Transport.USB);
    assertThat(y.getInfo().supports(CtapVersion.FIDO_2_1)).isFalse();
    assertThat(y.usb().vendorId()).isEqualTo(0x1050);
    assertThat(y.usb().productId()).isEqualTo(0x0407);
    assertThat(y.usb().manufacturer()).isEqualTo("Yubico");
    assertThat(y.usb().product()).isEqualTo("YubiKey OTP+FIDO+CCID");
    assertThat(y.usb().deviceVersion()).containsExactly(5, 4, 2);
    assertThat(y.usb().capabilities()).isEqualTo(CAPABILITY_WINK | CAPABILITY_CBOR);
    assertThat(y.identity().source()).contains("fido2-token").contains("FidoHID").contains("BLOB no. 163");
    // Firmware before 5.5.2: 5 s after power-up (Yubico .NET SDK manual, named in the source).
    assertThat(y.quirks().resetWindow()).isEqualTo(ResetWindows.everywhere(ResetWindow.afterPowerUp(Duration.ofSeconds(5))));
    assertThat(y.identity().source()).contains("5 s").contains("FIDO2 Reset");
  }

  @Nested
  class RoundTrip {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtIns")
    void toJson_parsesBackToTheSameProfile(Profile p) {
      assertThat(Profiles.parse(Profiles.toJson(p), p.id() + ".json")).isEqualTo(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtInIds")
    void builtInFiles_areExactlyWhatToJsonWrites(String id) throws IOException {
      // The built-in files are in the documented layout and order, with every field spelled out.
      try (InputStream in = Profiles.class.getResourceAsStream(id + ".json")) {
        String file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(Profiles.toJson(Profiles.builtIn(id).orElseThrow())).isEqualTo(file);
      }
    }

    @Test
    void everyQuirkAndOptionalField_roundTrips() {
      Profile p =
          Profiles.defaultProfile().toBuilder()
              .id("variant")
              .firmwareVersion(OptionalInt.empty())
              .resetWindow(
                  new ResetWindows(
                      ResetWindow.afterPowerUp(Duration.ofMillis(2500)),
                      Map.of(
                          Transport.NFC, ResetWindow.disabled(),
                          Transport.INTERNAL, ResetWindow.anyTime(),
                          Transport.USB, ResetWindow.afterPowerUp(Duration.ofSeconds(5)))))
              .ctaphidChannelAllocation(ChannelAllocation.LENIENT)
              .getInfoOmits(Set.of(GetInfoMember.ALGORITHMS, GetInfoMember.MAX_MSG_SIZE))
              .noCredentialsAfterTouch(false)
              .backupEligible(true)
              .backupState(true)
              .signCounter(SignCounter.ZERO)
              .attestation(AttestationFormat.NONE)
              .build()
              .validate();
      String json = Profiles.toJson(p);
      assertThat(Profiles.parse(json, "variant.json")).isEqualTo(p);
      assertThat(json)
          .contains("\"default\": \"2500ms\"", "\"usb\": \"5s\"", "\"nfc\": \"disabled\"", "\"internal\": \"any-time\"")
          .contains("\"getInfoOmits\": [\"maxMsgSize\", \"algorithms\"]")
          .doesNotContain("firmwareVersion");
    }

    @Test
    void theExampleOfDocsProfileSchema_loadsWithTheQuirksItNames() throws IOException {
      String page = Files.readString(Path.of("..", "docs", "profile-schema.md"), StandardCharsets.UTF_8);
      int start = page.indexOf("```json\n") + "```json\n".length();
      String example = page.substring(start, page.indexOf("```", start));
      Profile p = Profiles.parse(example, "docs/profile-schema.md");
      assertThat(p.getInfo().versions()).containsExactly(CtapVersion.U2F_V2, CtapVersion.FIDO_2_0);
      assertThat(p.quirks().resetWindow()).isEqualTo(ResetWindows.everywhere(ResetWindow.anyTime()));
      assertThat(p.quirks().ctaphidChannelAllocation()).isEqualTo(ChannelAllocation.LENIENT);
      assertThat(p.quirks().getInfoOmits()).isEqualTo(GetInfoMember.ctap20Era());
      assertThat(p.quirks().noCredentialsAfterTouch()).isTrue();
    }

    @Test
    void toBuilder_buildsAnEqualProfile() {
      for (Profile p : Profiles.allBuiltIn()) {
        assertThat(p.toBuilder().build()).isEqualTo(p);
      }
    }

    @Test
    void aMinimalFile_getsTheDocumentedDefaults() {
      ObjectNode root = generic();
      ((ObjectNode) root.get("getInfo")).remove(List.of("firmwareVersion", "options"));
      root.remove(List.of("pinPolicy", "management", "extensions", "quirks"));
      ((ObjectNode) root.get("credentials")).remove(List.of("backupEligible", "backupState"));
      Profile p = Profiles.parse(root.toString(), "minimal.json");
      assertThat(p.getInfo().firmwareVersion()).isEmpty();
      assertThat(p.getInfo().options()).isEqualTo(new Profile.Options(false, false, false));
      assertThat(p.pinPolicy().minPinLength()).isEqualTo(4);
      assertThat(p.credentials().backupEligible()).isFalse();
      assertThat(p.credentials().backupState()).isFalse();
      assertThat(p.quirks()).isEqualTo(Quirks.DEFAULT);
      assertThat(p.management()).isEqualTo(Profile.Management.NONE);
      assertThat(p.extensions()).isEqualTo(Profile.ExtensionSupport.NONE);
    }
  }

  @Nested
  class BadFile {
    @TempDir Path dir;

    private Path write(String json) throws IOException {
      Path f = dir.resolve("my.json");
      Files.writeString(f, json, StandardCharsets.UTF_8);
      return f;
    }

    private String loadError(ObjectNode root) throws IOException {
      Path f = write(root.toString());
      try {
        Profiles.load(f.toString());
      } catch (InvalidProfileException e) {
        assertThat(e.subject()).isEqualTo("profile " + f);
        return e.getMessage();
      }
      throw new AssertionError("profile loaded");
    }

    @Test
    void aMissingField_isNamedWithTheFile() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("limits")).remove("maxMsgSize");
      assertThat(loadError(root)).isEqualTo("profile " + dir.resolve("my.json") + ": field \"limits.maxMsgSize\" is missing");
    }

    @Test
    void aMissingGroup_isNamed_butNotEachOfItsFields() throws IOException {
      ObjectNode root = generic();
      root.remove("usb");
      assertThat(loadError(root)).endsWith(": field \"usb\" is missing");
    }

    @Test
    void aValueOfTheWrongType_isNamed() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("limits")).put("maxMsgSize", "1200");
      ((ObjectNode) root.get("getInfo").get("options")).put("rk", "yes");
      ((ObjectNode) root.get("usb")).put("vendorId", 1.5);
      ((ObjectNode) root.get("identity")).put("aaguid", "not-a-uuid");
      ((ObjectNode) root).set("pinPolicy", JSON.createArrayNode());
      assertThat(loadError(root))
          .contains("field \"limits.maxMsgSize\": \"1200\" is not an integer")
          .contains("field \"getInfo.options.rk\": \"yes\" is not true or false")
          .contains("field \"usb.vendorId\": 1.5 is not an integer")
          .contains("field \"identity.aaguid\": \"not-a-uuid\" is not a UUID")
          .contains("field \"pinPolicy\": [] is not an object");
    }

    @Test
    void anIntegerBeyond32Bits_isNamed() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("limits")).put("maxMsgSize", 5_000_000_000L);
      assertThat(loadError(root)).contains("field \"limits.maxMsgSize\": 5000000000 is not an integer of 32 bits");
    }

    @Test
    void aValueOutsideAnEnumeration_namesTheAllowedValues() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("attestation")).put("format", "pakced");
      ((ObjectNode) root.get("credentials")).put("signCounter", "sometimes");
      ((ArrayNode) root.get("getInfo").get("versions")).set(1, "FIDO_3_0");
      ((ArrayNode) root.get("getInfo").get("algorithms")).set(0, "es256");
      ((ObjectNode) root.get("quirks")).put("ctaphidChannelAllocation", "loose");
      ((ObjectNode) root.get("quirks").get("resetWindow")).put("default", "10 seconds");
      assertThat(loadError(root))
          .contains("field \"attestation.format\": \"pakced\" is not one of packed, self, none, fido-u2f")
          .contains("field \"credentials.signCounter\": \"sometimes\" is not one of per-credential, global, zero")
          .contains("field \"getInfo.versions[1]\": \"FIDO_3_0\" is not one of U2F_V2, FIDO_2_0, FIDO_2_1_PRE, FIDO_2_1, FIDO_2_2")
          .contains("field \"getInfo.algorithms[0]\": \"es256\" is not one of ES256, EdDSA, ES384, RS256")
          .contains("field \"quirks.ctaphidChannelAllocation\": \"loose\" is not one of strict, lenient")
          .contains("field \"quirks.resetWindow.default\": \"10 seconds\" is not \"any-time\", \"disabled\" or a window");
    }

    @Test
    void anUnknownField_isRejected_soATypoDoesNotLoadWithADefault() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("quirks")).put("noCredentialAfterTouch", false); // "Credential", not "Credentials"
      ((ObjectNode) root.get("identity")).putArray("extensions").add("credProtect");
      root.put("maxMsgSize", 1200); // the old flat shape
      assertThat(loadError(root))
          .contains("unknown field \"quirks.noCredentialAfterTouch\" (quirks has resetWindow, ctaphidChannelAllocation,"
              + " getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds,"
              + " userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon)")
          .contains("unknown field \"identity.extensions\"")
          .contains("unknown field \"maxMsgSize\" (a profile has identity, getInfo, limits, pinPolicy, attestation,"
              + " credentials, management, extensions, quirks, usb, metadata)");
    }

    @Test
    void anUnknownTransportInTheResetWindow_isRejected() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("quirks").get("resetWindow")).put("bluetooth", "disabled");
      assertThat(loadError(root)).contains("unknown field \"quirks.resetWindow.bluetooth\" (quirks.resetWindow has default, usb, nfc,");
    }

    @Test
    void theOldFlatShape_namesTheGroupsItLacks() throws IOException {
      Path f =
          write(
              """
              {"id": "old", "description": "d", "source": "s", "aaguid": "0a3a4a58-b35c-4a72-a1be-5c5cb1009e2c",
               "versions": ["FIDO_2_0"], "maxMsgSize": 1200}
              """);
      assertThatThrownBy(() -> Profiles.load(f.toString()))
          .isInstanceOf(InvalidProfileException.class)
          .hasMessageContainingAll("field \"identity\" is missing", "field \"limits\" is missing", "unknown field \"versions\"");
    }

    @Test
    void everyViolatedInvariant_isNamedWithTheFile() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("identity")).put("id", "Bad Profile");
      ObjectNode gi = (ObjectNode) root.get("getInfo");
      gi.putArray("versions").add("U2F_V2").add("FIDO_2_1_PRE");
      gi.putArray("algorithms").add("EdDSA");
      gi.putArray("pinUvAuthProtocols").add(3);
      ObjectNode lim = (ObjectNode) root.get("limits");
      lim.put("maxMsgSize", 512).put("maxCredentialCountInList", 0).put("maxCredentialIdLength", 16).put("maxResidentCredentials", 0);
      root.putObject("pinPolicy").put("minPinLength", 3);
      ((ObjectNode) root.get("credentials")).put("backupState", true);
      ((ObjectNode) root.get("quirks").get("resetWindow")).put("usb", "disabled").put("default", "0s");
      ((ObjectNode) root.get("usb")).putArray("deviceVersion").add(1).add(2);
      ((ObjectNode) root.get("usb")).put("capabilities", 0x10);
      String m = loadError(root);
      assertThat(m).startsWith("profile " + dir.resolve("my.json") + ": ");
      assertThat(m)
          .contains(
              "identity.id must be lower-case letters, digits and dashes",
              "getInfo.versions must include FIDO_2_0 or FIDO_2_1",
              "a U2F_V2 authenticator needs ES256",
              "getInfo.pinUvAuthProtocols may contain only 1 and 2",
              "pinPolicy.minPinLength must be 4..63",
              "limits.maxMsgSize must be at least 1024",
              "limits.maxCredentialCountInList must be at least 1",
              "limits.maxCredentialIdLength must be at least 64",
              "limits.maxResidentCredentials must be at least 1 when getInfo.options.rk is true",
              "credentials.backupState requires credentials.backupEligible",
              "quirks.resetWindow: a window after power-up must be longer than 0",
              "quirks.resetWindow must allow reset over usb",
              "quirks.resetWindow must allow reset over at least one of getInfo.transports",
              "usb.deviceVersion must have three numbers",
              "usb.capabilities may have only WINK 0x01, CBOR 0x04 and NMSG 0x08");
    }

    @Test
    void metadataValuesOutsideTheFidoRegistry_areNamed() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("identity")).put("vendor", " ");
      ObjectNode md = (ObjectNode) root.get("metadata");
      md.putArray("keyProtection").add("hardware").add("hardware");
      md.putArray("matcherProtection").add("on-chip");
      md.putArray("attachmentHint");
      md.put("cryptoStrength", 0);
      assertThat(loadError(root))
          .contains(
              "identity.vendor must not be blank",
              "metadata.keyProtection must not repeat a value",
              "metadata.matcherProtection: \"on-chip\" is not one of software, tee, on_chip",
              "metadata.attachmentHint must not be empty",
              "metadata.cryptoStrength must be at least 1");
    }

    @Test
    void aCtap21ProfileWithoutProtocol2_isNamed() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("getInfo")).putArray("pinUvAuthProtocols").add(1);
      assertThat(loadError(root)).contains("a FIDO_2_1 authenticator must support PIN/UV auth protocol 2");
    }

    @Test
    void repeatedValues_areNamed() throws IOException {
      ObjectNode root = generic();
      ((ObjectNode) root.get("getInfo")).putArray("transports").add("usb").add("usb");
      assertThat(loadError(root)).contains("getInfo.transports must not repeat a transport");
      ObjectNode other = generic();
      ((ObjectNode) other.get("quirks")).putArray("getInfoOmits").add("algorithms").add("algorithms");
      assertThat(loadError(other)).contains("field \"quirks.getInfoOmits\" must not repeat a member");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"identity\": ", "[1, 2]", "{} {}", ""})
    void textThatIsNoProfileObject_isNamed(String text) throws IOException {
      Path f = write(text);
      assertThatThrownBy(() -> Profiles.load(f.toString()))
          .isInstanceOf(InvalidProfileException.class)
          .hasMessageStartingWith("profile " + f + ": ")
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("not valid JSON at line", "not a JSON object", "is empty"));
    }

    @Test
    void aRepeatedKey_isNotValidJson() throws IOException {
      Path f = write("{\"identity\": {}, \"identity\": {}}");
      assertThatThrownBy(() -> Profiles.load(f.toString())).hasMessageContaining("Duplicate field 'identity'");
    }

    @Test
    void anUnknownIdThatIsNoFile_isNamed() {
      assertThatThrownBy(() -> Profiles.load(dir.resolve("missing.json").toString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown profile")
          .hasMessageContaining("generic");
    }
  }

  /** profile.schema.json documents the same fields, requirements and defaults the loader has. */
  @Nested
  class Schema {
    private final JsonNode schema = read("profile.schema.json");

    @Test
    void everyFieldToJsonWrites_isInTheSchema_andEverySchemaFieldIsWritten() {
      Set<String> written = new TreeSet<>();
      for (Profile p : Profiles.allBuiltIn()) {
        leaves("", json(Profiles.toJson(p)), written);
      }
      // getInfo.certifications is a map of certification names (FIPS-CMVP-2, FIDO, ...) to levels.
      if (written.removeIf(f -> f.startsWith("getInfo.certifications."))) {
        written.add("getInfo.certifications");
      }
      Set<String> inSchema = new TreeSet<>();
      schemaLeaves("", schema, inSchema);
      // resetWindow names transports only where a model differs; toJson writes what is set.
      inSchema.removeIf(f -> f.startsWith("quirks.resetWindow.") && !f.equals("quirks.resetWindow.default"));
      assertThat(written).isEqualTo(inSchema);
    }

    /** Optional fields that generic.json's other fields need, and the invariant that says so. */
    private static final java.util.Map<String, String> COUPLED =
        java.util.Map.of(
            "management", "extension minPinLength needs management.config.setMinPINLength",
            "management.config", "extension minPinLength needs management.config.setMinPINLength",
            "extensions.identifiers", "extensions.maxCredBlobLength must be present exactly when credBlob is listed",
            "extensions.maxCredBlobLength", "extensions.maxCredBlobLength must be present exactly when credBlob is listed",
            "extensions.largeBlobs", "extensions.largeBlobs must be present exactly when largeBlobKey is listed");

    @Test
    void fieldsTheSchemaRequires_areReportedMissing_andTheOthersDefault() {
      for (String field : schemaFields("", schema)) {
        ObjectNode root = generic();
        String[] parts = field.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
          parent = parent.get(parts[i]);
        }
        if (parent == null || !parent.has(parts[parts.length - 1])) {
          continue; // not in generic.json (a transport of resetWindow)
        }
        ((ObjectNode) parent).remove(parts[parts.length - 1]);
        boolean required = isRequired(field);
        if (required) {
          assertThatThrownBy(() -> Profiles.parse(root.toString(), "t.json"))
              .as(field)
              .hasMessageContaining("field \"" + field + "\" is missing");
        } else if (COUPLED.containsKey(field)) {
          // Optional on its own, but another field of generic.json needs it.
          assertThatThrownBy(() -> Profiles.parse(root.toString(), "t.json")).as(field).hasMessageContaining(COUPLED.get(field));
        } else {
          assertThat(Profiles.parse(root.toString(), "t.json")).as(field).isNotNull();
        }
      }
    }

    @Test
    void schemaDefaults_areTheLoadersDefaults() {
      assertThat(schema.at("/properties/pinPolicy/properties/minPinLength/default").intValue()).isEqualTo(ProfileJson.DEFAULT_MIN_PIN_LENGTH);
      Quirks d = Quirks.DEFAULT;
      JsonNode q = schema.at("/properties/quirks/properties");
      assertThat(q.at("/resetWindow/properties/default/default").textValue()).isEqualTo(d.resetWindow().otherwise().jsonName());
      assertThat(q.at("/ctaphidChannelAllocation/default").textValue()).isEqualTo(d.ctaphidChannelAllocation().jsonName());
      assertThat(q.at("/getInfoOmits/default")).isEmpty();
      assertThat(d.getInfoOmits()).isEmpty();
      assertThat(q.at("/noCredentialsAfterTouch/default").booleanValue()).isEqualTo(d.noCredentialsAfterTouch());
      assertThat(schema.at("/properties/attestation/properties/format/enum"))
          .extracting(JsonNode::textValue)
          .containsExactly(names(AttestationFormat.values()));
      assertThat(schema.at("/properties/credentials/properties/signCounter/enum"))
          .extracting(JsonNode::textValue)
          .containsExactly(names(SignCounter.values()));
      assertThat(schema.at("/properties/getInfo/properties/versions/items/enum"))
          .extracting(JsonNode::textValue)
          .containsExactly(names(CtapVersion.values()));
      assertThat(schema.at("/properties/getInfo/properties/transports/items/enum"))
          .extracting(JsonNode::textValue)
          .containsExactly(names(Transport.values()));
      assertThat(q.at("/getInfoOmits/items/enum")).extracting(JsonNode::textValue).containsExactly(names(GetInfoMember.values()));
    }

    private boolean isRequired(String field) {
      String[] parts = field.split("\\.");
      JsonNode node = schema;
      for (int i = 0; i < parts.length - 1; i++) {
        node = node.get("properties").get(parts[i]);
      }
      for (JsonNode r : node.path("required")) {
        if (r.textValue().equals(parts[parts.length - 1])) {
          return true;
        }
      }
      return false;
    }

    private static List<String> schemaFields(String prefix, JsonNode s) {
      List<String> out = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = prefix + e.getKey();
        out.add(name);
        out.addAll(schemaFields(name + ".", e.getValue()));
      }
      return out;
    }

    private static void schemaLeaves(String prefix, JsonNode s, Set<String> out) {
      for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().has("properties")) {
          schemaLeaves(prefix + e.getKey() + ".", e.getValue(), out);
        } else {
          out.add(prefix + e.getKey());
        }
      }
    }

    private static void leaves(String prefix, JsonNode n, Set<String> out) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isObject()) {
          leaves(prefix + e.getKey() + ".", e.getValue(), out);
        } else {
          out.add(prefix + e.getKey());
        }
      }
    }
  }

  private static String[] names(JsonName[] values) {
    String[] out = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i].jsonName();
    }
    return out;
  }

  /** generic.json as a tree to break. */
  private static ObjectNode generic() {
    return (ObjectNode) read("generic.json");
  }

  private static JsonNode read(String resource) {
    try (InputStream in = Profiles.class.getResourceAsStream(resource)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
