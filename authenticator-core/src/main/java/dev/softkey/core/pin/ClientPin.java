package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.ctap.pin.PinUvAuthProtocol;

import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinRequest.SubCommand;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * authenticatorClientPIN (CTAP 2.1 section 6.5) and the pinUvAuthToken state the other commands
 * consult. Persistent state (CurrentStoredPIN, PINCodePointLength, pinRetries, uvRetries,
 * minPINLength, forcePINChange) lives in the {@link DeviceStateStore} record {@code "pin"} and is
 * written before each step that depends on it; volatile state (key agreement keys, pinUvAuthTokens,
 * the token state and the consecutive-mismatch counter) is lost on {@link #powerCycle()}.
 *
 * <p>Subcommands: getPINRetries (0x01), getKeyAgreement (0x02), setPIN (0x03), changePIN (0x04),
 * getPinToken (0x05), getPinUvAuthTokenUsingUvWithPermissions (0x06, FIDO_2_1 profiles with built-in
 * UV), getUVRetries (0x07, profiles with built-in UV) and getPinUvAuthTokenUsingPinWithPermissions
 * (0x09, FIDO_2_1 / FIDO_2_1_PRE profiles). Anything else answers CTAP2_ERR_INVALID_SUBCOMMAND.
 *
 * <p>Built-in UV (profiles with builtInUv): the {@link FingerprintSensor} holds the templates that
 * authenticatorBioEnrollment enrolled; while it has none, getInfo uv is false and 0x06 answers
 * CTAP2_ERR_NOT_ALLOWED. uvRetries
 * starts at {@link #MAX_UV_RETRIES}, loses one per failed attempt, is restored by a successful
 * attempt or a correct PIN, and survives restarts in the {@code "pin"} record; at 0 (or with
 * pinRetries 0) built-in UV is blocked while getInfo uv stays true, so that the platform falls back
 * to the PIN. authenticatorReset wipes the templates (the sensor's own reset) and restores uvRetries.
 *
 * <p>Only the mc and ga permissions are authorized unless the constructor is told that the
 * features behind cm, be, lbw or acfg exist (section 6.5.5.7.2 step 4): the authenticator passes
 * the permissions of its registered commands (acfg with authenticatorConfig).
 */
public final class ClientPin implements PinUvAuthState {
  /** maxPINRetries: the initial and maximum pinRetries (section 6.5.2.3: at most 8). */
  public static final int MAX_PIN_RETRIES = 8;
  /**
   * maxUvRetries: the initial and maximum uvRetries (section 6.5.2.3). Every failed built-in UV
   * attempt takes one; a successful one, or a correct PIN, restores it; at 0 built-in UV is blocked
   * until the PIN is entered.
   */
  public static final int MAX_UV_RETRIES = 8;
  /** Consecutive PIN mismatches after which a power cycle is needed (CTAP2_ERR_PIN_AUTH_BLOCKED). */
  public static final int MAX_CONSECUTIVE_PIN_MISMATCHES = 3;
  /**
   * getInfo preferredPlatformUvAttempts (0x11): 1, so "all uvRetries are internal and the platform
   * MUST only invoke the getPinUvAuthTokenUsingUvWithPermissions subCommand a single time"
   * (section 6.4), and getPinUvAuthTokenUsingUvWithPermissions step 6 lets internalRetry be true.
   */
  public static final int PREFERRED_PLATFORM_UV_ATTEMPTS = 1;
  /**
   * maxUvAttemptsForInternalRetries: the attempts performBuiltInUv(internalRetry: true) makes
   * before it reports an error, each failure taking one uvRetries. Three, so that a platform that
   * asks once (preferredPlatformUvAttempts 1) still gives the user a second and third finger.
   */
  public static final int MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES = 3;
  /** getInfo uvModality (0x12): USER_VERIFY_FINGERPRINT_INTERNAL (FIDO Registry section 3.1). */
  public static final long UV_MODALITY_FINGERPRINT_INTERNAL = 0x02;
  /** Length of paddedNewPin. */
  public static final int PADDED_PIN_LENGTH = 64;
  /** Maximum PIN length in UTF-8 bytes (section 6.5.1). */
  public static final int MAX_PIN_BYTES = 63;

  private final Profile profile;
  private final DeviceStateStore store;
  // For step 7 "if the authenticator has a display, request user consent"; no profile has one yet.
  private final UserPresence userPresence;
  private final Optional<FingerprintSensor> sensor;
  private final Supplier<Set<Permission>> authorizedPermissions;
  private final Map<Integer, PinUvAuthProtocol> protocols = new LinkedHashMap<>();
  private final PinUvAuthTokenState token;
  private PinRecord record;
  private int consecutivePinMismatches;
  /** The steered built-in UV verdict of the next attempt; empty: the sensor decides. */
  private volatile Supplier<Optional<Boolean>> uvSteering = Optional::empty;

  /** A ClientPin where only the mc and ga permissions are authorized. */
  public ClientPin(
      Profile profile,
      DeviceStateStore store,
      UserPresence userPresence,
      Optional<FingerprintSensor> sensor,
      RandomSource random,
      Clock clock) {
    this(profile, store, userPresence, sensor, random, clock,
        () -> EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION));
  }

  /** @param authorizedPermissions a fixed set of grantable permissions (tests) */
  public ClientPin(
      Profile profile,
      DeviceStateStore store,
      UserPresence userPresence,
      Optional<FingerprintSensor> sensor,
      RandomSource random,
      Clock clock,
      Set<Permission> authorizedPermissions) {
    this(profile, store, userPresence, sensor, random, clock, supplierOf(authorizedPermissions, profile));
  }

  private static Supplier<Set<Permission>> supplierOf(Set<Permission> permissions, Profile profile) {
    if (permissions.contains(Permission.BIO_ENROLLMENT) && !profile.getInfo().options().builtInUv()) {
      throw new IllegalArgumentException("the be permission needs a profile with built-in UV");
    }
    Set<Permission> copy = Set.copyOf(permissions);
    return () -> copy;
  }

  /**
   * @param authorizedPermissions the permissions of the commands this authenticator has (the
   *     registry's, read when a token is requested)
   */
  public ClientPin(
      Profile profile,
      DeviceStateStore store,
      UserPresence userPresence,
      Optional<FingerprintSensor> sensor,
      RandomSource random,
      Clock clock,
      Supplier<Set<Permission>> authorizedPermissions) {
    this.profile = profile;
    this.store = store;
    this.userPresence = userPresence;
    this.sensor = sensor;
    this.authorizedPermissions = authorizedPermissions;
    this.token = new PinUvAuthTokenState(clock);
    for (int version : profile.getInfo().pinUvAuthProtocols()) {
      PinUvAuthProtocol p = PinUvAuthProtocol.of(version, random);
      p.initialize();
      protocols.put(version, p);
    }
    this.record = store.get(PinRecord.STORE_KEY).map(PinRecord::decode).orElseGet(this::initialRecord);
  }

  private PinRecord initialRecord() {
    return PinRecord.initial(profile.pinPolicy().minPinLength(), MAX_PIN_RETRIES, MAX_UV_RETRIES);
  }

  private void persist(PinRecord r) {
    store.put(PinRecord.STORE_KEY, r.encode());
    record = r;
  }

  // ---------------------------------------------------------------- authenticatorClientPIN

  @Override
  public synchronized ClientPinResponse clientPin(ClientPinRequest p, OperationContext ctx) {
    long subCommand = p.subCommand();
    if (subCommand == SubCommand.GET_PIN_RETRIES.code()) {
      return getPinRetries();
    } else if (subCommand == SubCommand.GET_KEY_AGREEMENT.code()) {
      return getKeyAgreement(p);
    } else if (subCommand == SubCommand.SET_PIN.code()) {
      setPin(p);
      return ClientPinResponse.empty();
    } else if (subCommand == SubCommand.CHANGE_PIN.code()) {
      changePin(p);
      return ClientPinResponse.empty();
    } else if (subCommand == SubCommand.GET_PIN_TOKEN.code()) {
      return getPinToken(p, ctx);
    } else if (subCommand == SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS.code() && profile.getInfo().options().builtInUv() && hasPinUvAuthToken()) {
      return getPinUvAuthTokenUsingUvWithPermissions(p, ctx);
    } else if (subCommand == SubCommand.GET_UV_RETRIES.code() && profile.getInfo().options().builtInUv()) {
      return getUvRetries();
    } else if (subCommand == SubCommand.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS.code() && hasPinUvAuthToken()) {
      return getPinUvAuthTokenUsingPinWithPermissions(p, ctx);
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
  }

  /**
   * Whether the profile reports the pinUvAuthToken option: CTAP 2.1 models. FIDO_2_1_PRE-only keys
   * (YubiKey 5 at 5.4.2, Feitian ePass FIDO2) report no pinUvAuthToken in their MDS3 getInfo and
   * take getPinToken alone, so subcommands 0x06 and 0x09 are CTAP2_ERR_INVALID_SUBCOMMAND there;
   * the Solo 1 firmware 4.x, which lists FIDO_2_1_PRE for credential management alone, knows only
   * CTAP 2.0's subcommands 1 to 5 (solokeys/solo1 fido2/ctap.c ctap_client_pin). Their pinToken
   * follows CTAP 2.0 (see clearTokenUserVerified).
   */
  private boolean hasPinUvAuthToken() {
    return profile.getInfo().supports(CtapVersion.FIDO_2_1);
  }

  /** getInfo preferredPlatformUvAttempts of the model's sensor ({@link #PREFERRED_PLATFORM_UV_ATTEMPTS} without one). */
  private int preferredPlatformUvAttempts() {
    return profile.management().fingerprint().map(Profile.Fingerprint::preferredPlatformUvAttempts).orElse(PREFERRED_PLATFORM_UV_ATTEMPTS);
  }

  /** Section 6.5.5.2: pinRetries and, for CTAP 2.1, powerCycleState. */
  private ClientPinResponse getPinRetries() {
    return ClientPinResponse.ofPinRetries(
        record.pinRetries(),
        hasPinUvAuthToken() ? Optional.of(consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES) : Optional.empty());
  }

  /** Section 6.5.5.3: uvRetries. */
  private ClientPinResponse getUvRetries() {
    return ClientPinResponse.ofUvRetries(record.uvRetries());
  }

  /** Section 6.5.5.4: obtaining the shared secret. */
  private ClientPinResponse getKeyAgreement(ClientPinRequest p) {
    // 3. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER.
    long version = require(p.pinUvAuthProtocol());
    // 4. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 5. keyAgreement: getPublicKey() of the selected protocol.
    return ClientPinResponse.ofKeyAgreement(new CborMap(protocol.getPublicKey()));
  }

  /** Section 6.5.5.5: setting a new PIN. */
  private void setPin(ClientPinRequest p) {
    // 1. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER.
    long version = require(p.pinUvAuthProtocol());
    CborMap keyAgreement = require(p.keyAgreement());
    Bytes pinUvAuthParam = require(p.pinUvAuthParam());
    Bytes newPinEnc = require(p.newPinEnc());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 3. A PIN is already set: CTAP2_ERR_PIN_AUTH_INVALID.
    CtapException.check(!isPinSet(), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    // 4. decapsulate; on error CTAP1_ERR_INVALID_PARAMETER.
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 5. verify(shared secret, newPinEnc, pinUvAuthParam); on error CTAP2_ERR_PIN_AUTH_INVALID.
    CtapException.check(
        protocol.verify(sharedSecret, newPinEnc.unsafeArray(), pinUvAuthParam), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    // 6.-10. decrypt, length, padding, minimum length, additional constraints.
    NewPin newPin = decryptNewPin(protocol, sharedSecret, newPinEnc);
    // 11. Remember PINCodePointLength; 12. store LEFT(SHA-256(newPin), 16), pinRetries to maximum.
    persist(record.withPin(newPin.storedPin(), newPin.codePoints()).withPinRetries(MAX_PIN_RETRIES));
  }

  /** Section 6.5.5.6: changing the existing PIN. */
  private void changePin(ClientPinRequest p) {
    // 1. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER.
    long version = require(p.pinUvAuthProtocol());
    CborMap keyAgreement = require(p.keyAgreement());
    Bytes pinUvAuthParam = require(p.pinUvAuthParam());
    Bytes newPinEnc = require(p.newPinEnc());
    Bytes pinHashEnc = require(p.pinHashEnc());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // (No PIN to change: CTAP2_ERR_PIN_NOT_SET, before any retry is spent, as OpenSK and YubiKeys do.)
    CtapException.check(isPinSet(), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    // 3. pinRetries is 0: CTAP2_ERR_PIN_BLOCKED.
    CtapException.check(record.pinRetries() > 0, CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    // (After 3 consecutive mismatches only a power cycle allows another attempt.)
    checkNoPowerCycleNeeded();
    // 4. decapsulate; on error CTAP1_ERR_INVALID_PARAMETER.
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 5. verify(shared secret, newPinEnc || pinHashEnc, pinUvAuthParam); CTAP2_ERR_PIN_AUTH_INVALID.
    byte[] message = Bytes.concat(newPinEnc, pinHashEnc).unsafeArray();
    CtapException.check(protocol.verify(sharedSecret, message, pinUvAuthParam), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    // 6.-8. decrement pinRetries, check pinHashEnc, pinRetries back to maximum.
    verifyPinHashEnc(protocol, sharedSecret, pinHashEnc);
    // 9.-12. and 14. decrypt newPinEnc, length, padding, minimum length, additional constraints.
    NewPin newPin = decryptNewPin(protocol, sharedSecret, newPinEnc);
    // 13. forcePINChange and the new PIN equals the current one: CTAP2_ERR_PIN_POLICY_VIOLATION.
    if (record.forcePinChange() && newPin.storedPin().constantTimeEquals(record.currentStoredPin().orElseThrow())) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    }
    // 15. PINCodePointLength; 16. forcePINChange false; 17. CurrentStoredPIN; 18. pinRetries maximum.
    persist(
        record
            .withPin(newPin.storedPin(), newPin.codePoints())
            .withForcePinChange(false)
            .withPinRetries(MAX_PIN_RETRIES));
    // 19. resetPinUvAuthToken() for all protocols: every existing pinUvAuthToken is invalidated.
    resetAllTokens();
    token.stopUsingPinUvAuthToken();
  }

  /** Section 6.5.5.7.1: getPinToken (superseded), default permissions mc and ga, no RP ID. */
  private ClientPinResponse getPinToken(ClientPinRequest p, OperationContext ctx) {
    // 1. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER.
    long version = require(p.pinUvAuthProtocol());
    CborMap keyAgreement = require(p.keyAgreement());
    Bytes pinHashEnc = require(p.pinHashEnc());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 3. permissions present: CTAP1_ERR_INVALID_PARAMETER.
    CtapException.check(p.permissions().isEmpty(), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // 4. rpId present: CTAP1_ERR_INVALID_PARAMETER.
    CtapException.check(p.rpId().isEmpty(), CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // (No PIN set: CTAP2_ERR_PIN_NOT_SET, before any retry is spent.)
    CtapException.check(isPinSet(), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    // 5. pinRetries is 0: CTAP2_ERR_PIN_BLOCKED.
    CtapException.check(record.pinRetries() > 0, CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    checkNoPowerCycleNeeded();
    // 6. decapsulate; on error CTAP1_ERR_INVALID_PARAMETER.
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 7. User consent on a display: no profile has a display.
    // 8.-10. decrement pinRetries, check pinHashEnc, pinRetries back to maximum.
    verifyPinHashEnc(protocol, sharedSecret, pinHashEnc);
    // 11. forcePINChange is true: CTAP2_ERR_PIN_INVALID.
    CtapException.check(!record.forcePinChange(), CtapStatus.CTAP2_ERR_PIN_INVALID);
    // 12.-15. new token, beginUsingPinUvAuthToken(userIsPresent: false), default permissions mc
    // and ga (noMcGaPermissionsWithClientPin is absent), return encrypt(shared secret, token).
    return issueToken(
        protocol, sharedSecret, false, EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION),
        Optional.empty(), ctx);
  }

  /** Section 6.5.5.7.2: getPinUvAuthTokenUsingPinWithPermissions. */
  private ClientPinResponse getPinUvAuthTokenUsingPinWithPermissions(ClientPinRequest p, OperationContext ctx) {
    // 1. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER (rpId is mandatory with mc or ga,
    //    section 6.5.5.7 permissions table).
    long version = require(p.pinUvAuthProtocol());
    CborMap keyAgreement = require(p.keyAgreement());
    Bytes pinHashEnc = require(p.pinHashEnc());
    long permissionBits = require(p.permissions());
    Set<Permission> permissions = Permission.fromBits(permissionBits);
    checkRpIdPresentForMcGa(permissions, p.rpId());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 3. permissions 0: CTAP1_ERR_INVALID_PARAMETER.
    CtapException.check(permissionBits != 0, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // 4. A permission whose feature is absent: CTAP2_ERR_UNAUTHORIZED_PERMISSION.
    checkAuthorized(permissions);
    // (No PIN set: CTAP2_ERR_PIN_NOT_SET, before any retry is spent.)
    CtapException.check(isPinSet(), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    // 5. pinRetries is 0: CTAP2_ERR_PIN_BLOCKED.
    CtapException.check(record.pinRetries() > 0, CtapStatus.CTAP2_ERR_PIN_BLOCKED);
    checkNoPowerCycleNeeded();
    // 6. decapsulate; on error CTAP1_ERR_INVALID_PARAMETER.
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 7. User consent on a display: no profile has a display.
    // 8.-10. decrement pinRetries, check pinHashEnc, pinRetries back to maximum.
    verifyPinHashEnc(protocol, sharedSecret, pinHashEnc);
    // 11. forcePINChange is true: CTAP2_ERR_PIN_POLICY_VIOLATION.
    CtapException.check(!record.forcePinChange(), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    // 12.-16. new token, beginUsingPinUvAuthToken(userIsPresent: false), requested permissions,
    // permissions RP ID if present, return encrypt(shared secret, token).
    return issueToken(protocol, sharedSecret, false, permissions, p.rpId(), ctx);
  }

  /** Section 6.5.5.7.3: getPinUvAuthTokenUsingUvWithPermissions (built-in UV). */
  private ClientPinResponse getPinUvAuthTokenUsingUvWithPermissions(ClientPinRequest p, OperationContext ctx) {
    // 1. Mandatory parameters missing: CTAP2_ERR_MISSING_PARAMETER (rpId with mc or ga).
    long version = require(p.pinUvAuthProtocol());
    CborMap keyAgreement = require(p.keyAgreement());
    long permissionBits = require(p.permissions());
    Set<Permission> permissions = Permission.fromBits(permissionBits);
    checkRpIdPresentForMcGa(permissions, p.rpId());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 3. permissions 0: CTAP1_ERR_INVALID_PARAMETER.
    CtapException.check(permissionBits != 0, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // 4. A permission whose feature is absent: CTAP2_ERR_UNAUTHORIZED_PERMISSION; be needs the
    //    uvBioEnroll option and acfg the uvAcfg option (section 6.4: absent or false, requesting
    //    them with this subcommand is not supported).
    checkAuthorized(permissions);
    boolean uvBioEnroll = profile.management().fingerprint().map(Profile.Fingerprint::uvBioEnroll).orElse(false);
    boolean uvAcfg = profile.management().config().map(Profile.Config::uvAcfg).orElse(false);
    if ((permissions.contains(Permission.BIO_ENROLLMENT) && !uvBioEnroll)
        || (permissions.contains(Permission.AUTHENTICATOR_CONFIG) && !uvAcfg)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION, "permission not available with built-in UV");
    }
    // 5. Built-in UV supported but not configured (no enrolled template): CTAP2_ERR_NOT_ALLOWED.
    CtapException.check(templatesEnrolled(), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    // 6. internalRetry is false when preferredPlatformUvAttempts > 1, else true.
    boolean internalRetry = !(preferredPlatformUvAttempts() > 1);
    // 7. uvRetries is 0 (or built-in UV disabled by pinRetries 0, section 6.5.2.3): CTAP2_ERR_UV_BLOCKED.
    CtapException.check(!builtInUvBlocked(), CtapStatus.CTAP2_ERR_UV_BLOCKED);
    // (decapsulate before the user is asked, so a bad key costs no UV attempt; CTAP1_ERR_INVALID_PARAMETER.)
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 8. User consent on a display: no profile has a display.
    // 9. uvState = performBuiltInUv(internalRetry).
    UvState uvState =
        performBuiltInUv(internalRetry, new UserRequest(UserRequest.Kind.PIN_UV_AUTH_TOKEN, p.rpId(), Optional.empty()), ctx);
    // 10. uvState is error: 10.1 user action timeout: CTAP2_ERR_USER_ACTION_TIMEOUT; 10.2 uvRetries
    // is 0: CTAP2_ERR_UV_BLOCKED; 10.3 otherwise CTAP2_ERR_UV_INVALID. (A cancel is KEEPALIVE_CANCEL.)
    switch (uvState) {
      case SUCCESS -> {}
      case TIMEOUT -> throw new CtapException(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      case CANCELLED -> throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
      case FAILED -> throw new CtapException(
          builtInUvBlocked() ? CtapStatus.CTAP2_ERR_UV_BLOCKED : CtapStatus.CTAP2_ERR_UV_INVALID);
    }
    // 11.-15. new token; a fingerprint is evidence of user interaction, so
    // beginUsingPinUvAuthToken(userIsPresent: true); permissions, RP ID, encrypted token.
    return issueToken(protocol, sharedSecret, true, permissions, p.rpId(), ctx);
  }

  // ---------------------------------------------------------------- shared steps

  private static <T> T require(Optional<T> member) {
    return member.orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER));
  }

  private PinUvAuthProtocol protocol(long version) {
    PinUvAuthProtocol p = version > 0 && version <= Integer.MAX_VALUE ? protocols.get((int) version) : null;
    if (p == null) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "unsupported pinUvAuthProtocol");
    }
    return p;
  }

  private static Bytes decapsulate(PinUvAuthProtocol protocol, CborMap keyAgreement) {
    return protocol
        .decapsulate(keyAgreement)
        .orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "invalid keyAgreement"));
  }

  private void checkAuthorized(Set<Permission> permissions) {
    for (Permission p : permissions) {
      if (!authorizedPermissions.get().contains(p)) {
        throw new CtapException(CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION, "permission " + p.shortName());
      }
    }
  }

  private static void checkRpIdPresentForMcGa(Set<Permission> permissions, Optional<String> rpId) {
    if ((permissions.contains(Permission.MAKE_CREDENTIAL) || permissions.contains(Permission.GET_ASSERTION))
        && rpId.isEmpty()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "rpId is required with mc or ga");
    }
  }

  private void checkNoPowerCycleNeeded() {
    CtapException.check(
        consecutivePinMismatches < MAX_CONSECUTIVE_PIN_MISMATCHES, CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
  }

  /**
   * The PIN check of changePIN steps 6-8, getPinToken steps 8-10 and
   * getPinUvAuthTokenUsingPinWithPermissions steps 8-10.
   */
  private void verifyPinHashEnc(PinUvAuthProtocol protocol, Bytes sharedSecret, Bytes pinHashEnc) {
    // Decrement pinRetries by 1, durably, before looking at the PIN.
    persist(record.withPinRetries(record.pinRetries() - 1));
    // Decrypt pinHashEnc and compare with CurrentStoredPIN.
    Optional<Bytes> pinHash = protocol.decrypt(sharedSecret, pinHashEnc);
    Bytes stored = record.currentStoredPin().orElseThrow();
    if (pinHash.isEmpty() || !pinHash.get().constantTimeEquals(stored)) {
      // On error or mismatch: regenerate the key agreement key of the selected protocol, then
      // PIN_BLOCKED at 0 retries, PIN_AUTH_BLOCKED after 3 consecutive mismatches, else PIN_INVALID.
      protocol.regenerate();
      consecutivePinMismatches++;
      if (record.pinRetries() == 0) {
        throw new CtapException(CtapStatus.CTAP2_ERR_PIN_BLOCKED);
      }
      if (consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES) {
        throw new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED);
      }
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_INVALID);
    }
    // pinRetries back to maximum; a correct PIN also restores uvRetries.
    consecutivePinMismatches = 0;
    persist(record.withPinRetries(MAX_PIN_RETRIES).withUvRetries(MAX_UV_RETRIES));
  }

  /** A decrypted and accepted new PIN. */
  private record NewPin(Bytes storedPin, int codePoints) {}

  /** setPIN steps 6-10 and changePIN steps 9-12 and 14. */
  private NewPin decryptNewPin(PinUvAuthProtocol protocol, Bytes sharedSecret, Bytes newPinEnc) {
    // decrypt(shared secret, newPinEnc); on error CTAP2_ERR_PIN_AUTH_INVALID.
    byte[] paddedNewPin =
        protocol
            .decrypt(sharedSecret, newPinEnc)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID))
            .toArray();
    try {
      // paddedNewPin not 64 bytes: CTAP1_ERR_INVALID_PARAMETER.
      CtapException.check(paddedNewPin.length == PADDED_PIN_LENGTH, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
      // Drop all trailing 0x00 bytes.
      int end = paddedNewPin.length;
      while (end > 0 && paddedNewPin[end - 1] == 0) {
        end--;
      }
      byte[] newPin = Arrays.copyOf(paddedNewPin, end);
      try {
        // Additional constraints (section 6.5.1): at most 63 bytes of UTF-8, no NUL inside.
        if (newPin.length > MAX_PIN_BYTES || indexOfZero(newPin) >= 0) {
          throw new CtapException(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
        }
        // Length against the current minimum PIN length, in code points.
        int codePoints = codePoints(newPin);
        CtapException.check(codePoints >= record.minPinLength(), CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
        return new NewPin(Bytes.wrap(Arrays.copyOf(PinCrypto.sha256(newPin), 16)), codePoints);
      } finally {
        Arrays.fill(newPin, (byte) 0);
      }
    } finally {
      Arrays.fill(paddedNewPin, (byte) 0);
    }
  }

  private static int indexOfZero(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Code points of a UTF-8 PIN; malformed UTF-8 is CTAP2_ERR_PIN_POLICY_VIOLATION. */
  private static int codePoints(byte[] utf8) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
      return s.codePointCount(0, s.length());
    } catch (CharacterCodingException e) {
      throw new CtapException(CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION, "PIN is not UTF-8");
    }
  }

  private void resetAllTokens() {
    for (PinUvAuthProtocol p : protocols.values()) {
      p.resetPinUvAuthToken();
    }
  }

  /** Token issuing steps shared by subcommands 0x05, 0x06 and 0x09. */
  private ClientPinResponse issueToken(
      PinUvAuthProtocol protocol,
      Bytes sharedSecret,
      boolean userIsPresent,
      Set<Permission> permissions,
      Optional<String> rpId,
      OperationContext ctx) {
    // Create a new pinUvAuthToken by calling resetPinUvAuthToken() for all protocols.
    resetAllTokens();
    // beginUsingPinUvAuthToken(userIsPresent).
    token.beginUsingPinUvAuthToken(userIsPresent, initialUsageTimeLimit(ctx));
    // Assign the requested permissions, ignoring undefined ones.
    token.assignPermissions(permissions);
    // If rpId is present, it becomes the permissions RP ID.
    rpId.ifPresent(token::setPermissionsRpId);
    // Return encrypt(shared secret, pinUvAuthToken).
    return ClientPinResponse.ofToken(protocol.encrypt(sharedSecret, protocol.pinUvAuthToken()));
  }

  /** The per-transport initial usage time limit (section 6.5.2.1): NFC 19.8 s, otherwise 30 s. */
  private static Duration initialUsageTimeLimit(OperationContext ctx) {
    return "nfc".equals(ctx.transport())
        ? PinUvAuthTokenState.NFC_INITIAL_USAGE_TIME_LIMIT
        : PinUvAuthTokenState.USB_INITIAL_USAGE_TIME_LIMIT;
  }

  /** What performBuiltInUv(internalRetry) returns: success, or an error with its reason. */
  private enum UvState {
    SUCCESS,
    /** The user did not present a finger in time (a user action timeout). */
    TIMEOUT,
    /** The platform cancelled while the sensor waited. */
    CANCELLED,
    /** Built-in UV is blocked, or every attempt allowed this time failed. */
    FAILED
  }

  /** uvRetries is 0, or pinRetries is 0, which disables built-in UV too (section 6.5.2.3). */
  private boolean builtInUvBlocked() {
    return record.uvRetries() == 0 || record.pinRetries() == 0;
  }

  /**
   * performBuiltInUv(internalRetry) (section 6.5.2.3, used by getPinUvAuthTokenUsingUvWithPermissions
   * step 9, makeCredential step 11.2.2 and getAssertion step 6.2.2): one attempt, or up to {@link
   * #MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES} when internalRetry is true. Each failed attempt
   * decrements uvRetries by 1, durably, before the next one; at 0 built-in UV is blocked and no
   * further attempt is made. A success restores uvRetries to {@link #MAX_UV_RETRIES}.
   */
  private UvState performBuiltInUv(boolean internalRetry, UserRequest request, OperationContext ctx) {
    FingerprintSensor verifier = sensor.filter(FingerprintSensor::hasTemplates)
        .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED));
    int attempts = internalRetry ? MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES : 1;
    for (int attempt = 1; ; attempt++) {
      if (builtInUvBlocked()) {
        return UvState.FAILED;
      }
      // A steered verdict (DeviceControl.setUserVerified / queueUvResults) stands for the finger:
      // true is a match, false a mismatch with everything a mismatch costs.
      Optional<Boolean> steered = uvSteering.get();
      FingerprintSensor.Match match =
          steered.isPresent()
              ? (steered.get() ? FingerprintSensor.Match.VERIFIED : FingerprintSensor.Match.MISMATCH)
              : verifier.verify(request, ctx);
      switch (match) {
        case VERIFIED -> {
          if (record.uvRetries() != MAX_UV_RETRIES) {
            persist(record.withUvRetries(MAX_UV_RETRIES));
          }
          return UvState.SUCCESS;
        }
        case TIMEOUT -> {
          return UvState.TIMEOUT;
        }
        case CANCELLED -> {
          return UvState.CANCELLED;
        }
        case MISMATCH -> {
          persist(record.withUvRetries(record.uvRetries() - 1));
          if (attempt >= attempts) {
            return UvState.FAILED;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- PinUvAuthState

  @Override
  public synchronized boolean isPinSet() {
    return record.currentStoredPin().isPresent();
  }

  @Override
  public synchronized int minPinLength() {
    return record.minPinLength();
  }

  @Override
  public synchronized boolean forcePinChange() {
    return record.forcePinChange();
  }

  @Override
  public List<Integer> supportedProtocols() {
    return profile.getInfo().pinUvAuthProtocols();
  }

  @Override
  public synchronized int pinRetries() {
    return record.pinRetries();
  }

  /** Remaining built-in UV attempts (getUVRetries). */
  public synchronized int uvRetries() {
    return record.uvRetries();
  }

  /** Whether 3 consecutive PIN mismatches require a power cycle (getPINRetries powerCycleState). */
  public synchronized boolean powerCycleState() {
    return consecutivePinMismatches >= MAX_CONSECUTIVE_PIN_MISMATCHES;
  }

  /**
   * The PIN part of authenticatorConfig setMinPINLength (CTAP 2.1 section 6.11.4, called by
   * ConfigHandler): a decrease is CTAP2_ERR_PIN_POLICY_VIOLATION; forceChangePin without a PIN is
   * CTAP2_ERR_PIN_NOT_SET; a stored PIN shorter than the new minimum, or forceChangePin, sets
   * forcePINChange, durably.
   */
  @Override
  public synchronized void setMinPinLength(Optional<Integer> newMinPinLength, boolean forceChangePin) {
    int newMin = newMinPinLength.orElse(record.minPinLength());
    CtapException.check(
        newMin >= record.minPinLength() && newMin <= MAX_PIN_BYTES, CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION);
    CtapException.check(!forceChangePin || isPinSet(), CtapStatus.CTAP2_ERR_PIN_NOT_SET);
    boolean force =
        record.forcePinChange() || forceChangePin || (isPinSet() && record.pinCodePointLength() < newMin);
    persist(record.withMinPinLength(newMin).withForcePinChange(force));
  }

  @Override
  public synchronized void verifyToken(long protocol, byte[] message, Bytes pinUvAuthParam) {
    PinUvAuthProtocol p = protocol(protocol);
    // Protocol Two verify: the current pinUvAuthToken that is not in use is an error (for One too).
    CtapException.check(token.inUse(), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    CtapException.check(p.verify(p.pinUvAuthToken(), message, pinUvAuthParam), CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    token.markUsedByPlatform();
  }

  @Override
  public synchronized SharedSecret sharedSecret(long protocol, CborMap keyAgreement) {
    PinUvAuthProtocol p = protocol(protocol);
    return new SharedSecret(p, decapsulate(p, keyAgreement));
  }

  @Override
  public synchronized boolean tokenHasPermission(Permission p) {
    return token.hasPermission(p);
  }

  @Override
  public synchronized Optional<String> tokenRpId() {
    return token.permissionsRpId();
  }

  /**
   * Associates the request's RP ID with the token (CTAP 2.1 sections 6.1.2 and 6.2.2), on a model
   * with pinUvAuthToken; a CTAP 2.0 pinToken has no permissions RP ID and serves every RP (see
   * clearTokenUserVerified).
   */
  @Override
  public synchronized void bindTokenRpId(String rpId) {
    if (hasPinUvAuthToken() && token.inUse() && token.permissionsRpId().isEmpty()) {
      token.setPermissionsRpId(rpId);
    }
  }

  @Override
  public synchronized boolean tokenUserPresent() {
    return token.getUserPresentFlagValue();
  }

  @Override
  public synchronized void clearTokenUserPresent() {
    token.observe();
    token.clearUserPresentFlag();
  }

  @Override
  public synchronized boolean tokenUserVerified() {
    return token.getUserVerifiedFlagValue();
  }

  /**
   * clearUserVerifiedFlag(), on a model with pinUvAuthToken. A model without it (CTAP 2.0's PIN
   * protocol: FIDO_2_0, or FIDO_2_1_PRE without FIDO_2_1) keeps its pinToken usable
   * until the next power cycle or getPinToken (CTAP 2.0 section 5.5.8), as the Solo 1 firmware
   * does (solokeys/solo1 fido2/ctap.c: PIN_TOKEN changes only in ctap_init and ctap_reset), and
   * as test suites for it expect (fido2-tests test_credmgmt.py signs several commands with one).
   */
  @Override
  public synchronized void clearTokenUserVerified() {
    if (hasPinUvAuthToken()) {
      token.clearUserVerifiedFlag();
    }
  }

  /** clearPinUvAuthTokenPermissionsExceptLbw(), on a model with pinUvAuthToken (see clearTokenUserVerified). */
  @Override
  public synchronized void clearTokenPermissionsExceptLbw() {
    if (hasPinUvAuthToken()) {
      token.clearPinUvAuthTokenPermissionsExceptLbw();
    }
  }

  /**
   * Built-in UV for the "uv" option of makeCredential (section 6.1.2 step 11.2) and getAssertion
   * (section 6.2.2 step 6.2): internalRetry is true; uvState = performBuiltInUv(internalRetry); on
   * error a user action timeout is CTAP2_ERR_USER_ACTION_TIMEOUT, uvRetries 0 is
   * CTAP2_ERR_PIN_BLOCKED (the platform should use the PIN), anything else ends the operation
   * with CTAP2_ERR_OPERATION_DENIED. Those two steps name these codes rather than the
   * CTAP2_ERR_UV_BLOCKED / CTAP2_ERR_UV_INVALID of getPinUvAuthTokenUsingUvWithPermissions.
   * pinRetries 0 disables built-in UV as uvRetries 0 does (section 6.5.2.3), so it is
   * CTAP2_ERR_PIN_BLOCKED too. Without built-in UV: CTAP2_ERR_UNSUPPORTED_OPTION; without an
   * enrolled template: CTAP2_ERR_NOT_ALLOWED (step 5 / step 4 of the handlers answer
   * CTAP2_ERR_INVALID_OPTION before this is reached).
   */
  @Override
  public synchronized boolean performBuiltInUv(String rpId, OperationContext ctx) {
    CtapException.check(profile.getInfo().options().builtInUv(), CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    CtapException.check(templatesEnrolled(), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    // 11.2.1 / 6.2.1: internalRetry is true. 11.2.2 / 6.2.2: uvState = performBuiltInUv(internalRetry).
    UvState uvState =
        performBuiltInUv(true, new UserRequest(UserRequest.Kind.PIN_UV_AUTH_TOKEN, Optional.of(rpId), Optional.empty()), ctx);
    // 11.2.3 / 6.2.3: uvState is error.
    return switch (uvState) {
      case SUCCESS -> true;
      case TIMEOUT -> throw new CtapException(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
      case CANCELLED -> throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
      case FAILED -> throw new CtapException(
          builtInUvBlocked() ? CtapStatus.CTAP2_ERR_PIN_BLOCKED : CtapStatus.CTAP2_ERR_OPERATION_DENIED);
    };
  }

  /**
   * Whether built-in UV is supported and configured (a template is enrolled): getInfo option uv is
   * true, and the authenticator counts as "protected by some form of user verification". It stays
   * true while built-in UV is blocked (uvRetries or pinRetries 0): the uv option still reads true
   * and a request with uv=true reaches performBuiltInUv, which answers CTAP2_ERR_PIN_BLOCKED.
   */
  @Override
  public synchronized boolean builtInUvEnabled() {
    return profile.getInfo().options().builtInUv() && templatesEnrolled();
  }

  @Override
  public Optional<Boolean> uvOption() {
    return profile.getInfo().options().builtInUv() ? Optional.of(templatesEnrolled()) : Optional.empty();
  }

  /** Built-in UV is configured: the sensor has at least one enrolled template. */
  private boolean templatesEnrolled() {
    return sensor.map(FingerprintSensor::hasTemplates).orElse(false);
  }

  // ---------------------------------------------------------------- control (DeviceControl)

  /**
   * Where each built-in UV attempt first asks for a steered verdict (the control API's
   * isUserVerified and queued UV results); an empty answer leaves the attempt to the sensor.
   */
  public void steerBuiltInUv(Supplier<Optional<Boolean>> verdicts) {
    this.uvSteering = java.util.Objects.requireNonNull(verdicts);
  }

  /**
   * Sets the PIN directly, as setPIN would (at most 63 bytes of UTF-8 without NUL, at least the
   * current minPINLength code points; IllegalArgumentException otherwise): pinRetries and
   * uvRetries back to their maximum, forcePINChange off, tokens reset.
   */
  public synchronized void controlSetPin(String pin) {
    byte[] utf8 = pin.getBytes(StandardCharsets.UTF_8);
    try {
      if (utf8.length > MAX_PIN_BYTES || indexOfZero(utf8) >= 0) {
        throw new IllegalArgumentException("a PIN is at most 63 bytes of UTF-8 without NUL");
      }
      int codePoints = pin.codePointCount(0, pin.length());
      if (codePoints < record.minPinLength()) {
        throw new IllegalArgumentException("the PIN is shorter than minPINLength " + record.minPinLength());
      }
      Bytes stored = Bytes.wrap(Arrays.copyOf(PinCrypto.sha256(utf8), 16));
      persist(
          record.withPin(stored, codePoints).withPinRetries(MAX_PIN_RETRIES).withUvRetries(MAX_UV_RETRIES)
              .withForcePinChange(false));
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
    consecutivePinMismatches = 0;
    resetAllTokens();
    token.stopUsingPinUvAuthToken();
  }

  /** Removes the PIN (a factory-fresh PIN state but for minPINLength), tokens reset. */
  public synchronized void controlClearPin() {
    persist(new PinRecord(Optional.empty(), 0, MAX_PIN_RETRIES, MAX_UV_RETRIES, record.minPinLength(), false));
    consecutivePinMismatches = 0;
    resetAllTokens();
    token.stopUsingPinUvAuthToken();
  }

  /** Sets pinRetries (0 blocks the PIN, as eight wrong PINs would); IllegalArgumentException outside 0..8. */
  public synchronized void controlSetPinRetries(int retries) {
    if (retries < 0 || retries > MAX_PIN_RETRIES) {
      throw new IllegalArgumentException("pinRetries must be 0.." + MAX_PIN_RETRIES);
    }
    persist(record.withPinRetries(retries));
  }

  @Override
  public synchronized void powerCycle() {
    for (PinUvAuthProtocol p : protocols.values()) {
      p.initialize();
    }
    token.stopUsingPinUvAuthToken();
    consecutivePinMismatches = 0;
  }

  @Override
  public synchronized void reset() {
    store.remove(PinRecord.STORE_KEY);
    record = initialRecord();
    powerCycle();
  }

  @Override
  public String toString() {
    return "ClientPin[" + profile.id() + "]";
  }
}
