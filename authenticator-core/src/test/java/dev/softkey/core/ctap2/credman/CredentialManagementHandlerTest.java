package dev.softkey.core.ctap2.credman;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommand;
import dev.softkey.ctap.command.CredentialManagementRequest.SubCommandParams;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialRpEntity;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.core.control.CredentialEvent;
import dev.softkey.core.control.VirtualCredential;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** authenticatorCredentialManagement (CTAP 2.1 section 6.8), 0x0A and the prototype 0x41. */
class CredentialManagementHandlerTest {
  static final String PIN = "1234";
  static final CtapCommand CM = CtapCommand.CREDENTIAL_MANAGEMENT;
  static final CtapCommand PRE = CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW;

  /** A device with two credentials for example.com, one for other.example, and a PIN. */
  static final class Fixture {
    final Device dev;
    final PlatformPin pin;
    final Bytes alice;
    final Bytes bob;
    final Bytes carol;

    Fixture(Profile profile) {
      dev = TestDevices.build(profile, Presence.approve());
      pin = new PlatformPin(req -> dev.authenticator().process(req, OperationContext.INTERNAL), 2, true, RandomSource.seeded(7));
      alice = create(dev, "example.com", new byte[] {1});
      dev.clock().advance(Duration.ofSeconds(1));
      bob = create(dev, "example.com", new byte[] {2});
      dev.clock().advance(Duration.ofSeconds(1));
      carol = create(dev, "other.example", new byte[] {3});
      pin.setPin(PIN);
    }

    Fixture() {
      this(Profiles.defaultProfile());
    }

    PinToken cmToken() {
      return pin.getPinUvAuthToken(PIN, Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty());
    }

    PinToken cmToken(String rpId) {
      return pin.getPinUvAuthToken(PIN, Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.of(rpId));
    }

    CredentialManager manager(CtapCommand command, PinToken token) {
      return new CredentialManager(req -> dev.authenticator().process(req, OperationContext.INTERNAL), command, token);
    }

    CtapTestClient.Response send(CredentialManagementRequest r) {
      return dev.client().sendRaw(r.encode());
    }

    CtapTestClient.Response signed(CtapCommand command, PinToken token, SubCommand sub, SubCommandParams params) {
      CredentialManagementRequest r = CredentialManagementRequest.of(sub).withCommand(command);
      if (params != null) {
        r = r.withSubCommandParams(params);
      }
      return send(r.withPinUvAuth(token.protocol(), token.authenticate(r.pinUvAuthMessage().unsafeArray())));
    }

    CtapTestClient.Response next(CtapCommand command, SubCommand sub) {
      return send(CredentialManagementRequest.of(sub).withCommand(command));
    }
  }

