package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.platform.pin.PlatformPin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinRequest.SubCommand;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.core.bio.SimulatedFinger;
import dev.softkey.core.bio.SimulatedFinger.Cancelled;
import dev.softkey.core.bio.SimulatedFinger.Captured;
import dev.softkey.core.bio.SimulatedFinger.EnrolledFinger;
import dev.softkey.core.bio.SimulatedFinger.NoFinger;
import dev.softkey.core.bio.SimulatedFinger.UnknownFinger;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** authenticatorClientPIN (CTAP 2.1 section 6.5.5), driven through PlatformPin and directly. */
class ClientPinTest {
  private static final OperationContext CTX = OperationContext.INTERNAL;
  private static final Set<Permission> MC_GA = EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION);
  private static final Optional<String> RP = Optional.of("example.com");
  private static final byte[] CLIENT_DATA_HASH = new byte[32];

  private final MemoryStore store = new MemoryStore();
  private final MutableClock clock = new MutableClock();
  private final Deque<SimulatedFinger.Touch> uvScript = new ArrayDeque<>();
  private final SimulatedFinger scriptedFinger =
      new SimulatedFinger() {
        @Override
        public Touch touch(UserRequest r, OperationContext ctx) {
          return uvScript.isEmpty() ? new EnrolledFinger() : uvScript.removeFirst();
        }

        @Override
        public Sample sample(UserRequest r, OperationContext ctx) {
          return new Captured(EnrollSampleStatus.FP_GOOD);
        }
      };

  private ClientPin clientPin(Profile profile) {
    return new ClientPin(
        profile, store, Presence.approve(), sensorOf(profile), RandomSource.seeded(1), clock);
  }

  /** The sensor of a profile with built-in UV: one enrolled template, the scripted finger. */
  private Optional<FingerprintSensor> sensorOf(Profile profile) {
    return profile.management().fingerprint()
        .map(f -> new FingerprintSensor(f, store, scriptedFinger, List.of(FingerprintSensor.defaultTemplate())));
  }

  private ClientPin generic() {
    return clientPin(Profiles.builtIn("generic").orElseThrow());
  }

  private ClientPin bio() {
    return clientPin(Profiles.builtIn("bio").orElseThrow());
  }

  /** A platform talking to a FIDO_2_1 authenticator (pinUvAuthToken supported) with either protocol. */
  private static PlatformPin platform(PinUvAuthState state, int protocol) {
    return new PlatformPin(PinTestSupport.adapter(state, CTX), protocol, true, RandomSource.seeded(100 + protocol));
  }

  private static void assertStatus(ThrowingCallable call, CtapStatus status) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(status));
  }

  /** A request built by hand, for inputs PlatformPin would never send. */
  private static final class Raw {
    final ClientPin pin;
    final PinUvAuthProtocol protocol;
    final PinUvAuthProtocol.Encapsulation e;
    final Map<Object, Object> m = new LinkedHashMap<>();

    Raw(ClientPin pin, int version, long subCommand) {
      this.pin = pin;
      this.protocol = PinUvAuthProtocol.of(version, RandomSource.seeded(7));
      this.e = protocol.encapsulate(keyAgreement(pin, version));
      m.put(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, (long) version);
      m.put(ClientPinRequest.SUB_COMMAND, subCommand);
      m.put(ClientPinRequest.KEY_AGREEMENT, e.keyAgreement());
    }

    Raw put(long key, Object value) {
      m.put(key, value);
      return this;
    }

    Raw without(long key) {
      m.remove(key);
      return this;
    }

    /** setPIN with an arbitrary 64-byte (or other) paddedNewPin, correctly authenticated. */
    Raw newPin(byte[] paddedNewPin) {
      Bytes newPinEnc = protocol.encrypt(e.sharedSecret(), Bytes.wrap(paddedNewPin));
      m.put(ClientPinRequest.NEW_PIN_ENC, newPinEnc);
      m.put(ClientPinRequest.PIN_UV_AUTH_PARAM, protocol.authenticate(e.sharedSecret(), newPinEnc.unsafeArray()));
      return this;
    }

    Raw pinHashEnc(String pin) {
      m.put(ClientPinRequest.PIN_HASH_ENC, protocol.encrypt(e.sharedSecret(), PlatformPin.pinHash(pin)));
      return this;
    }

    @SuppressWarnings("unchecked")
    Map<Object, Object> send() {
      CborMap request = CborDecoder.decodeMap(CborEncoder.encode(m));
      return (Map<Object, Object>) call(pin, request);
    }
  }

  /** One authenticatorClientPIN call with raw parameters, through the wire record as the dispatcher does. */
  static Map<Object, Object> call(ClientPin pin, CborMap request) {
    return pin.clientPin(ClientPinRequest.fromCbor(request), CTX).toCbor();
  }

  private static CborMap keyAgreement(ClientPin pin, int version) {
    Map<Object, Object> req = new LinkedHashMap<>();
    req.put(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, (long) version);
    req.put(ClientPinRequest.SUB_COMMAND, (long) SubCommand.GET_KEY_AGREEMENT.code());
    Object resp = call(pin, CborDecoder.decodeMap(CborEncoder.encode(req)));
    return CborDecoder.decodeMap(CborEncoder.encode(resp)).map(ClientPinResponse.KEY_AGREEMENT);
  }

  private static byte[] padded(String pinUtf8Hex) {
    return Arrays.copyOf(Bytes.fromHex(pinUtf8Hex).toArray(), 64);
  }

  @Nested
  class Dispatch {
    @ParameterizedTest
    @ValueSource(longs = {0x00, 0x08, 0x0A, 0x0B, 0xFF})
    void unknownSubCommand_returnsInvalidSubcommand(long sub) {
      Map<Object, Object> req = Map.of(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 2L, ClientPinRequest.SUB_COMMAND, sub);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }

    /** subCommand and pinUvAuthProtocol are "Unsigned Integer": a negative one is the wrong CBOR type, as OpenSK answers. */
    @ParameterizedTest
    @ValueSource(longs = {0x01, 0x02})
    void negativeSubCommandOrProtocol_returnsCborUnexpectedType(long key) {
      Map<Object, Object> req = new LinkedHashMap<>(Map.of(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 2L, ClientPinRequest.SUB_COMMAND, 1L));
      req.put(key, -1L);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void missingSubCommand_returnsMissingParameter() {
      Map<Object, Object> req = Map.of(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 2L);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void memberOfWrongType_returnsCborUnexpectedType() {
      Map<Object, Object> req = Map.of(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, "2", ClientPinRequest.SUB_COMMAND, 2L);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void uvSubcommands_withoutBuiltInUv_returnInvalidSubcommand() {
      PlatformPin platform = platform(generic(), 2);
      assertStatus(platform::uvRetries, CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
    }

    @Test
    void withPermissionsSubcommand_onFido20Profile_returnsInvalidSubcommand() {
      Profile fido20 =
          PinTestSupport.variant(Profiles.builtIn("generic").orElseThrow(), List.of(CtapVersion.U2F_V2, CtapVersion.FIDO_2_0), List.of(1));
      ClientPin pin = clientPin(fido20);
      PlatformPin modern = new PlatformPin(PinTestSupport.adapter(pin, CTX), 1, true, RandomSource.seeded(3));
      modern.setPin("1234");
      assertStatus(() -> modern.getPinUvAuthToken("1234", MC_GA, RP), CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
      // Without the pinUvAuthToken option (the protocol-1 default) the platform uses getPinToken.
      PlatformPin legacy = new PlatformPin(PinTestSupport.adapter(pin, CTX), 1, RandomSource.seeded(3));
      PinToken token = legacy.getPinUvAuthToken("1234", MC_GA, RP);
      assertThat(token.protocol()).isEqualTo(1);
      assertThatCode(() -> pin.verifyToken(1, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH)))
          .doesNotThrowAnyException();
    }
  }

  @Nested
  class GetPinRetries {
    @Test
    void step2_respondsWithPinRetriesAndPowerCycleState() {
      Object resp =
          call(generic(), CborDecoder.decodeMap(CborEncoder.encode(Map.of(ClientPinRequest.SUB_COMMAND, 1L))));
      assertThat(resp).isEqualTo(Map.of(ClientPinResponse.PIN_RETRIES, 8L, ClientPinResponse.POWER_CYCLE_STATE, false));
    }
  }

  @Nested
  class GetKeyAgreement {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step5_returnsCoseKeyOfTheSelectedProtocol(int version) {
      CborMap key = platform(generic(), version).keyAgreement();
      assertThat(key.longValue(1L)).isEqualTo(2L);
      assertThat(key.longValue(3L)).isEqualTo(-25L);
      assertThat(key.longValue(-1L)).isEqualTo(1L);
      assertThat(key.bytes(-2L).length()).isEqualTo(32);
      assertThat(key.bytes(-3L).length()).isEqualTo(32);
    }

    @Test
    void eachProtocol_hasItsOwnKey() {
      ClientPin pin = generic();
      assertThat(keyAgreement(pin, 1)).isNotEqualTo(keyAgreement(pin, 2));
    }

    @Test
    void step3_missingProtocol_returnsMissingParameter() {
      Map<Object, Object> req = Map.of(ClientPinRequest.SUB_COMMAND, 2L);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 255})
    void step4_unsupportedProtocol_returnsInvalidParameter(long version) {
      Map<Object, Object> req = Map.of(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, version, ClientPinRequest.SUB_COMMAND, 2L);
      assertStatus(
          () -> call(generic(), CborDecoder.decodeMap(CborEncoder.encode(req))),
          CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_protocolNotInTheProfile_returnsInvalidParameter() {
      Profile onlyTwo = PinTestSupport.variant(Profiles.builtIn("generic").orElseThrow(),
          List.of(CtapVersion.FIDO_2_0, CtapVersion.FIDO_2_1), List.of(2));
      assertStatus(() -> platform(clientPin(onlyTwo), 1).keyAgreement(), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void powerCycle_regeneratesTheKey() {
      ClientPin pin = generic();
      CborMap before = keyAgreement(pin, 2);
      assertThat(keyAgreement(pin, 2)).isEqualTo(before);
      pin.powerCycle();
      assertThat(keyAgreement(pin, 2)).isNotEqualTo(before);
    }
  }

  @Nested
  class SetPin {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step12_storesThePinAndFullRetries(int version) {
      ClientPin pin = generic();
      platform(pin, version).setPin("1234");
      assertThat(pin.isPinSet()).isTrue();
      assertThat(pin.pinRetries()).isEqualTo(8);
      PinRecord stored = PinRecord.decode(store.get("pin").orElseThrow());
      assertThat(stored.currentStoredPin()).contains(PlatformPin.pinHash("1234"));
      assertThat(stored.pinCodePointLength()).isEqualTo(4);
    }

    @Test
    void step1_missingNewPinEnc_returnsMissingParameter() {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("31323334")).without(ClientPinRequest.NEW_PIN_ENC);
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void step2_unsupportedProtocol_returnsInvalidParameter() {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("31323334")).put(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, 3L);
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step3_pinAlreadySet_returnsPinAuthInvalid() {
      PlatformPin platform = platform(generic(), 2);
      platform.setPin("1234");
      assertStatus(() -> platform.setPin("5678"), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void step4_keyAgreementNotOnCurve_returnsInvalidParameter() {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("31323334"));
      Map<Object, Object> key = new LinkedHashMap<>(raw.e.keyAgreement());
      byte[] x = ((Bytes) key.get(-2L)).toArray();
      x[0] ^= 0x40;
      key.put(-2L, Bytes.wrap(x));
      raw.put(ClientPinRequest.KEY_AGREEMENT, key);
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step5_wrongPinUvAuthParam_returnsPinAuthInvalid(int version) {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, version, (long) SubCommand.SET_PIN.code()).newPin(padded("31323334"));
      byte[] param = ((Bytes) raw.m.get(ClientPinRequest.PIN_UV_AUTH_PARAM)).toArray();
      param[0] ^= 1;
      raw.put(ClientPinRequest.PIN_UV_AUTH_PARAM, Bytes.wrap(param));
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(pin.isPinSet()).isFalse();
    }

    @Test
    void step6_undecryptableNewPinEnc_returnsPinAuthInvalid() {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, 1, (long) SubCommand.SET_PIN.code());
      Bytes newPinEnc = Bytes.wrap(new byte[63]);
      raw.put(ClientPinRequest.NEW_PIN_ENC, newPinEnc)
          .put(ClientPinRequest.PIN_UV_AUTH_PARAM, raw.protocol.authenticate(raw.e.sharedSecret(), newPinEnc.unsafeArray()));
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step7_paddedNewPinNot64Bytes_returnsInvalidParameter(int version) {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, version, (long) SubCommand.SET_PIN.code()).newPin(Arrays.copyOf("1234".getBytes(StandardCharsets.UTF_8), 80));
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step9_pinShorterThanMinimum_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      assertStatus(() -> platform(pin, 2).setPin("123"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertThat(pin.isPinSet()).isFalse();
    }

    @Test
    void step9_minimumCountsCodePointsNotBytes() {
      // "ééé" is 6 bytes but 3 code points; "€€€€" is 12 bytes and 4 code points.
      ClientPin pin = generic();
      assertStatus(() -> platform(pin, 2).setPin("\u00e9\u00e9\u00e9"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      platform(pin, 2).setPin("\u20ac\u20ac\u20ac\u20ac");
      assertThat(PinRecord.decode(store.get("pin").orElseThrow()).pinCodePointLength()).isEqualTo(4);
    }

    @Test
    void step9_profileMinimumIsUsed() {
      ClientPin pin = clientPin(Profiles.builtIn("generic").orElseThrow().toBuilder().minPinLength(6).build());
      assertThat(pin.minPinLength()).isEqualTo(6);
      assertStatus(() -> platform(pin, 2).setPin("12345"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      platform(pin, 2).setPin("123456");
      assertThat(pin.isPinSet()).isTrue();
    }

    @Test
    void step10_pinOf64BytesWithoutPadding_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      assertStatus(() -> platform(pin, 2).setPin("a".repeat(64)), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      platform(pin, 2).setPin("a".repeat(63));
      assertThat(pin.isPinSet()).isTrue();
    }

    @Test
    void step10_zeroByteInsideThePin_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      // "12\0" "3456", then padding: trailing zeros are dropped, the inner one stays.
      Raw raw = new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("31320033343536"));
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }

    @Test
    void step10_malformedUtf8_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      Raw raw = new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("31323334ff"));
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }

    @Test
    void step8_trailingZerosAreDroppedExactly() {
      ClientPin pin = generic();
      new Raw(pin, 2, (long) SubCommand.SET_PIN.code()).newPin(padded("3132333435")).send();
      assertThat(PinRecord.decode(store.get("pin").orElseThrow()).currentStoredPin())
          .contains(PlatformPin.pinHash("12345"));
    }
  }

  @Nested
  class ChangePin {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step17_newPinReplacesTheOld(int version) {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, version);
      platform.setPin("1234");
      platform.changePin("1234", "98765");
      assertThatCode(() -> platform.getPinUvAuthToken("98765", MC_GA, RP)).doesNotThrowAnyException();
      assertStatus(() -> platform.getPinUvAuthToken("1234", MC_GA, RP), CtapStatus.CTAP2_ERR_PIN_INVALID);
    }

    @Test
    void noPinSet_returnsPinNotSet() {
      assertStatus(() -> platform(generic(), 2).changePin("1234", "5678"), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    }

    @Test
    void step5_wrongPinUvAuthParam_returnsPinAuthInvalidWithoutSpendingARetry() {
      ClientPin pin = generic();
      platform(pin, 2).setPin("1234");
      Raw raw = new Raw(pin, 2, (long) SubCommand.CHANGE_PIN.code()).newPin(padded("35363738")).pinHashEnc("1234");
      // pinUvAuthParam covers newPinEnc only, not newPinEnc || pinHashEnc.
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(pin.pinRetries()).isEqualTo(8);
    }

    @Test
    void step7_wrongCurrentPin_returnsPinInvalidDecrementsAndRegenerates() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      CborMap before = platform.keyAgreement();
      assertStatus(() -> platform.changePin("0000", "5678"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(pin.pinRetries()).isEqualTo(7);
      assertThat(platform.keyAgreement()).isNotEqualTo(before);
    }

    @Test
    void step8_correctPin_restoresRetries() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.changePin("0000", "5678"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      platform.changePin("1234", "5678");
      assertThat(pin.pinRetries()).isEqualTo(8);
    }

    @Test
    void step12_newPinTooShort_returnsPinPolicyViolationAndKeepsTheOld() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.changePin("1234", "12"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertThatCode(() -> platform.getPinUvAuthToken("1234", MC_GA, RP)).doesNotThrowAnyException();
    }

    @Test
    void step13_forcePinChangeWithTheSamePin_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      pin.setMinPinLength(Optional.empty(), true);
      assertStatus(() -> platform.changePin("1234", "1234"), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertThat(pin.forcePinChange()).isTrue();
      platform.changePin("1234", "4321");
      assertThat(pin.forcePinChange()).as("step 16").isFalse();
    }

    @Test
    void step19_changePin_invalidatesTheTokenInUse() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      PinToken token = platform.getPinUvAuthToken("1234", MC_GA, RP);
      platform.changePin("1234", "5678");
      assertStatus(
          () -> pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH)),
          CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }
  }

  @Nested
  class GetPinToken {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step13to15_tokenWithMcGa_noRpId_userPresentFalse_userVerifiedTrue(int version) {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, version);
      platform.setPin("1234");
      PinToken token = platform.getPinToken("1234");
      assertThat(token.protocol()).isEqualTo(version);
      assertThat(token.token().length()).isEqualTo(32);
      pin.verifyToken(version, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH));
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isTrue();
      assertThat(pin.tokenHasPermission(Permission.GET_ASSERTION)).isTrue();
      assertThat(pin.tokenHasPermission(Permission.CREDENTIAL_MANAGEMENT)).isFalse();
      assertThat(pin.tokenRpId()).isEmpty();
      assertThat(pin.tokenUserPresent()).isFalse();
      assertThat(pin.tokenUserVerified()).isTrue();
    }

    @Test
    void step3_permissionsPresent_returnsInvalidParameter() {
      ClientPin pin = generic();
      platform(pin, 2).setPin("1234");
      Raw raw = new Raw(pin, 2, (long) SubCommand.GET_PIN_TOKEN.code()).pinHashEnc("1234").put(ClientPinRequest.PERMISSIONS, 3L);
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_rpIdPresent_returnsInvalidParameter() {
      ClientPin pin = generic();
      platform(pin, 2).setPin("1234");
      Raw raw = new Raw(pin, 2, (long) SubCommand.GET_PIN_TOKEN.code()).pinHashEnc("1234").put(ClientPinRequest.RP_ID, "example.com");
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void noPinSet_returnsPinNotSetWithoutSpendingARetry() {
      ClientPin pin = generic();
      assertStatus(() -> platform(pin, 2).getPinToken("1234"), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
      assertThat(pin.pinRetries()).isEqualTo(8);
    }

    @Test
    void step11_forcePinChange_returnsPinInvalid() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      pin.setMinPinLength(Optional.of(6), false);
      assertThat(pin.forcePinChange()).as("stored PIN shorter than the new minimum").isTrue();
      assertStatus(() -> platform.getPinToken("1234"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(pin.pinRetries()).as("the PIN itself was right").isEqualTo(8);
    }
  }

  @Nested
  class Retries {
    @Test
    void step9_threeConsecutiveMismatches_returnPinAuthBlockedUntilPowerCycle() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
      assertThat(pin.pinRetries()).isEqualTo(5);
      // Even the right PIN is refused, and costs nothing, until the power cycle.
      assertStatus(() -> platform.getPinToken("1234"), CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
      assertStatus(() -> platform.getPinUvAuthToken("1234", MC_GA, RP), CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
      assertStatus(() -> platform.changePin("1234", "5678"), CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
      assertThat(pin.pinRetries()).isEqualTo(5);
      assertThat(pin.powerCycleState()).isTrue();
      Object retries =
          call(pin, CborDecoder.decodeMap(CborEncoder.encode(Map.of(ClientPinRequest.SUB_COMMAND, 1L))));
      assertThat(retries).isEqualTo(Map.of(ClientPinResponse.PIN_RETRIES, 5L, ClientPinResponse.POWER_CYCLE_STATE, true));

      pin.powerCycle();
      assertThatCode(() -> platform.getPinToken("1234")).doesNotThrowAnyException();
      assertThat(pin.pinRetries()).isEqualTo(8);
      assertThat(pin.powerCycleState()).isFalse();
    }

    @Test
    void step9_successResetsTheConsecutiveCounter() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 1);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      platform.getPinToken("1234");
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
    }

    @Test
    void step9_mismatch_regeneratesTheKeyAgreementKey() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      CborMap before = platform.keyAgreement();
      assertStatus(() -> platform.getPinUvAuthToken("0000", MC_GA, RP), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(platform.keyAgreement()).isNotEqualTo(before);
    }

    @Test
    void step5_retriesExhausted_returnPinBlockedAndPersist() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      for (int i = 1; i <= 8; i++) {
        CtapStatus expected =
            i == 8 ? CtapStatus.CTAP2_ERR_PIN_BLOCKED
                : i % 3 == 0 ? CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED
                : CtapStatus.CTAP2_ERR_PIN_INVALID;
        assertStatus(() -> platform.getPinUvAuthToken("0000", MC_GA, RP), expected);
        if (i % 3 == 0) {
          pin.powerCycle();
        }
      }
      assertThat(pin.pinRetries()).isZero();
      assertStatus(() -> platform.getPinUvAuthToken("1234", MC_GA, RP), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      assertStatus(() -> platform.getPinToken("1234"), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      assertStatus(() -> platform.changePin("1234", "5678"), CtapStatus.CTAP2_ERR_PIN_BLOCKED);

      // A new authenticator over the same store (a restart) is still blocked.
      ClientPin restarted = generic();
      assertThat(restarted.pinRetries()).isZero();
      assertStatus(() -> platform(restarted, 2).getPinToken("1234"), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      assertThat(platform(restarted, 1).pinRetries()).isZero();
    }

    @Test
    void step8_retryIsSpentBeforeThePinIsChecked_andPersisted() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(PinRecord.decode(store.get("pin").orElseThrow()).pinRetries()).isEqualTo(7);
    }
  }

  @Nested
  class GetPinUvAuthTokenUsingPinWithPermissions {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void step15and16_permissionsAndRpIdAreBound(int version) {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, version);
      platform.setPin("1234");
      PinToken token = platform.getPinUvAuthToken("1234", EnumSet.of(Permission.GET_ASSERTION), RP);
      pin.verifyToken(version, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH));
      assertThat(pin.tokenHasPermission(Permission.GET_ASSERTION)).isTrue();
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isFalse();
      assertThat(pin.tokenRpId()).isEqualTo(RP);
      assertThat(pin.tokenUserPresent()).as("step 14: userIsPresent false").isFalse();
      assertThat(pin.tokenUserVerified()).isTrue();
    }

    @Test
    void step3_permissionsZero_returnsInvalidParameter() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinUvAuthToken("1234", Set.of(), RP), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @ParameterizedTest
    @EnumSource(value = Permission.class, names = {"CREDENTIAL_MANAGEMENT", "BIO_ENROLLMENT", "LARGE_BLOB_WRITE", "AUTHENTICATOR_CONFIG"})
    void step4_permissionOfAnAbsentFeature_returnsUnauthorizedPermission(Permission p) {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinUvAuthToken("1234", EnumSet.of(p), RP), CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION);
      assertStatus(
          () -> platform.getPinUvAuthToken("1234", EnumSet.of(Permission.GET_ASSERTION, p), RP),
          CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION);
      assertThat(pin.pinRetries()).as("no retry spent").isEqualTo(8);
    }

    @Test
    void step4_authorizedFeature_isGranted() {
      ClientPin pin =
          new ClientPin(Profiles.builtIn("generic").orElseThrow(), store, Presence.approve(), Optional.empty(),
              RandomSource.seeded(1), clock, EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION,
                  Permission.CREDENTIAL_MANAGEMENT));
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      PinToken token = platform.getPinUvAuthToken("1234", EnumSet.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty());
      pin.verifyToken(2, new byte[] {1}, token.authenticate(new byte[] {1}));
      assertThat(pin.tokenHasPermission(Permission.CREDENTIAL_MANAGEMENT)).isTrue();
      assertThat(pin.tokenRpId()).isEmpty();
    }

    @Test
    void bePermission_withoutBuiltInUv_cannotBeAuthorized() {
      assertThatThrownBy(
              () -> new ClientPin(Profiles.builtIn("generic").orElseThrow(), store, Presence.approve(),
                  Optional.empty(), RandomSource.seeded(1), clock, EnumSet.of(Permission.BIO_ENROLLMENT)))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Permission.class, names = {"MAKE_CREDENTIAL", "GET_ASSERTION"})
    void step1_mcOrGaWithoutRpId_returnsMissingParameter(Permission p) {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      assertStatus(() -> platform.getPinUvAuthToken("1234", EnumSet.of(p), Optional.empty()),
          CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void step15_undefinedPermissionBitsAreIgnored() {
      ClientPin pin = generic();
      platform(pin, 2).setPin("1234");
      Raw raw = new Raw(pin, 2, (long) SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS.code())
          .pinHashEnc("1234").put(ClientPinRequest.PERMISSIONS, 0x01L | 0x40L | 0x80L).put(ClientPinRequest.RP_ID, "a.example");
      Bytes enc = (Bytes) raw.send().get(ClientPinResponse.PIN_UV_AUTH_TOKEN);
      Bytes token = raw.protocol.decrypt(raw.e.sharedSecret(), enc).orElseThrow();
      pin.verifyToken(2, CLIENT_DATA_HASH, new PinToken(2, token).authenticate(CLIENT_DATA_HASH));
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isTrue();
      assertThat(EnumSet.allOf(Permission.class).stream().filter(pin::tokenHasPermission)).hasSize(1);
    }

    @Test
    void step11_forcePinChange_returnsPinPolicyViolation() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      pin.setMinPinLength(Optional.empty(), true);
      assertStatus(() -> platform.getPinUvAuthToken("1234", MC_GA, RP), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }

    @Test
    void step13_newTokenInvalidatesThePreviousOne() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      PinToken first = platform.getPinUvAuthToken("1234", MC_GA, RP);
      PinToken second = platform.getPinUvAuthToken("1234", MC_GA, RP);
      assertThat(second.token()).isNotEqualTo(first.token());
      assertStatus(() -> pin.verifyToken(2, CLIENT_DATA_HASH, first.authenticate(CLIENT_DATA_HASH)),
          CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      pin.verifyToken(2, CLIENT_DATA_HASH, second.authenticate(CLIENT_DATA_HASH));
    }

    @Test
    void tokenOfOneProtocol_doesNotVerifyUnderTheOther() {
      ClientPin pin = generic();
      PlatformPin two = platform(pin, 2);
      two.setPin("1234");
      PinToken token = two.getPinUvAuthToken("1234", MC_GA, RP);
      Bytes param16 = new PinToken(1, token.token()).authenticate(CLIENT_DATA_HASH);
      assertStatus(() -> pin.verifyToken(1, CLIENT_DATA_HASH, param16), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }
  }

  @Nested
  class TokenState {
    private ClientPin pin;
    private PinToken token;

    private void obtain(OperationContext ctx) {
      pin = generic();
      PlatformPin platform = new PlatformPin(PinTestSupport.adapter(pin, ctx), 2, RandomSource.seeded(4));
      platform.setPin("1234");
      token = platform.getPinUvAuthToken("1234", MC_GA, RP);
    }

    private void use() {
      pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH));
    }

    @Test
    void initialUsageTimeLimit_unusedTokenStopsAfter30Seconds() {
      obtain(CTX);
      clock.advance(Duration.ofMillis(29_999));
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isTrue();
      clock.advance(Duration.ofMillis(1));
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isFalse();
      assertThat(pin.tokenUserVerified()).isFalse();
      assertThat(pin.tokenRpId()).isEmpty();
      assertStatus(this::use, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void initialUsageTimeLimit_overNfcIs19point8Seconds() {
      obtain(PinTestSupport.transport("nfc"));
      clock.advance(Duration.ofMillis(19_799));
      assertThat(pin.tokenUserVerified()).isTrue();
      clock.advance(Duration.ofMillis(1));
      assertThat(pin.tokenUserVerified()).isFalse();
    }

    @Test
    void maxUsageTimePeriod_usedTokenLastsTenMinutes() {
      obtain(CTX);
      clock.advance(Duration.ofSeconds(10));
      use();
      clock.advance(Duration.ofMinutes(9).plusSeconds(49));
      assertThatCode(this::use).doesNotThrowAnyException();
      clock.advance(Duration.ofSeconds(1));
      assertStatus(this::use, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(pin.tokenHasPermission(Permission.GET_ASSERTION)).isFalse();
    }

    @Test
    void verify_wrongMac_returnsPinAuthInvalid() {
      obtain(CTX);
      assertStatus(() -> pin.verifyToken(2, new byte[] {9}, token.authenticate(CLIENT_DATA_HASH)),
          CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void verify_unsupportedProtocol_returnsInvalidParameter() {
      obtain(CTX);
      assertStatus(() -> pin.verifyToken(3, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH)),
          CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void verify_noTokenIssued_returnsPinAuthInvalid() {
      ClientPin fresh = generic();
      assertStatus(() -> fresh.verifyToken(2, CLIENT_DATA_HASH, Bytes.wrap(new byte[32])),
          CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(fresh.tokenUserVerified()).isFalse();
      assertThat(fresh.tokenUserPresent()).isFalse();
    }

    @Test
    void clearFunctions_actOnTheTokenInUse() {
      pin = new ClientPin(Profiles.builtIn("generic").orElseThrow(), store, Presence.approve(), Optional.empty(),
          RandomSource.seeded(1), clock, EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION,
              Permission.LARGE_BLOB_WRITE));
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      token = platform.getPinUvAuthToken("1234",
          EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.LARGE_BLOB_WRITE), RP);
      use();
      pin.clearTokenPermissionsExceptLbw();
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isFalse();
      assertThat(pin.tokenHasPermission(Permission.LARGE_BLOB_WRITE)).isTrue();
      pin.clearTokenUserVerified();
      assertThat(pin.tokenUserVerified()).isFalse();
      assertThatCode(this::use).as("still in use").doesNotThrowAnyException();
    }

    @Test
    void bindTokenRpId_onlyWhenTheTokenHasNone() {
      pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      platform.getPinToken("1234");
      pin.bindTokenRpId("a.example");
      pin.bindTokenRpId("b.example");
      assertThat(pin.tokenRpId()).contains("a.example");
    }

    @Test
    void powerCycle_stopsUsingTheToken() {
      obtain(CTX);
      pin.powerCycle();
      assertStatus(this::use, CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isFalse();
    }
  }

  /** n failed attempts in a row. */
  private void mismatches(int n) {
    for (int i = 0; i < n; i++) {
      uvScript.add(new UnknownFinger());
    }
  }

  /** getUVRetries (section 6.5.5.3) on the bio profile. */
  @Nested
  class GetUvRetries {
    @Test
    void step2_initially_respondsWithMaxUvRetries() {
      assertThat(platform(bio(), 2).uvRetries()).isEqualTo(ClientPin.MAX_UV_RETRIES).isEqualTo(8);
    }

    @Test
    void step2_respondsWithTheRetriesLeftAfterFailedAttempts() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertThat(platform.uvRetries()).isEqualTo(8 - ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      Object raw = call(pin, CborDecoder.decodeMap(CborEncoder.encode(Map.of(ClientPinRequest.SUB_COMMAND, 7L))));
      assertThat(raw).as("only uvRetries (0x05)").isEqualTo(Map.of(ClientPinResponse.UV_RETRIES, 5L));
    }
  }

  /** getPinUvAuthTokenUsingUvWithPermissions (section 6.5.5.7.3) and performBuiltInUv. */
  @Nested
  class GetPinUvAuthTokenUsingUvWithPermissions {
    @Test
    void verified_tokenIsUserPresentAndVerified_andBoundToTheRpId() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      PinToken token = platform.getUvToken(MC_GA, RP);
      pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH));
      assertThat(pin.tokenUserPresent()).as("step 12: the fingerprint is evidence of interaction").isTrue();
      assertThat(pin.tokenUserVerified()).isTrue();
      assertThat(pin.tokenHasPermission(Permission.MAKE_CREDENTIAL)).isTrue();
      assertThat(pin.tokenRpId()).as("step 14").isEqualTo(RP);
      assertThat(platform.uvRetries()).isEqualTo(8);
    }

    @Test
    void userPresentTimeLimit_clearsUserPresentAfter30Seconds() {
      ClientPin pin = bio();
      PinToken token = platform(pin, 2).getUvToken(MC_GA, RP);
      pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH));
      clock.advance(Duration.ofSeconds(29));
      assertThat(pin.tokenUserPresent()).isTrue();
      pin.clearTokenUserPresent();
      assertThat(pin.tokenUserPresent()).isFalse();
      PinToken again = platform(pin, 2).getUvToken(MC_GA, RP);
      pin.verifyToken(2, CLIENT_DATA_HASH, again.authenticate(CLIENT_DATA_HASH));
      clock.advance(Duration.ofSeconds(30));
      assertThat(pin.tokenUserPresent()).isFalse();
      assertThat(pin.tokenUserVerified()).as("used, so still in use").isTrue();
    }

    @Test
    void step1_missingPermissions_returnsMissingParameter_withoutAnAttempt() {
      ClientPin pin = bio();
      mismatches(1);
      Raw raw = new Raw(pin, 2, SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS.code());
      raw.put(ClientPinRequest.RP_ID, "example.com");
      assertStatus(raw::send, CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
      assertThat(pin.uvRetries()).isEqualTo(8);
    }

    @Test
    void step3_zeroPermissions_returnsInvalidParameter() {
      ClientPin pin = bio();
      Raw raw = new Raw(pin, 2, SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS.code());
      raw.put(ClientPinRequest.PERMISSIONS, 0L);
      assertStatus(raw::send, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void step4_unauthorizedPermission_beforeAnyUvAttempt() {
      ClientPin pin = bio();
      mismatches(1);
      assertStatus(() -> platform(pin, 2).getUvToken(EnumSet.of(Permission.BIO_ENROLLMENT), Optional.empty()),
          CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION);
      assertThat(pin.uvRetries()).isEqualTo(8);
    }

    @Test
    void step5_noTemplateEnrolled_returnsNotAllowed() {
      ClientPin pin = new ClientPin(Profiles.builtIn("bio").orElseThrow(), store, Presence.approve(),
          Optional.empty(), RandomSource.seeded(1), clock);
      assertThat(pin.uvOption()).contains(false);
      assertThat(pin.builtInUvEnabled()).isFalse();
      assertStatus(() -> platform(pin, 2).getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }

    @Test
    void step6_preferredPlatformUvAttemptsOne_internalRetry_thirdFingerSucceeds() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      assertThat(ClientPin.PREFERRED_PLATFORM_UV_ATTEMPTS).isEqualTo(1);
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES - 1);
      PinToken token = platform.getUvToken(MC_GA, RP);
      assertThat(uvScript).as("every scripted attempt was made within the one call").isEmpty();
      assertThatCode(() -> pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH)))
          .doesNotThrowAnyException();
      assertThat(platform.uvRetries()).as("a success restores uvRetries").isEqualTo(8);
    }

    @Test
    void step7_uvRetriesZero_returnsUvBlocked_withoutAskingTheUser() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      mismatches(8);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertThat(uvScript).isEmpty();
      uvScript.add(new UnknownFinger());
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertThat(uvScript).as("no attempt while blocked").hasSize(1);
    }

    @Test
    void step10_1_timeout_returnsUserActionTimeout_cancel_returnsKeepaliveCancel_neitherCosts() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      uvScript.add(new NoFinger());
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      uvScript.add(new Cancelled());
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
      assertThat(platform.uvRetries()).isEqualTo(8);
    }

    @Test
    void step10_2_lastRetryFails_returnsUvBlocked() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 1);
      mismatches(6);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertThat(platform.uvRetries()).isEqualTo(2);
      mismatches(2);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertThat(platform.uvRetries()).isZero();
    }

    @Test
    void step10_3_everyInternalAttemptFails_returnsUvInvalid_andDecrementsUvRetriesPersistently() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertThat(platform.uvRetries()).isEqualTo(5);
      assertThat(PinRecord.decode(store.get("pin").orElseThrow()).uvRetries()).isEqualTo(5);
      assertThat(bio().uvRetries()).as("a restart over the same store").isEqualTo(5);
      platform.getUvToken(MC_GA, RP);
      assertThat(platform.uvRetries()).as("success restores uvRetries").isEqualTo(8);
    }
  }

  /** The uvRetries counter and its lockout (section 6.5.2.3). */
  @Nested
  class UvRetriesCounter {
    @Test
    void lockoutAfterMaxUvRetriesFailures_thenACorrectPinRestoresBuiltInUv() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      mismatches(ClientPin.MAX_UV_RETRIES);
      int calls = 0;
      while (pin.uvRetries() > 0) {
        assertThatThrownBy(() -> platform.getUvToken(MC_GA, RP)).isInstanceOf(CtapException.class);
        calls++;
      }
      assertThat(calls).isEqualTo(3);
      assertThat(uvScript).as("exactly MAX_UV_RETRIES failed attempts").isEmpty();
      assertThat(pin.uvOption()).as("uv stays true while blocked").contains(true);
      assertThat(pin.builtInUvEnabled()).isTrue();
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_PIN_BLOCKED);

      // The PIN still works, and a correct PIN restores uvRetries (and so built-in UV).
      platform.getPinUvAuthToken("1234", MC_GA, RP);
      assertThat(platform.uvRetries()).isEqualTo(8);
      assertThatCode(() -> platform.getUvToken(MC_GA, RP)).doesNotThrowAnyException();
    }

    @Test
    void wrongPin_doesNotTouchUvRetries() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(pin.uvRetries()).isEqualTo(5);
      assertThat(pin.pinRetries()).isEqualTo(7);
    }

    @Test
    void pinRetriesZero_disablesBuiltInUv() {
      ClientPin pin = bio();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      for (int i = 1; i <= 8; i++) {
        assertThatThrownBy(() -> platform.getPinToken("0000")).isInstanceOf(CtapException.class);
        if (i % 3 == 0) {
          pin.powerCycle();
        }
      }
      assertThat(pin.pinRetries()).isZero();
      assertThat(pin.uvRetries()).isEqualTo(8);
      assertStatus(() -> platform.getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_BLOCKED);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      assertThat(uvScript).isEmpty();
    }

    @Test
    void reset_restoresUvRetries_andKeepsThePreEnrolledTemplate() {
      ClientPin pin = bio();
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertStatus(() -> platform(pin, 2).getUvToken(MC_GA, RP), CtapStatus.CTAP2_ERR_UV_INVALID);
      pin.reset();
      assertThat(pin.uvRetries()).isEqualTo(8);
      assertThat(pin.uvOption()).contains(true);
    }
  }

  /**
   * The "uv" option of makeCredential (section 6.1.2 step 11.2) and getAssertion (section 6.2.2
   * step 6.2), which map performBuiltInUv's errors to their own codes.
   */
  @Nested
  class PerformBuiltInUvForTheUvOption {
    @Test
    void step11_2_verified_returnsTrue_andRestoresUvRetries() {
      ClientPin pin = bio();
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertThatThrownBy(() -> pin.performBuiltInUv("example.com", CTX)).isInstanceOf(CtapException.class);
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES - 1);
      assertThat(pin.performBuiltInUv("example.com", CTX)).isTrue();
      assertThat(pin.uvRetries()).isEqualTo(8);
    }

    @Test
    void step11_2_3_1_timeout_returnsUserActionTimeout() {
      ClientPin pin = bio();
      uvScript.add(new NoFinger());
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      assertThat(pin.uvRetries()).isEqualTo(8);
    }

    @Test
    void step11_2_3_2_uvRetriesReachZero_returnsPinBlocked() {
      ClientPin pin = bio();
      mismatches(8);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      assertThat(pin.uvRetries()).isZero();
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    }

    @Test
    void step11_2_3_3_failedAttempts_returnOperationDenied_andDecrementUvRetries() {
      ClientPin pin = bio();
      mismatches(ClientPin.MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES);
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_OPERATION_DENIED);
      assertThat(pin.uvRetries()).isEqualTo(5);
    }

    @Test
    void withoutBuiltInUv_returnsUnsupportedOption() {
      ClientPin pin = generic();
      assertThat(pin.uvOption()).isEmpty();
      assertThat(pin.builtInUvEnabled()).isFalse();
      assertStatus(() -> pin.performBuiltInUv("example.com", CTX), CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    }
  }

  @Nested
  class PersistenceAndReset {
    @Test
    void pinSurvivesARestart() {
      platform(generic(), 2).setPin("1234");
      ClientPin restarted = generic();
      assertThat(restarted.isPinSet()).isTrue();
      assertThatCode(() -> platform(restarted, 2).getPinToken("1234")).doesNotThrowAnyException();
    }

    @Test
    void reset_forgetsThePinAndRestoresDefaults() {
      ClientPin pin = generic();
      PlatformPin platform = platform(pin, 2);
      platform.setPin("1234");
      PinToken token = platform.getPinToken("1234");
      assertStatus(() -> platform.getPinToken("0000"), CtapStatus.CTAP2_ERR_PIN_INVALID);
      pin.setMinPinLength(Optional.of(8), true);
      pin.reset();
      assertThat(pin.isPinSet()).isFalse();
      assertThat(pin.pinRetries()).isEqualTo(8);
      assertThat(pin.minPinLength()).isEqualTo(4);
      assertThat(pin.forcePinChange()).isFalse();
      assertThat(store.get("pin")).isEmpty();
      assertStatus(() -> pin.verifyToken(2, CLIENT_DATA_HASH, token.authenticate(CLIENT_DATA_HASH)),
          CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      platform.setPin("5678");
      assertThat(pin.isPinSet()).isTrue();
    }

    @Test
    void setMinPinLength_cannotDecrease_andForceNeedsAPin() {
      ClientPin pin = generic();
      assertStatus(() -> pin.setMinPinLength(Optional.of(6), true), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
      pin.setMinPinLength(Optional.of(6), false);
      assertThat(pin.minPinLength()).isEqualTo(6);
      assertThat(pin.forcePinChange()).isFalse();
      assertStatus(() -> pin.setMinPinLength(Optional.of(5), false), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
      assertThat(generic().minPinLength()).as("persisted").isEqualTo(6);
    }

    @Test
    void pinRecord_roundTripsAndRejectsOtherVersions() {
      PinRecord r = new PinRecord(Optional.of(PlatformPin.pinHash("1234")), 4, 5, 6, 7, true);
      assertThat(PinRecord.decode(r.encode())).isEqualTo(r);
      assertThat(PinRecord.decode(r.encode()).encode()).isEqualTo(r.encode());
      assertThat(r.toString()).doesNotContain(PlatformPin.pinHash("1234").hex());
      Map<Object, Object> v2 = new LinkedHashMap<>(Map.of(1L, 2L, 3L, 0L, 4L, 8L, 5L, 8L, 6L, 4L));
      assertThatThrownBy(() -> PinRecord.decode(CborEncoder.encodeBytes(v2))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Platform {
    @Test
    void pinIsNormalizedToNfc() {
      assertThat(PlatformPin.pinHash("caf\u0065\u0301")).isEqualTo(PlatformPin.pinHash("caf\u00e9"));
      assertThat(PlatformPin.paddedPin("1234").length()).isEqualTo(64);
    }

    @Test
    void pinLongerThan64Bytes_isRefusedBeforeSending() {
      assertThatThrownBy(() -> PlatformPin.paddedPin("a".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownStatus_surfacesAsOther() {
      PlatformPin platform = new PlatformPin(req -> new byte[] {(byte) 0xF2}, 2, RandomSource.seeded(1));
      assertStatus(platform::pinRetries, CtapStatus.CTAP1_ERR_OTHER);
    }
  }
}
