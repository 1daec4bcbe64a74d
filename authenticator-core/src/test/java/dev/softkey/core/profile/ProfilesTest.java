package dev.softkey.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in profile loads and validates; invariants across them; bad JSON names each error. */
class ProfilesTest {
  /** CTAPHID INIT capability flags (CTAP 2.1 section 11.2.9.1.3). */
  private static final int CAPABILITY_WINK = 0x01;

  private static final int CAPABILITY_CBOR = 0x04;
  private static final int CAPABILITY_NMSG = 0x08;

  /** getInfo transports defined by WebAuthn L3 section 5.8.4 (AuthenticatorTransport). */
  private static final Set<String> TRANSPORTS = Set.of("usb", "nfc", "ble", "smart-card", "hybrid", "internal");

  static List<Profile> builtIns() {
    return Profiles.allBuiltIn();
  }

  @Nested
  class BuiltIn {
    @Test
    void everyBuiltInId_loadsAsTheProfileOfThatId() {
      assertThat(Profiles.BUILT_IN).containsExactly("generic", "yubikey-5", "bio");
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
      assertThat(p.description()).isNotBlank();
      assertThat(p.source()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.softkey.core.profile.ProfilesTest#builtIns")
    void getInfoMembers_areConsistent(Profile p) {
      assertThat(p.coseAlgorithms()).hasSameSizeAs(p.algorithms()).doesNotHaveDuplicates();
      assertThat(p.pinUvAuthProtocols()).doesNotHaveDuplicates();
      assertThat(p.versions()).doesNotHaveDuplicates();
      assertThat(p.transports()).isNotEmpty().isSubsetOf(TRANSPORTS).contains("usb");
      if (p.supportsU2f()) {
        // U2F (CTAP1) registrations are P-256 only (FIDO U2F raw message formats section 4.3).
        assertThat(p.coseAlgorithms()).contains(CoseAlgorithm.ES256);
      }
      if (p.residentKeys()) {
        assertThat(p.maxResidentCredentials()).isPositive();
      }
      if (p.firmwareVersion() != null) {
        assertThat(p.firmwareVersion()).isPositive();
      }
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
      assertThat((usb.capabilities() & CAPABILITY_NMSG) != 0).isEqualTo(!p.supportsU2f());
    }

    @Test
    void aaguidsAndUsbIds_areUniqueAcrossProfiles() {
      Set<UUID> aaguids = new HashSet<>();
      Set<List<Integer>> usbIds = new HashSet<>();
      for (Profile p : Profiles.allBuiltIn()) {
        assertThat(aaguids.add(p.aaguid())).as("AAGUID of %s is unique", p.id()).isTrue();
        assertThat(usbIds.add(List.of(p.usb().vendorId(), p.usb().productId())))
            .as("USB VID/PID of %s is unique", p.id())
            .isTrue();
      }
    }
  }

  @Test
  void yubikey5_matchesTheCapturedYubiKey5Nfc() {
    // Values from the captured fido2-token -I / -L output named in the profile's source.
    Profile y = Profiles.builtIn("yubikey-5").orElseThrow();
    assertThat(y.aaguid()).isEqualTo(UUID.fromString("2fc0579f-8113-47ea-b116-bb5a8db9202a"));
    assertThat(y.versions()).containsExactly("U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE");
    assertThat(y.coseAlgorithms()).containsExactly(CoseAlgorithm.ES256, CoseAlgorithm.EDDSA);
    assertThat(y.pinUvAuthProtocols()).containsExactly(2, 1);
    assertThat(y.maxMsgSize()).isEqualTo(1200);
    assertThat(y.maxCredentialCountInList()).isEqualTo(8);
    assertThat(y.maxCredentialIdLength()).isEqualTo(128);
    assertThat(y.firmwareVersion()).isEqualTo(0x050403);
    assertThat(y.transports()).containsExactly("nfc", "usb");
    assertThat(y.isCtap21()).isFalse();
    assertThat(y.usb().vendorId()).isEqualTo(0x1050);
    assertThat(y.usb().productId()).isEqualTo(0x0407);
    assertThat(y.usb().manufacturer()).isEqualTo("Yubico");
    assertThat(y.usb().product()).isEqualTo("YubiKey OTP+FIDO+CCID");
    assertThat(y.usb().deviceVersion()).containsExactly(5, 4, 3);
    assertThat(y.usb().capabilities()).isEqualTo(CAPABILITY_WINK | CAPABILITY_CBOR);
    assertThat(y.source()).contains("fido2-token").contains("FidoHID");
  }

  @Nested
  class BadJson {
    @TempDir Path dir;

    private Path write(String json) throws IOException {
      Path f = dir.resolve("bad.json");
      Files.writeString(f, json, StandardCharsets.UTF_8);
      return f;
    }

    @Test
    void everyViolatedInvariant_isNamed() throws IOException {
      Path f =
          write(
              """
              {
                "id": "Bad Profile",
                "description": "breaks every rule it can",
                "source": "ProfilesTest",
                "aaguid": "00000000-0000-0000-0000-000000000001",
                "versions": ["U2F_V2", "FIDO_3_0"],
                "algorithms": ["ES256", "MD5"],
                "pinUvAuthProtocols": [3],
                "builtInUv": false,
                "residentKeys": true,
                "maxResidentCredentials": 0,
                "maxMsgSize": 512,
                "maxCredentialCountInList": 0,
                "maxCredentialIdLength": 16,
                "minPinLength": 3,
                "makeCredUvNotRequired": false,
                "firmwareVersion": null,
                "attestation": "basic",
                "signCounter": "sometimes",
                "backupEligible": false,
                "backupState": true,
                "transports": ["usb"],
                "usb": {"vendorId": 1, "productId": 2, "manufacturer": "m", "product": "p",
                        "deviceVersion": [1, 2], "capabilities": 5}
              }
              """);
      assertThatThrownBy(() -> Profiles.load(f.toString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContainingAll(
              "id must be lower-case letters, digits and dashes",
              "unknown version FIDO_3_0",
              "versions must include FIDO_2_0 or FIDO_2_1",
              "unknown algorithm MD5",
              "pinUvAuthProtocols may contain only 1 and 2",
              "minPinLength must be 4..63",
              "maxMsgSize must be at least 1024",
              "maxCredentialCountInList must be at least 1",
              "maxCredentialIdLength must be at least 64",
              "maxResidentCredentials must be at least 1",
              "attestation must be packed, self, none or fido-u2f",
              "signCounter must be per-credential, global or zero",
              "backupState requires backupEligible",
              "usb.deviceVersion must have three numbers");
    }

    @Test
    void aCtap21ProfileWithoutProtocol2_isNamed() throws IOException {
      String generic = Files.readString(resource("generic.json"));
      Path f = write(generic.replace("\"pinUvAuthProtocols\": [2, 1]", "\"pinUvAuthProtocols\": [1]"));
      assertThatThrownBy(() -> Profiles.load(f.toString()))
          .hasMessageContaining("a FIDO_2_1 authenticator must support PIN/UV auth protocol 2");
    }

    @Test
    void unknownMembers_areRejected() throws IOException {
      // The record has no place for getInfo extensions; a profile naming them must not load silently.
      String generic = Files.readString(resource("generic.json"));
      Path f = write(generic.replace("\"id\": \"generic\",", "\"id\": \"generic-x\", \"extensions\": [\"credProtect\"],"));
      assertThatThrownBy(() -> Profiles.load(f.toString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("extensions");
    }

    @Test
    void anUnknownIdThatIsNoFile_isNamed() {
      assertThatThrownBy(() -> Profiles.load(dir.resolve("missing.json").toString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown profile")
          .hasMessageContaining("generic");
    }

    private Path resource(String name) {
      try {
        return Path.of(Profiles.class.getResource(name).toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
