package dev.softkey.core.pin;

import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.ctap.pin.PinUvAuthProtocol;

import dev.softkey.core.OperationContext;
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
import dev.softkey.core.presence.UserVerifier;
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
 * <p>Only the mc and ga permissions are authorized unless the constructor is told that the
 * features behind cm, be, lbw or acfg exist (section 6.5.5.7.2 step 4): this authenticator does not
 * implement credential management, bio enrollment, large blobs or authenticatorConfig yet.
 */
public final class ClientPin implements PinUvAuthState {
  /** maxPINRetries: the initial and maximum pinRetries (section 6.5.2.3: at most 8). */
  public static final int MAX_PIN_RETRIES = 8;
  /** maxUvRetries: the initial and maximum uvRetries. */
  public static final int MAX_UV_RETRIES = 8;
  /** Consecutive PIN mismatches after which a power cycle is needed (CTAP2_ERR_PIN_AUTH_BLOCKED). */
  public static final int MAX_CONSECUTIVE_PIN_MISMATCHES = 3;
  /**
   * Attempts performBuiltInUv makes when internalRetry is true. One: every attempt is answered to
   * the platform, which retries; getInfo should advertise preferredPlatformUvAttempts accordingly.
   */
  public static final int MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES = 1;
  /** Length of paddedNewPin. */
  public static final int PADDED_PIN_LENGTH = 64;
  /** Maximum PIN length in UTF-8 bytes (section 6.5.1). */
  public static final int MAX_PIN_BYTES = 63;

  private final Profile profile;
  private final DeviceStateStore store;
  // For step 7 "if the authenticator has a display, request user consent"; no profile has one yet.
  private final UserPresence userPresence;
  private final Optional<UserVerifier> userVerifier;
  private final Set<Permission> authorizedPermissions;
  private final Map<Integer, PinUvAuthProtocol> protocols = new LinkedHashMap<>();
  private final PinUvAuthTokenState token;
  private PinRecord record;
  private int consecutivePinMismatches;

