package dev.softkey.core.profile;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommand;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The solo-1 profile against the Solo 1 firmware 4.1.5 source (solokeys/solo1 fido2/ctap.c): its
 * getInfo source is the one ctap_get_info builds (testvectors getinfo/solo-1.json, which {@link
 * CatalogueTest} compares with the served getInfo member by member), and the firmware conventions
 * tools written for its simulator rely on hold: credential management on 0x0A
 * and 0x41 with getPinToken's token, the user icon kept, reset at any time, CTAP 2.0 PIN
 * subcommands only, 50 discoverable credentials.
 */
class SoloOneTest {
  static final String PIN = "1234";
  static final Profile SOLO = Profiles.builtIn("solo-1").orElseThrow();
  static final String ICON = "https://example.com/alice.png";

  static JsonNode source() throws IOException {
    try (InputStream in = SoloOneTest.class.getResourceAsStream("/dev/softkey/testvectors/getinfo/solo-1.json")) {
      assertThat(in).as("testvectors getinfo/solo-1.json").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  static Device device() {
    return TestDevices.build(Authenticator.builder().profile(SOLO).presence(Presence.approve()).noEnrolledFingerprint());
  }

  static PlatformPin pin(Device d) {
    // Protocol 1 and getPinToken: the Solo reports pinUvAuthProtocols [1] and no pinUvAuthToken.
    return new PlatformPin(req -> d.authenticator().process(req, OperationContext.INTERNAL), 1, false, RandomSource.seeded(7));
  }

  static Bytes createWithIcon(Device d, String rpId, byte[] userId, String name) {
    Map<Object, Object> mc = makeCredential(rpId, userId, List.of(-7L), map("rk", true));
    mc.put(3L, map("id", Bytes.wrap(userId), "name", name, "displayName", name.toUpperCase(), "icon", ICON));
    CborMap r = d.client().send(CtapCommand.MAKE_CREDENTIAL, mc).ok();
    byte[] ad = r.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return Bytes.of(ad, 55, len);
  }

  static CtapTestClient.Response credman(Device d, CtapCommand command, PinToken token, SubCommand sub, SubCommandParams params) {
    CredentialManagementRequest r = CredentialManagementRequest.of(sub).withCommand(command);
    if (params != null) {
      r = r.withSubCommandParams(params);
    }
    return d.client().sendRaw(r.withPinUvAuth(token.protocol(), token.authenticate(r.pinUvAuthMessage().unsafeArray())).encode());
  }

  @Nested
  class GetInfoAsCtapGetInfoBuildsIt {
    // That the served getInfo equals the source file member by member is CatalogueTest's
    // getInfo-versus-source test, which covers every built-in profile (this file is solo-1's source).

    @Test
    void theSourceFile_namesItsSource() throws IOException {
      assertThat(source().path("source").asText()).contains("solokeys/solo1", "ctap_get_info", "d910d1a5");
    }

    @Test
    void clientPin_turnsTrueOnceAPinIsSet() {
      Device d = device();
      pin(d).setPin(PIN);
      CborMap options = CborMap.asMap(d.client().send(CtapCommand.GET_INFO, null).ok().asMap().get(4L));
      assertThat(options.asMap()).containsEntry("clientPin", true).containsEntry("credMgmt", true).doesNotContainKey("credentialMgmtPreview");
    }
  }

  @Nested
  class CredentialManagementOnBothCommands {
    @Test
    void getCredsMetadata_answersOn0x0AAnd0x41_withTheGetPinTokenToken() {
      Device d = device();
      createWithIcon(d, "example.com", new byte[] {1}, "alice");
      PlatformPin p = pin(d);
      p.setPin(PIN);
      PinToken legacy = p.getPinToken(PIN);
      for (CtapCommand c : List.of(CtapCommand.CREDENTIAL_MANAGEMENT, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW)) {
        CborMap r = credman(d, c, legacy, SubCommand.GET_CREDS_METADATA, null).ok();
        assertThat(r.asMap()).as(c.toString()).containsEntry(1L, 1L).containsEntry(2L, 49L);
      }
    }

    @Test
    void updateUserInformation_isNotAFirmware4Subcommand() {
      Device d = device();
      Bytes id = createWithIcon(d, "example.com", new byte[] {1}, "alice");
      PlatformPin p = pin(d);
      p.setPin(PIN);
      SubCommandParams params =
          SubCommandParams.ofUpdate(
              dev.softkey.ctap.command.PublicKeyCredentialDescriptor.publicKey(id),
              dev.softkey.ctap.command.PublicKeyCredentialUserEntity.of(Bytes.wrap(new byte[] {1})));
      assertThat(credman(d, CtapCommand.CREDENTIAL_MANAGEMENT, p.getPinToken(PIN), SubCommand.UPDATE_USER_INFORMATION, params).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }
  }

  @Nested
  class UserIconKept {
    @Test
    void enumerateCredentials_returnsTheIcon_asCtapAddUserEntityWritesIt() {
      Device d = device();
      createWithIcon(d, "example.com", new byte[] {1}, "alice");
      PlatformPin p = pin(d);
      p.setPin(PIN);
      SubCommandParams rp = SubCommandParams.ofRpIdHash(PublicKeyCredentialRpEntity.idHash("example.com"));
      CborMap r = credman(d, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, p.getPinToken(PIN), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rp).ok();
      CborMap user = CborMap.asMap(r.asMap().get(6L));
      assertThat(user.asMap()).containsEntry("icon", ICON).containsEntry("name", "alice").containsEntry("displayName", "ALICE");
    }

    @Test
    void getAssertion_withUv_returnsTheIconWithNameAndDisplayName() {
      Device d = device();
      createWithIcon(d, "example.com", new byte[] {1}, "alice");
      createWithIcon(d, "example.com", new byte[] {2}, "bob");
      PlatformPin p = pin(d);
      p.setPin(PIN);
      Map<Object, Object> ga = getAssertion("example.com", List.of(), map());
      ga.remove(3L);
      PinToken t = p.getPinToken(PIN);
      ga.put(6L, t.authenticate(((Bytes) ga.get(2L)).toArray()));
      ga.put(7L, 1L);
      CborMap r = d.client().send(CtapCommand.GET_ASSERTION, ga).ok();
      assertThat(CborMap.asMap(r.asMap().get(4L)).asMap()).containsEntry("icon", ICON);
    }

    @Test
    void anotherProfile_dropsTheIcon() {
      Device d = TestDevices.build(Profiles.defaultProfile(), Presence.approve());
      createWithIcon(d, "example.com", new byte[] {1}, "alice");
      assertThat(d.store().findByRpId("example.com").get(0).userIcon()).isEmpty();
    }

    @Test
    void aLongIcon_isCutTo127BytesAsIconLimitDoes() {
      Device d = device();
      Map<Object, Object> mc = makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true));
      mc.put(3L, map("id", Bytes.wrap(new byte[] {1}), "name", "a", "icon", "x".repeat(300)));
      d.client().send(CtapCommand.MAKE_CREDENTIAL, mc).ok();
      assertThat(d.store().findByRpId("example.com").get(0).userIcon()).hasValue("x".repeat(127));
    }
  }

  @Nested
  class FirmwareConventions {
    @Test
    void reset_isAcceptedAMinuteAfterPowerUp() {
      Device d = device();
      d.clock().advance(Duration.ofMinutes(1));
      assertThat(d.client().send(CtapCommand.RESET, null).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void getPinUvAuthTokenUsingPinWithPermissions_isNotAFirmware4Subcommand() {
      Device d = device();
      pin(d).setPin(PIN);
      PlatformPin modern = new PlatformPin(req -> d.authenticator().process(req, OperationContext.INTERNAL), 1, true, RandomSource.seeded(8));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> modern.getPinUvAuthToken(PIN, java.util.Set.of(dev.softkey.ctap.pin.Permission.CREDENTIAL_MANAGEMENT), java.util.Optional.empty()))
          .hasMessageContaining("CTAP2_ERR_INVALID_SUBCOMMAND");
    }

    @Test
    void oneGetPinTokenToken_signsForSeveralRps_asCtap20PinTokensDo() {
      Device d = device();
      PlatformPin p = pin(d);
      p.setPin(PIN);
      PinToken t = p.getPinToken(PIN);
      for (int i = 0; i < 3; i++) {
        Map<Object, Object> mc = makeCredential("rp" + i + ".example", new byte[] {(byte) i}, List.of(-7L), map("rk", true));
        mc.put(8L, t.authenticate(((Bytes) mc.get(1L)).toArray()));
        mc.put(9L, 1L);
        CtapTestClient.Response r = d.client().send(CtapCommand.MAKE_CREDENTIAL, mc);
        assertThat(r.status()).as("makeCredential #%d", i).isEqualTo(CtapStatus.CTAP2_OK);
        assertThat(r.body().bytes(2).toArray()[32] & 0x04).as("UV flag").isEqualTo(0x04);
      }
      // ... and credential management after them (fido2-tests test_credmgmt.py).
      assertThat(credman(d, CtapCommand.CREDENTIAL_MANAGEMENT, t, SubCommand.GET_CREDS_METADATA, null).ok().asMap()).containsEntry(1L, 3L);
    }

    @Test
    void the51stDiscoverableCredential_isKeyStoreFull() {
      Device d = device();
      for (int i = 0; i < 50; i++) {
        d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {(byte) i}, List.of(-7L), map("rk", true))).ok();
      }
      assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {99}, List.of(-7L), map("rk", true))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
    }
  }
}
