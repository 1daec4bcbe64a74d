package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.ctap.pin.PinUvAuthProtocolOne;
import dev.softkey.ctap.pin.PinUvAuthProtocolTwo;
import dev.softkey.testvectors.Ctap2Vectors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The request records against python-fido2: built here, signed here with softkey's PIN/UV auth
 * protocols over the record's pinUvAuthMessage, they encode to the very bytes python-fido2's
 * CredentialManagement, FPBioEnrollment, LargeBlobs and Config classes send (vectors
 * ctap2/python-fido2-requests.tsv, python-fido2 0.9.1, its pinUvAuthToken in the file's header); and
 * the authenticator's view, the message of the map as received, verifies python-fido2's
 * pinUvAuthParam.
 */
class PythonFido2RequestsTest {
  private static final Bytes TOKEN = Bytes.wrap(Ctap2Vectors.pythonFido2Token());
  private static final PinUvAuthProtocol ONE = new PinUvAuthProtocolOne(RandomSource.seeded(1));
  private static final PinUvAuthProtocol TWO = new PinUvAuthProtocolTwo(RandomSource.seeded(2));

  private static byte[] vector(String name) {
    return Ctap2Vectors.message(Ctap2Vectors.PYTHON_FIDO2_REQUESTS, name);
  }

  private static CborMap body(byte[] message) {
    return CborDecoder.decodeMap(Arrays.copyOfRange(message, 1, message.length));
  }

  private static Bytes sign(PinUvAuthProtocol p, Bytes message) {
    return p.authenticate(TOKEN, message.toArray());
  }

  /** The record encodes to the vector, and the vector decodes to the record. */
  private static <T extends CtapRequest> void assertWire(T record, String name, BiFunction<CtapCommand, CborMap, T> fromCbor) {
    byte[] expected = vector(name);
    assertThat(Bytes.wrap(record.encode()).hex()).as(name).isEqualTo(Bytes.wrap(expected).hex());
    CtapCommand command = CtapCommand.fromCode(expected[0]).orElseThrow();
    assertThat(fromCbor.apply(command, body(expected))).isEqualTo(record);
  }

  /** The authenticator's check: python-fido2's pinUvAuthParam verifies over the message of the map as received. */
  private static void assertVerifiesAsReceived(
      String name, PinUvAuthProtocol p, Object paramKey, Function<CborMap, Bytes> messageAsReceived) {
    CborMap received = body(vector(name));
    Bytes param = received.bytes(paramKey);
    assertThat(p.verify(TOKEN, messageAsReceived.apply(received).toArray(), param)).as(name).isTrue();
    assertThat(p.verify(TOKEN, Bytes.fromHex("00").toArray(), param)).isFalse();
  }

  @Nested
  class CredentialManagement {
    private final PublicKeyCredentialDescriptor credential = PublicKeyCredentialDescriptor.publicKey(Bytes.fromHex("a1".repeat(16)));
    private final PublicKeyCredentialUserEntity user =
        new PublicKeyCredentialUserEntity(Bytes.wrap("user_id".getBytes(StandardCharsets.UTF_8)), Optional.of("user"), Optional.of("A User"));

    private void assertSignedLikePythonFido2(CredentialManagementRequest unsigned, String name) {
      for (PinUvAuthProtocol p : List.of(ONE, TWO)) {
        String vectorName = name + "-v" + p.version();
        CredentialManagementRequest signed = unsigned.withPinUvAuth(p.version(), sign(p, unsigned.pinUvAuthMessage()));
        assertWire(signed, vectorName, CredentialManagementRequest::fromCbor);
        assertVerifiesAsReceived(
            vectorName, p, CredentialManagementRequest.PIN_UV_AUTH_PARAM, CredentialManagementRequest::pinUvAuthMessageAsReceived);
      }
    }

    @Test
    void getCredsMetadata_signsTheSubCommandByte() {
      CredentialManagementRequest r = CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.GET_CREDS_METADATA);
      assertThat(r.pinUvAuthMessage()).isEqualTo(Bytes.fromHex("01"));
      assertSignedLikePythonFido2(r, "credman-get-creds-metadata");
    }

    @Test
    void enumerateRpsBegin() {
      assertSignedLikePythonFido2(
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.ENUMERATE_RPS_BEGIN), "credman-enumerate-rps-begin");
    }

    @Test
    void enumerateCredentialsBegin_signsTheSubCommandThenTheParamsCbor() {
      Bytes rpIdHash = Bytes.wrap(PinCrypto.sha256("example.com".getBytes(StandardCharsets.UTF_8)));
      CredentialManagementRequest r =
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.ENUMERATE_CREDENTIALS_BEGIN)
              .withSubCommandParams(CredentialManagementRequest.SubCommandParams.ofRpIdHash(rpIdHash));
      assertThat(r.pinUvAuthMessage()).isEqualTo(Bytes.concat(Bytes.fromHex("04a1015820"), rpIdHash));
      assertSignedLikePythonFido2(r, "credman-enumerate-credentials-begin");
    }

    @Test
    void deleteCredential() {
      assertSignedLikePythonFido2(
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.DELETE_CREDENTIAL)
              .withSubCommandParams(CredentialManagementRequest.SubCommandParams.ofCredentialId(credential)),
          "credman-delete-credential");
    }

    @Test
    void updateUserInformation() {
      assertSignedLikePythonFido2(
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.UPDATE_USER_INFORMATION)
              .withSubCommandParams(CredentialManagementRequest.SubCommandParams.ofUpdate(credential, user)),
          "credman-update-user-information");
    }

    @Test
    void getNextRpAndGetNextCredential_carryNoAuth() {
      assertWire(
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.ENUMERATE_RPS_GET_NEXT_RP),
          "credman-enumerate-rps-get-next-rp",
          CredentialManagementRequest::fromCbor);
      assertWire(
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL),
          "credman-enumerate-credentials-get-next-credential",
          CredentialManagementRequest::fromCbor);
    }

    @Test
    void thePreviewCommand_hasTheSameMembersUnder0x41() {
      CredentialManagementRequest r =
          CredentialManagementRequest.of(CredentialManagementRequest.SubCommand.GET_CREDS_METADATA)
              .withCommand(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW);
      r = r.withPinUvAuth(1, sign(ONE, r.pinUvAuthMessage()));
      assertThat(r.encode()[0]).isEqualTo((byte) 0x41);
      assertWire(r, "credman-preview-get-creds-metadata-v1", CredentialManagementRequest::fromCbor);
    }

    /**
     * A platform may send members the record does not keep (one no WebAuthn level defines); it
     * signed them, so the authenticator must verify over the map as received. WebAuthn Level 1's
     * "icon" is kept (for the profile quirk keepUserIcon).
     */
    @Test
    void aUserEntityWithAnUnknownMember_verifiesOverTheReceivedMapNotOverTheRecord() {
      Map<Object, Object> userWithIcon = new LinkedHashMap<>(user.toCbor());
      userWithIcon.put("icon", "https://example.com/u.png");
      userWithIcon.put("nickname", "not a WebAuthn member");
      Map<Object, Object> params = Map.of(0x02L, credential.toCbor(), 0x03L, userWithIcon);
      byte[] paramsCbor = CborEncoder.encode(params);
      Bytes signedMessage = Bytes.concat(Bytes.fromHex("07"), Bytes.wrap(paramsCbor));
      Bytes param = sign(TWO, signedMessage);
      CborMap received =
          CborDecoder.decodeMap(CborEncoder.encode(Map.of(0x01L, 7L, 0x02L, params, 0x03L, 2L, 0x04L, param)));

      CredentialManagementRequest record = CredentialManagementRequest.fromCbor(received);
      assertThat(record.subCommandParams().orElseThrow().user())
          .contains(new PublicKeyCredentialUserEntity(user.id(), user.name(), user.displayName(), java.util.Optional.of("https://example.com/u.png")));
      assertThat(TWO.verify(TOKEN, record.pinUvAuthMessage().toArray(), param)).isFalse();
      assertThat(CredentialManagementRequest.pinUvAuthMessageAsReceived(received)).isEqualTo(signedMessage);
      assertThat(TWO.verify(TOKEN, CredentialManagementRequest.pinUvAuthMessageAsReceived(received).toArray(), param)).isTrue();
    }
  }

  @Nested
  class BioEnrollment {
    private final Bytes templateId = Bytes.fromHex("6896");

    private void assertSignedLikePythonFido2(BioEnrollmentRequest unsigned, String name) {
      BioEnrollmentRequest signed = unsigned.withPinUvAuth(2, sign(TWO, unsigned.pinUvAuthMessage()));
      assertWire(signed, name, BioEnrollmentRequest::fromCbor);
      assertVerifiesAsReceived(name, TWO, BioEnrollmentRequest.PIN_UV_AUTH_PARAM, BioEnrollmentRequest::pinUvAuthMessageAsReceived);
    }

    private BioEnrollmentRequest.SubCommandParams params(Optional<Bytes> id, Optional<String> name, Optional<Long> timeout) {
      return new BioEnrollmentRequest.SubCommandParams(id, name, timeout);
    }

    @Test
    void getModality_isGetModalityTrueAlone() {
      assertWire(BioEnrollmentRequest.ofGetModality(), "bio-get-modality", BioEnrollmentRequest::fromCbor);
    }

    @Test
    void getFingerprintSensorInfoAndCancel_carryNoAuth() {
      assertWire(
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.GET_FINGERPRINT_SENSOR_INFO),
          "bio-get-fingerprint-sensor-info",
          BioEnrollmentRequest::fromCbor);
      assertWire(
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.CANCEL_CURRENT_ENROLLMENT),
          "bio-cancel-current-enrollment",
          BioEnrollmentRequest::fromCbor);
    }

    @Test
    void enrollBegin_signsModalitySubCommandAndParams() {
      BioEnrollmentRequest r =
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.ENROLL_BEGIN)
              .withSubCommandParams(params(Optional.empty(), Optional.empty(), Optional.of(10000L)));
      assertThat(r.pinUvAuthMessage()).isEqualTo(Bytes.fromHex("0101a103192710"));
      assertSignedLikePythonFido2(r, "bio-enroll-begin-v2");
    }

    @Test
    void enrollCaptureNextSample() {
      assertSignedLikePythonFido2(
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.ENROLL_CAPTURE_NEXT_SAMPLE)
              .withSubCommandParams(params(Optional.of(templateId), Optional.empty(), Optional.of(10000L))),
          "bio-enroll-capture-next-sample-v2");
    }

    @Test
    void enumerateSetFriendlyNameRemove() {
      assertSignedLikePythonFido2(BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.ENUMERATE_ENROLLMENTS), "bio-enumerate-enrollments-v2");
      assertSignedLikePythonFido2(
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.SET_FRIENDLY_NAME)
              .withSubCommandParams(params(Optional.of(templateId), Optional.of("finger1"), Optional.empty())),
          "bio-set-friendly-name-v2");
      assertSignedLikePythonFido2(
          BioEnrollmentRequest.of(BioEnrollmentRequest.SubCommand.REMOVE_ENROLLMENT)
              .withSubCommandParams(params(Optional.of(templateId), Optional.empty(), Optional.empty())),
          "bio-remove-enrollment-v2");
    }
  }

  @Nested
  class LargeBlobs {
    private static LargeBlobsRequest fromCbor(CtapCommand c, CborMap m) {
      return LargeBlobsRequest.fromCbor(m);
    }

    @Test
    void get_readsMaxMsgSizeLess64AtOffsetZero() {
      assertWire(LargeBlobsRequest.get(0, 1200 - 64), "blobs-get", LargeBlobs::fromCbor);
    }

    /** The empty serialized array: 0x80 then the first 16 bytes of its SHA-256 (section 6.10.3). */
    @Test
    void set_signsPaddingCommandOffsetAndTheFragmentsHash() {
      Bytes empty = Bytes.fromHex("80");
      Bytes array = Bytes.concat(empty, Bytes.wrap(PinCrypto.sha256(empty.toArray())).slice(0, 16));
      LargeBlobsRequest unsigned = LargeBlobsRequest.set(0, array, Optional.of((long) array.length()));
      LargeBlobsRequest signed = unsigned.withPinUvAuth(2, sign(TWO, unsigned.pinUvAuthMessage()));
      assertWire(signed, "blobs-set-v2", LargeBlobs::fromCbor);
    }
  }

  @Nested
  class Config {
    private static ConfigRequest fromCbor(CtapCommand c, CborMap m) {
      return ConfigRequest.fromCbor(m);
    }

    private void assertSignedLikePythonFido2(ConfigRequest unsigned, PinUvAuthProtocol p, String name) {
      ConfigRequest signed = unsigned.withPinUvAuth(p.version(), sign(p, unsigned.pinUvAuthMessage()));
      assertWire(signed, name, Config::fromCbor);
      assertVerifiesAsReceived(name, p, ConfigRequest.PIN_UV_AUTH_PARAM, ConfigRequest::pinUvAuthMessageAsReceived);
    }

    @Test
    void toggleAlwaysUv_signsPaddingCommandAndSubCommand() {
      ConfigRequest r = ConfigRequest.of(ConfigRequest.SubCommand.TOGGLE_ALWAYS_UV);
      assertThat(r.pinUvAuthMessage()).isEqualTo(Bytes.fromHex("ff".repeat(32) + "0d02"));
      assertSignedLikePythonFido2(r, TWO, "config-toggle-always-uv-v2");
      assertSignedLikePythonFido2(r, ONE, "config-toggle-always-uv-v1");
    }

    @Test
    void setMinPinLength_withEveryMemberAndWithForceChangePinAlone() {
      assertSignedLikePythonFido2(
          ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.of(8L), List.of("example.com"), Optional.of(true))),
          TWO,
          "config-set-min-pin-length-v2");
      assertSignedLikePythonFido2(
          ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.empty(), List.of(), Optional.of(true))),
          TWO,
          "config-set-min-pin-length-force-only-v2");
    }
  }
}