  /** A ClientPin where only the mc and ga permissions are authorized. */
  public ClientPin(
      Profile profile,
      DeviceStateStore store,
      UserPresence userPresence,
      Optional<UserVerifier> userVerifier,
      RandomSource random,
      Clock clock) {
    this(profile, store, userPresence, userVerifier, random, clock,
        EnumSet.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION));
  }

  /**
   * @param authorizedPermissions the permissions whose feature this authenticator supports (mc and
   *     ga always; cm, lbw, acfg and be only once their commands exist; be needs built-in UV)
   */
  public ClientPin(
      Profile profile,
      DeviceStateStore store,
      UserPresence userPresence,
      Optional<UserVerifier> userVerifier,
      RandomSource random,
      Clock clock,
      Set<Permission> authorizedPermissions) {
    this.profile = profile;
    this.store = store;
    this.userPresence = userPresence;
    this.userVerifier = userVerifier;
    this.authorizedPermissions = Set.copyOf(authorizedPermissions);
    if (this.authorizedPermissions.contains(Permission.BIO_ENROLLMENT) && !profile.getInfo().options().builtInUv()) {
      throw new IllegalArgumentException("the be permission needs a profile with built-in UV");
    }
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

  /** Whether the profile reports the pinUvAuthToken option (CTAP 2.1 and its preview). */
  private boolean hasPinUvAuthToken() {
    return profile.getInfo().supports(CtapVersion.FIDO_2_1) || profile.getInfo().supports(CtapVersion.FIDO_2_1_PRE);
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
    Set<Permission> permissions = permissionsOf(permissionBits);
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
    Set<Permission> permissions = permissionsOf(permissionBits);
    checkRpIdPresentForMcGa(permissions, p.rpId());
    // 2. Unsupported pinUvAuthProtocol: CTAP1_ERR_INVALID_PARAMETER.
    PinUvAuthProtocol protocol = protocol(version);
    // 3. permissions 0: CTAP1_ERR_INVALID_PARAMETER.
    CtapException.check(permissionBits != 0, CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    // 4. A permission whose feature is absent: CTAP2_ERR_UNAUTHORIZED_PERMISSION.
    checkAuthorized(permissions);
    // 5. Built-in UV supported but not configured: CTAP2_ERR_NOT_ALLOWED.
    CtapException.check(userVerifier.isPresent(), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    // 6. preferredPlatformUvAttempts is not above 1, so internalRetry is true.
    // 7. uvRetries is 0 (or built-in UV disabled by pinRetries 0, section 6.5.2.3): CTAP2_ERR_UV_BLOCKED.
    CtapException.check(record.uvRetries() > 0 && record.pinRetries() > 0, CtapStatus.CTAP2_ERR_UV_BLOCKED);
    // (decapsulate before the user is asked, so a bad key costs no UV attempt; CTAP1_ERR_INVALID_PARAMETER.)
    Bytes sharedSecret = decapsulate(protocol, keyAgreement);
    // 8. User consent on a display: no profile has a display.
    // 9.-10. performBuiltInUv(internalRetry); errors map to USER_ACTION_TIMEOUT, UV_BLOCKED, UV_INVALID.
    performBuiltInUv(true, new UserRequest(UserRequest.Kind.PIN_UV_AUTH_TOKEN, p.rpId(), Optional.empty()), ctx);
    // 12.-16. new token; a fingerprint is evidence of user interaction, so
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

  /** The defined permissions among {@code bits}; undefined bits are ignored (section 6.5.5.7). */
  static Set<Permission> permissionsOf(long bits) {
    EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
    for (Permission p : Permission.values()) {
      if ((bits & p.bit()) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  private void checkAuthorized(Set<Permission> permissions) {
    for (Permission p : permissions) {
      if (!authorizedPermissions.contains(p)) {
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

  /**
   * performBuiltInUv(internalRetry): up to {@link #MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES} attempts;
   * a mismatch decrements uvRetries durably; success restores uvRetries to its maximum.
   */
  private void performBuiltInUv(boolean internalRetry, UserRequest request, OperationContext ctx) {
    int attempts = internalRetry ? MAX_UV_ATTEMPTS_FOR_INTERNAL_RETRIES : 1;
    UserVerifier verifier = userVerifier.orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED));
    for (int i = 0; ; i++) {
      CtapException.check(record.uvRetries() > 0 && record.pinRetries() > 0, CtapStatus.CTAP2_ERR_UV_BLOCKED);
      UserVerifier.Result result = verifier.verify(request, ctx);
      switch (result) {
        case VERIFIED -> {
          if (record.uvRetries() != MAX_UV_RETRIES) {
            persist(record.withUvRetries(MAX_UV_RETRIES));
          }
          return;
        }
        case TIMEOUT -> throw new CtapException(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
        case CANCELLED -> throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
        case MISMATCH -> {
          persist(record.withUvRetries(record.uvRetries() - 1));
          if (record.uvRetries() == 0) {
            throw new CtapException(CtapStatus.CTAP2_ERR_UV_BLOCKED);
          }
          if (i + 1 >= attempts) {
            throw new CtapException(CtapStatus.CTAP2_ERR_UV_INVALID);
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
   * The PIN part of authenticatorConfig setMinPINLength (CTAP 2.1 section 6.11.4), for the config
   * command once it exists: a decrease is CTAP2_ERR_PIN_POLICY_VIOLATION; forceChangePin without a
   * PIN is CTAP2_ERR_PIN_NOT_SET; a stored PIN shorter than the new minimum, or forceChangePin,
   * sets forcePINChange.
   */
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
  public synchronized boolean tokenHasPermission(Permission p) {
    return token.hasPermission(p);
  }

  @Override
  public synchronized Optional<String> tokenRpId() {
    return token.permissionsRpId();
  }

  @Override
  public synchronized void bindTokenRpId(String rpId) {
    if (token.inUse() && token.permissionsRpId().isEmpty()) {
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

  @Override
  public synchronized void clearTokenUserVerified() {
    token.clearUserVerifiedFlag();
  }

  @Override
  public synchronized void clearTokenPermissionsExceptLbw() {
    token.clearPinUvAuthTokenPermissionsExceptLbw();
  }

  /**
   * Built-in UV for the "uv" option of makeCredential/getAssertion (performBuiltInUv with
   * internalRetry true). Throws CTAP2_ERR_UNSUPPORTED_OPTION without built-in UV,
   * CTAP2_ERR_NOT_ALLOWED when it is not configured, CTAP2_ERR_UV_BLOCKED when uvRetries (or
   * pinRetries) is 0 or reaches 0, CTAP2_ERR_UV_INVALID on a mismatch, CTAP2_ERR_USER_ACTION_TIMEOUT
   * and CTAP2_ERR_KEEPALIVE_CANCEL. makeCredential step 11.2 / getAssertion step 6.2 answer
   * CTAP2_ERR_PIN_BLOCKED (uvRetries 0) and CTAP2_ERR_OPERATION_DENIED (other failures) instead of
   * UV_BLOCKED and UV_INVALID; that mapping is the caller's.
   */
  @Override
  public synchronized boolean performBuiltInUv(String rpId, OperationContext ctx) {
    CtapException.check(profile.getInfo().options().builtInUv(), CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    CtapException.check(userVerifier.isPresent(), CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    performBuiltInUv(true, new UserRequest(UserRequest.Kind.PIN_UV_AUTH_TOKEN, Optional.of(rpId), Optional.empty()), ctx);
    return true;
  }

  @Override
  public synchronized boolean builtInUvEnabled() {
    return profile.getInfo().options().builtInUv() && userVerifier.isPresent() && record.uvRetries() > 0 && record.pinRetries() > 0;
  }

  @Override
  public Optional<Boolean> uvOption() {
    return profile.getInfo().options().builtInUv() ? Optional.of(userVerifier.isPresent()) : Optional.empty();
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