  static Bytes create(Device dev, String rpId, byte[] user) {
    CborMap r = dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential(rpId, user, List.of(-7L), map("rk", true))).ok();
    byte[] ad = r.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return Bytes.of(ad, 55, len);
  }

  static SubCommandParams rpHash(String rpId) {
    return SubCommandParams.ofRpIdHash(PublicKeyCredentialRpEntity.idHash(rpId));
  }

  static SubCommandParams credential(Bytes id) {
    return SubCommandParams.ofCredentialId(PublicKeyCredentialDescriptor.publicKey(id));
  }

  @Nested
  class Common {
    final Fixture f = new Fixture();

    @Test
    void pinUvAuthParamMissing_returnsPuatRequired() {
      assertThat(f.send(CredentialManagementRequest.of(SubCommand.GET_CREDS_METADATA)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
    }

    @Test
    void pinUvAuthProtocolMissing_returnsMissingParameter() {
      PinToken t = f.cmToken();
      Map<Object, Object> p = map(1, 1L, 4, t.authenticate(new byte[] {1}));
      assertThat(f.dev.client().send(CM, p).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void pinUvAuthProtocolUnsupported_returnsInvalidParameter() {
      PinToken t = f.cmToken();
      Map<Object, Object> p = map(1, 1L, 3, 3L, 4, t.authenticate(new byte[] {1}));
      assertThat(f.dev.client().send(CM, p).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void verifyFails_returnsPinAuthInvalid() {
      PinToken t = f.cmToken();
      // Signed for getCredsMetadata, sent as enumerateRPsBegin.
      Map<Object, Object> p = map(1, 2L, 3, 2L, 4, t.authenticate(new byte[] {1}));
      assertThat(f.dev.client().send(CM, p).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void tokenWithoutCmPermission_returnsPinAuthInvalid() {
      PinToken ga = f.pin.getPinUvAuthToken(PIN, Set.of(Permission.GET_ASSERTION), Optional.of("example.com"));
      assertThat(f.signed(CM, ga, SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void getPinTokenToken_onCommand0x0A_returnsPinAuthInvalid() {
      PinToken legacy = f.pin.getPinToken(PIN);
      assertThat(f.signed(CM, legacy, SubCommand.GET_CREDS_METADATA, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void unknownSubCommand_returnsInvalidSubCommand() {
      PinToken t = f.cmToken();
      Map<Object, Object> p = map(1, 0x08L, 3, 2L, 4, t.authenticate(new byte[] {8}));
      assertThat(f.dev.client().send(CM, p).status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }

    @Test
    void noParameters_returnsMissingParameter() {
      assertThat(f.dev.client().sendRaw(new byte[] {0x0A}).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void clientPin_grantsTheCmPermission() {
      // No CTAP2_ERR_UNAUTHORIZED_PERMISSION: the registered handler declares cm.
      assertThat(f.cmToken().token().length()).isEqualTo(32);
    }
  }

  @Nested
  class GetCredsMetadata {
    final Fixture f = new Fixture();

    @Test
    void step6_returnsExistingAndRemainingCounts() {
      CredentialManager.Metadata m = f.manager(CM, f.cmToken()).metadata();
      assertThat(m.existing()).isEqualTo(3);
      assertThat(m.remaining()).isEqualTo(Profiles.defaultProfile().limits().maxResidentCredentials() - 3);
    }

    @Test
    void step5_tokenWithPermissionsRpId_returnsPinAuthInvalid() {
      assertThat(f.signed(CM, f.cmToken("example.com"), SubCommand.GET_CREDS_METADATA, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }
  }

  @Nested
  class EnumerateRps {
    final Fixture f = new Fixture();

    @Test
    void beginThenGetNextRp_returnsEveryRpOnceWithTotalRps() {
      CborMap first = f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      assertThat(first.longValue(5)).isEqualTo(2);
      CborMap second = f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).ok();
      assertThat(second.has(5)).isFalse();
      List<String> ids = List.of(CborMap.asMap(first.opt(3).orElseThrow()).text("id"), CborMap.asMap(second.opt(3).orElseThrow()).text("id"));
      assertThat(ids).containsExactlyInAnyOrder("example.com", "other.example");
      assertThat(first.bytes(4)).isEqualTo(PublicKeyCredentialRpEntity.idHash(ids.get(0)));
      assertThat(CborMap.asMap(first.opt(3).orElseThrow()).text("name")).isEqualTo("Example");
      // The sequence is over.
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void noDiscoverableCredentials_returnsNoCredentials() {
      PinToken t = f.cmToken();
      CredentialManager m = f.manager(CM, t);
      m.delete(f.alice);
      m.delete(f.bob);
      m.delete(f.carol);
      assertThat(f.signed(CM, t, SubCommand.ENUMERATE_RPS_BEGIN, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(m.rps()).isEmpty();
    }

    @Test
    void tokenWithPermissionsRpId_returnsPinAuthInvalid() {
      assertThat(f.signed(CM, f.cmToken("example.com"), SubCommand.ENUMERATE_RPS_BEGIN, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void getNextRp_withoutBegin_returnsNotAllowed() {
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextRp_afterAnotherCommand_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      f.dev.client().sendRaw(new byte[] {0x04}); // authenticatorGetInfo ends the sequence
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextRp_afterAnotherSubCommand_returnsNotAllowed() {
      PinToken t = f.cmToken();
      f.signed(CM, t, SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      f.signed(CM, t, SubCommand.GET_CREDS_METADATA, null).ok();
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextRp_afterTheTimer_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      f.dev.clock().advance(CredentialManagementHandler.ENUMERATION_TIMEOUT.plusSeconds(1));
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextRp_withinTheTimer_continues() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      f.dev.clock().advance(Duration.ofSeconds(29));
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_OK);
    }

    @Test
    void getNextCredential_duringRpEnumeration_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      assertThat(f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
  }

  @Nested
  class EnumerateCredentials {
    final Fixture f = new Fixture();

    @Test
    void beginThenGetNextCredential_returnsTheRpsCredentialsWithTotalCredentials() {
      CborMap first = f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).ok();
      assertThat(first.longValue(9)).isEqualTo(2);
      CborMap second = f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).ok();
      assertThat(second.has(9)).isFalse();
      List<Bytes> ids =
          List.of(CborMap.asMap(first.opt(7).orElseThrow()).bytes("id"), CborMap.asMap(second.opt(7).orElseThrow()).bytes("id"));
      assertThat(ids).containsExactlyInAnyOrder(f.alice, f.bob);
      CborMap user = CborMap.asMap(first.opt(6).orElseThrow());
      assertThat(user.text("name")).isEqualTo("alice");
      assertThat(user.text("displayName")).isEqualTo("Alice");
      CborMap cose = CborMap.asMap(first.opt(8).orElseThrow());
      assertThat(cose.longValue(1)).isEqualTo(2); // EC2
      assertThat(cose.longValue(3)).isEqualTo(-7); // ES256
      assertThat(first.longValue(10)).isEqualTo(1); // credProtect userVerificationOptional
      assertThat(first.has(11)).isFalse(); // no largeBlobKey: largeBlobs is not built
      assertThat(f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void publicKey_isTheKeyMakeCredentialAttested() {
      Device dev = f.dev;
      // A fresh credential whose attested COSE key we keep.
      CborMap r = dev.client().send(CtapCommand.MAKE_CREDENTIAL, withPin(makeCredential("keys.example", new byte[] {9}, List.of(-8L), map("rk", true)))).ok();
      byte[] ad = r.bytes(2).toArray();
      int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
      Object attested = CborDecoder.decodePrefix(ad, 55 + len).value();
      CborMap listed = f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("keys.example")).ok();
      assertThat(listed.opt(8).orElseThrow()).isEqualTo(attested);
    }

    private Map<Object, Object> withPin(Map<Object, Object> mc) {
      PinToken t = f.pin.getPinUvAuthToken(PIN, Set.of(Permission.MAKE_CREDENTIAL), Optional.of("keys.example"));
      mc.put(8L, t.authenticate(((Bytes) mc.get(1L)).toArray()));
      mc.put(9L, 2L);
      return mc;
    }

    @Test
    void credProtect_isTheStoredLevel() {
      StoredCredential c = f.dev.store().find(f.carol).orElseThrow();
      f.dev.store().update(new StoredCredential(
          c.credentialId(), c.rpId(), c.rpName(), c.userId(), c.userName(), c.userDisplayName(), c.algorithm(), c.privateKey(),
          c.signCount(), c.backupEligible(), c.backupState(), c.createdAt(),
          java.util.Map.of(dev.softkey.core.extension.CredProtectExtension.ID, Bytes.wrap(new byte[] {3}))));
      CborMap r = f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("other.example")).ok();
      assertThat(r.longValue(10)).isEqualTo(3);
    }

    @Test
    void subCommandParamsMissing_returnsMissingParameter() {
      assertThat(f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void rpIdHashMissing_returnsMissingParameter() {
      SubCommandParams none = new SubCommandParams(Optional.empty(), Optional.empty(), Optional.empty());
      assertThat(f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, none).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void tokenForAnotherRpId_returnsPinAuthInvalid() {
      assertThat(f.signed(CM, f.cmToken("other.example"), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void tokenForTheSameRpId_enumerates() {
      List<CredentialManager.Credential> l = f.manager(CM, f.cmToken("example.com")).credentials("example.com");
      assertThat(l).extracting(CredentialManager.Credential::credentialId).containsExactlyInAnyOrder(f.alice, f.bob);
    }

    @Test
    void rpWithoutCredentials_returnsNoCredentials() {
      assertThat(f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("nobody.example")).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void getNextCredential_withoutBegin_returnsNotAllowed() {
      assertThat(f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextCredential_afterTheTimer_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).ok();
      f.dev.clock().advance(Duration.ofSeconds(31));
      assertThat(f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextCredential_afterAnotherCommand_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).ok();
      f.dev.client().sendRaw(new byte[] {0x04});
      assertThat(f.next(CM, SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void getNextRp_duringCredentialEnumeration_returnsNotAllowed() {
      f.signed(CM, f.cmToken(), SubCommand.ENUMERATE_CREDENTIALS_BEGIN, rpHash("example.com")).ok();
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
  }

  @Nested
  class DeleteCredential {
    final Fixture f = new Fixture();

    @Test
    void deletes_andTheCountsAndGetInfoFollow() {
      CredentialManager m = f.manager(CM, f.cmToken());
      long remainingBefore = remainingInGetInfo();
      m.delete(f.bob);
      assertThat(f.dev.store().find(f.bob)).isEmpty();
      assertThat(m.metadata().existing()).isEqualTo(2);
      assertThat(m.credentials("example.com")).extracting(CredentialManager.Credential::credentialId).containsExactly(f.alice);
      assertThat(remainingInGetInfo()).isEqualTo(remainingBefore + 1);
    }

    private long remainingInGetInfo() {
      return f.dev.client().sendRaw(new byte[] {0x04}).ok().longValue(0x14);
    }

    @Test
    void nonExistentCredential_returnsNoCredentials() {
      assertThat(f.signed(CM, f.cmToken(), SubCommand.DELETE_CREDENTIAL, credential(Bytes.wrap(new byte[] {1, 2, 3}))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void credentialIdMissing_returnsMissingParameter() {
      assertThat(f.signed(CM, f.cmToken(), SubCommand.DELETE_CREDENTIAL, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void tokenForAnotherRpId_returnsPinAuthInvalid() {
      assertThat(f.signed(CM, f.cmToken("other.example"), SubCommand.DELETE_CREDENTIAL, credential(f.alice)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(f.dev.store().find(f.alice)).isPresent();
    }

    @Test
    void tokenForTheCredentialsRpId_deletes() {
      f.manager(CM, f.cmToken("example.com")).delete(f.alice);
      assertThat(f.dev.store().find(f.alice)).isEmpty();
    }

    @Test
    void deletedCredential_noLongerSigns() {
      f.manager(CM, f.cmToken()).delete(f.carol);
      assertThat(f.dev.client().send(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("other.example", List.of(f.carol), map("up", false))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }
  }

  /** What DeviceControl sees of credential management: events, and credentials it injected. */
  @Nested
  class WithDeviceControl {
    final Fixture f = new Fixture();
    final List<CredentialEvent> events = new java.util.ArrayList<>();

    @Test
    void deleteAndUpdate_areDeletedAndUpdatedEvents() {
      f.dev.authenticator().control().subscribe(events::add);
      CredentialManager m = f.manager(CM, f.cmToken());
      m.updateUser(f.alice, new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1}), Optional.of("alice2"), Optional.empty()));
      m.delete(f.bob);
      assertThat(events).extracting(CredentialEvent::type).containsExactly(CredentialEvent.Type.UPDATED, CredentialEvent.Type.DELETED);
      assertThat(events).extracting(CredentialEvent::credentialId).containsExactly(f.alice, f.bob);
      assertThat(events.get(0).rpId()).isEqualTo("example.com");
    }

    @Test
    void anInjectedDiscoverableCredential_isEnumeratedWithItsKey_andDeletable() throws Exception {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.KeyPair kp = g.generateKeyPair();
      Bytes id = Bytes.fromHex("0a0b0c0d");
      f.dev.authenticator().control().addCredential(
          new VirtualCredential(
              id, true, "injected.example", Bytes.wrap(kp.getPrivate().getEncoded()), Optional.of(Bytes.fromHex("77")), 0, false,
              false, Optional.of("dave"), Optional.empty(), dev.softkey.ctap.crypto.CoseAlgorithm.ES256));
      CredentialManager m = f.manager(CM, f.cmToken());
      List<CredentialManager.Credential> listed = m.credentials("injected.example");
      assertThat(listed).extracting(CredentialManager.Credential::credentialId).containsExactly(id);
      m.delete(id);
      assertThat(f.dev.authenticator().control().credential(id)).isEmpty();
    }
  }

  @Nested
  class UpdateUserInformation {
    final Fixture f = new Fixture();

    @Test
    void replacesNameAndDisplayName() {
      f.manager(CM, f.cmToken()).updateUser(f.alice, new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1}), Optional.of("alice2"), Optional.of("Alice Two")));
      StoredCredential c = f.dev.store().find(f.alice).orElseThrow();
      assertThat(c.userName()).contains("alice2");
      assertThat(c.userDisplayName()).contains("Alice Two");
    }

    @Test
    void absentOrEmptyMembers_areRemoved() {
      f.manager(CM, f.cmToken()).updateUser(f.alice, new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1}), Optional.of(""), Optional.empty()));
      StoredCredential c = f.dev.store().find(f.alice).orElseThrow();
      assertThat(c.userName()).isEmpty();
      assertThat(c.userDisplayName()).isEmpty();
    }

    @Test
    void userIdNotTheCredentials_returnsInvalidParameter() {
      SubCommandParams p = SubCommandParams.ofUpdate(
          PublicKeyCredentialDescriptor.publicKey(f.alice), new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {2}), Optional.of("x"), Optional.empty()));
      assertThat(f.signed(CM, f.cmToken(), SubCommand.UPDATE_USER_INFORMATION, p).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void userMissing_returnsMissingParameter() {
      assertThat(f.signed(CM, f.cmToken(), SubCommand.UPDATE_USER_INFORMATION, credential(f.alice)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void nonExistentCredential_returnsNoCredentials() {
      SubCommandParams p = SubCommandParams.ofUpdate(
          PublicKeyCredentialDescriptor.publicKey(Bytes.wrap(new byte[] {7})), PublicKeyCredentialUserEntity.of(Bytes.wrap(new byte[] {1})));
      assertThat(f.signed(CM, f.cmToken(), SubCommand.UPDATE_USER_INFORMATION, p).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    @Test
    void tokenForAnotherRpId_returnsPinAuthInvalid() {
      SubCommandParams p = SubCommandParams.ofUpdate(
          PublicKeyCredentialDescriptor.publicKey(f.alice), new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1}), Optional.of("x"), Optional.empty()));
      assertThat(f.signed(CM, f.cmToken("other.example"), SubCommand.UPDATE_USER_INFORMATION, p).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }
  }

  @Nested
  class Durability {
    @TempDir Path dir;

    @Test
    void deleteAndUpdate_surviveReopeningTheFileStore() throws Exception {
      Bytes keep;
      Bytes gone;
      try (FileStore fs = FileStore.open(dir, Optional.empty())) {
        Authenticator a = Authenticator.builder().store(fs).clock(new MutableClock()).seed(3).build();
        Device dev = new Device(a, new CtapTestClient(a), null, null);
        keep = create(dev, "example.com", new byte[] {1});
        gone = create(dev, "example.com", new byte[] {2});
        PlatformPin pin = new PlatformPin(req -> a.process(req, OperationContext.INTERNAL), 2, true, RandomSource.seeded(1));
        pin.setPin(PIN);
        CredentialManager m = new CredentialManager(
            req -> a.process(req, OperationContext.INTERNAL), CM, pin.getPinUvAuthToken(PIN, Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty()));
        m.delete(gone);
        m.updateUser(keep, new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {1}), Optional.of("renamed"), Optional.of("Renamed")));
      }
      try (FileStore fs = FileStore.open(dir, Optional.empty())) {
        assertThat(fs.find(gone)).isEmpty();
        assertThat(fs.find(keep).orElseThrow().userName()).contains("renamed");
        assertThat(fs.find(keep).orElseThrow().userDisplayName()).contains("Renamed");
      }
    }
  }

  @Nested
  class Preview {
    @Test
    void yubikey5_answersOnly0x41_withOptionCredentialMgmtPreview() {
      Fixture f = new Fixture(Profiles.load("yubikey-5"));
      CborMap options = CborMap.asMap(f.dev.client().sendRaw(new byte[] {0x04}).ok().opt(4).orElseThrow());
      assertThat(options.optBool("credentialMgmtPreview")).contains(true);
      assertThat(options.has("credMgmt")).isFalse();
      assertThat(f.signed(CM, f.pin.getPinToken(PIN), SubCommand.GET_CREDS_METADATA, null).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }

    @Test
    void yubikey5_hasNoPinUvAuthToken_so0x09IsInvalidSubcommand() {
      // The 5.4.2 MDS getInfo has no pinUvAuthToken option: tokens come from getPinToken alone.
      Fixture f = new Fixture(Profiles.load("yubikey-5"));
      CborMap options = CborMap.asMap(f.dev.client().sendRaw(new byte[] {0x04}).ok().opt(4).orElseThrow());
      assertThat(options.has("pinUvAuthToken")).isFalse();
      assertThatThrownBy(f::cmToken)
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND));
    }

    @Test
    void yubikey5_acceptsTheGetPinTokenToken_asLibfido2AndPythonFido2SendIt() {
      Fixture f = new Fixture(Profiles.load("yubikey-5"));
      CredentialManager m = f.manager(PRE, f.pin.getPinToken(PIN));
      assertThat(m.metadata().existing()).isEqualTo(3);
      assertThat(m.metadata().remaining()).isEqualTo(25 - 3);
      assertThat(m.rps()).extracting(r -> r.rp().id()).containsExactlyInAnyOrder("example.com", "other.example");
      assertThat(m.credentials("example.com")).hasSize(2);
      m.delete(f.alice);
      assertThat(m.credentials("example.com")).extracting(CredentialManager.Credential::credentialId).containsExactly(f.bob);
    }

    @Test
    void aModelWithBothVersions_acceptsACmTokenOn0x41() {
      // YubiKey 5 NFC 5.7.1 lists FIDO_2_1 and FIDO_2_1_PRE: 0x41 next to 0x0A, and 0x09 tokens.
      Fixture f = new Fixture(Profiles.load("yubikey-5-nfc-5-7-1"));
      assertThat(f.manager(PRE, f.cmToken()).metadata().existing()).isEqualTo(3);
    }

    @Test
    void aModelWithBothVersions_gaTokenBoundToAnRp_returnsPinAuthInvalidOn0x41() {
      Fixture f = new Fixture(Profiles.load("yubikey-5-nfc-5-7-1"));
      PinToken ga = f.pin.getPinUvAuthToken(PIN, Set.of(Permission.GET_ASSERTION), Optional.of("example.com"));
      assertThat(f.signed(PRE, ga, SubCommand.GET_CREDS_METADATA, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void yubikey5_updateUserInformation_isNotAPrototypeSubCommand() {
      Fixture f = new Fixture(Profiles.load("yubikey-5"));
      SubCommandParams p = SubCommandParams.ofUpdate(
          PublicKeyCredentialDescriptor.publicKey(f.alice), PublicKeyCredentialUserEntity.of(Bytes.wrap(new byte[] {1})));
      assertThat(f.signed(PRE, f.pin.getPinToken(PIN), SubCommand.UPDATE_USER_INFORMATION, p).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }

    @Test
    void generic_answers0x41Too_asLibfido2_1_12SendsOnly0x41() {
      Fixture f = new Fixture();
      CborMap options = CborMap.asMap(f.dev.client().sendRaw(new byte[] {0x04}).ok().opt(4).orElseThrow());
      assertThat(options.optBool("credMgmt")).contains(true);
      assertThat(options.optBool("credentialMgmtPreview")).contains(true);
      CredentialManager m = f.manager(PRE, f.cmToken());
      assertThat(m.rps()).hasSize(2);
      m.updateUser(f.carol, new PublicKeyCredentialUserEntity(Bytes.wrap(new byte[] {3}), Optional.of("carol"), Optional.empty()));
      assertThat(f.dev.store().find(f.carol).orElseThrow().userName()).contains("carol");
    }

    @Test
    void enumerationOn0x41_isNotContinuedBy0x0A() {
      Fixture f = new Fixture();
      f.signed(PRE, f.cmToken(), SubCommand.ENUMERATE_RPS_BEGIN, null).ok();
      assertThat(f.next(CM, SubCommand.ENUMERATE_RPS_GET_NEXT_RP).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
  }

  @Nested
  class PlatformClient {
    @Test
    void open_choosesTheCommandFromGetInfo() {
      Fixture generic = new Fixture();
      Fixture yubikey = new Fixture(Profiles.load("yubikey-5"));
      assertThat(CredentialManager.open(req -> generic.dev.authenticator().process(req, OperationContext.INTERNAL), generic.pin, Optional.of(PIN), Optional.empty()).command())
          .isEqualTo(CM);
      PlatformPin legacy = new PlatformPin(req -> yubikey.dev.authenticator().process(req, OperationContext.INTERNAL), 2, false, RandomSource.seeded(2));
      CredentialManager m = CredentialManager.open(req -> yubikey.dev.authenticator().process(req, OperationContext.INTERNAL), legacy, Optional.of(PIN), Optional.empty());
      assertThat(m.command()).isEqualTo(PRE);
      assertThat(m.allCredentials()).hasSize(3);
    }

    @Test
    void open_wrongPin_throwsPinInvalid() {
      Fixture f = new Fixture();
      assertThatThrownBy(() -> CredentialManager.open(req -> f.dev.authenticator().process(req, OperationContext.INTERNAL), f.pin, Optional.of("9999"), Optional.empty()))
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_INVALID));
    }
  }
}
