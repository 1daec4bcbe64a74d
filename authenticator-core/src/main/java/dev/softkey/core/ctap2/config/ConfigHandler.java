package dev.softkey.core.ctap2.config;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.ConfigState;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.ConfigRequest;
import dev.softkey.ctap.command.ConfigRequest.SetMinPinLengthParams;
import dev.softkey.ctap.pin.Permission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * authenticatorConfig (CTAP 2.1 section 6.11), for models whose profile has {@code
 * management.config}: enableEnterpriseAttestation (0x01, models capable of enterprise
 * attestation), toggleAlwaysUv (0x02) and setMinPINLength (0x03, when the profile has it).
 * vendorPrototype (0xFF) answers CTAP1_ERR_INVALID_PARAMETER, as OpenSK does for a subcommand it
 * does not implement (softkey reports no vendorPrototypeConfigCommands); a subCommand the spec does
 * not define is CTAP2_ERR_INVALID_SUBCOMMAND, before any PIN/UV check, as OpenSK's request parser
 * and softkey's other commands answer.
 *
 * <p>The pinUvAuthToken needs the acfg permission. A model not protected by some form of user
 * verification (no PIN, no enrolled built-in UV) and with alwaysUv false accepts every subcommand
 * without one; with alwaysUv true only toggleAlwaysUv does, so that a key without a PIN can turn
 * alwaysUv off again (OpenSK {@code process_config} does the same).
 *
 * <p>What is set persists in the {@code ConfigRecord} (alwaysUv, ep, minPinLengthRPIDs) and in the
 * PIN record (minPINLength, forcePINChange), written before the command is acknowledged, and is
 * wiped by authenticatorReset ({@link ConfigState#reset}).
 */
public final class ConfigHandler implements CommandHandler {
  private final AuthenticatorEnv env;

  public ConfigHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.CONFIG;
  }

  @Override
  public boolean supported() {
    return ConfigState.supported(env.profile());
  }

  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.AUTHENTICATOR_CONFIG);
  }

  /**
   * authnrCfg true; alwaysUv (present: the feature is supported; its current value); uvAcfg when
   * the model grants acfg through built-in UV;
   * setMinPINLength when the model has the subcommand; ep on a model capable of enterprise
   * attestation (false until enableEnterpriseAttestation).
   */
  @Override
  public Map<String, Boolean> infoOptions() {
    Map<String, Boolean> o = new TreeMap<>();
    Profile.Config config = env.profile().management().config().orElseThrow();
    o.put("authnrCfg", true);
    o.put("alwaysUv", env.config().alwaysUv());
    if (config.setMinPinLength()) {
      o.put("setMinPINLength", true);
    }
    if (config.uvAcfg()) {
      o.put("uvAcfg", true);
    }
    if (env.profile().management().enterpriseAttestation().isPresent()) {
      o.put("ep", env.config().enterpriseAttestationEnabled());
    }
    return o;
  }

  @Override
  public Optional<CborEncodable> handle(CommandParameters parameters, OperationContext ctx) {
    CborMap received = parameters.map();
    ConfigRequest req = ConfigRequest.fromCbor(received);
    handle(req, received);
    return Optional.empty();
  }

  private void handle(ConfigRequest req, CborMap received) {
    long subCommand = req.subCommand();
    // A subCommand the spec does not define: CTAP2_ERR_INVALID_SUBCOMMAND.
    Optional<ConfigRequest.SubCommand> known = req.knownSubCommand();
    if (known.isEmpty()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND, "unknown subCommand " + subCommand);
    }
    boolean toggleAlwaysUv = subCommand == ConfigRequest.SubCommand.TOGGLE_ALWAYS_UV.code();
    // 1. If the authenticator is protected by some form of user verification, or the alwaysUv
    //    option ID is present and true (except for toggleAlwaysUv, which must stay reachable on a
    //    key without a PIN):
    if (env.protectedByUv() || (env.config().alwaysUv() && !toggleAlwaysUv)) {
      // 1.1 pinUvAuthParam absent: CTAP2_ERR_PUAT_REQUIRED. 1.2 pinUvAuthProtocol absent:
      //     CTAP2_ERR_MISSING_PARAMETER. 1.3 not supported: CTAP1_ERR_INVALID_PARAMETER. 1.4
      //     verify(pinUvAuthToken, 32×0xff || 0x0d || uint8(subCommand) || subCommandParams as
      //     received, pinUvAuthParam); error: CTAP2_ERR_PIN_AUTH_INVALID.
      UserChecks.verifyToken(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), ConfigRequest.pinUvAuthMessageAsReceived(received));
      // 1.5 The pinUvAuthToken lacks the acfg permission: CTAP2_ERR_PIN_AUTH_INVALID.
      UserChecks.requirePermission(env, Permission.AUTHENTICATOR_CONFIG);
    }
    // 2. Dispatch on subCommand.
    switch (known.get()) {
      case ENABLE_ENTERPRISE_ATTESTATION -> enableEnterpriseAttestation();
      case TOGGLE_ALWAYS_UV -> toggleAlwaysUv();
      case SET_MIN_PIN_LENGTH -> setMinPinLength(req);
      case VENDOR_PROTOTYPE ->
          // 6.11.5: softkey has no vendor commands (no vendorPrototypeConfigCommands in getInfo).
          throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "vendorPrototype is not supported");
    }
  }

  /** Section 6.11.2: enableEnterpriseAttestation. */
  private void enableEnterpriseAttestation() {
    // Only on a model capable of enterprise attestation, else CTAP1_ERR_INVALID_PARAMETER.
    if (env.profile().management().enterpriseAttestation().isEmpty()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "not enterprise attestation capable");
    }
    // 1. Disabled: enable it (ep true). 2. Already enabled: nothing to do. CTAP2_OK either way.
    env.config().enableEnterpriseAttestation();
  }

  /**
   * Section 6.11.3: toggleAlwaysUv. Turning it on makes makeCredUvNotRqd false (getInfo reports
   * it) and disables CTAP1/U2F (section 7.2.4); no model here refuses to turn it off.
   */
  private void toggleAlwaysUv() {
    env.config().toggleAlwaysUv();
  }

  /** Section 6.11.4: setMinPINLength. */
  private void setMinPinLength(ConfigRequest req) {
    Profile.Config config = env.profile().management().config().orElseThrow();
    // A model without the setMinPINLength option does not implement the subcommand.
    if (!config.setMinPinLength()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_PARAMETER, "setMinPINLength is not supported");
    }
    // subCommandParams absent: CTAP2_ERR_MISSING_PARAMETER (OpenSK).
    SetMinPinLengthParams params =
        req.subCommandParams()
            .map(SetMinPinLengthParams.class::cast)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "subCommandParams is missing"));
    // minPinLengthRPIDs longer than maxRPIDsForSetMinPINLength: the authenticator cannot store
    // them, CTAP2_ERR_KEY_STORE_FULL (pico-fido; the spec lets a key hold at most that many).
    if (params.minPinLengthRpIds().size() > config.maxRpIdsForSetMinPinLength()) {
      throw new CtapException(
          CtapStatus.CTAP2_ERR_KEY_STORE_FULL,
          "minPinLengthRPIDs has " + params.minPinLengthRpIds().size() + " RP IDs, at most "
              + config.maxRpIdsForSetMinPinLength() + " fit");
    }
    // 1. newMinPINLength absent: the current minimum. 2. Less than the current minimum:
    //    CTAP2_ERR_PIN_POLICY_VIOLATION. 3. forceChangePin true without a PIN: CTAP2_ERR_PIN_NOT_SET.
    // 4. Store newMinPINLength; forceChangePin, or a PIN shorter than it, sets forcePINChange
    //    (the next getPinToken / getPinUvAuthToken* is refused until changePIN).
    Optional<Integer> newMin =
        params.newMinPinLength().map(n -> (int) Math.min(n, Integer.MAX_VALUE));
    env.pin().setMinPinLength(newMin, params.forceChangePin().orElse(false));
    // 5. minPinLengthRPIDs present: they replace the RP IDs the minPinLength extension reports to.
    if (!params.minPinLengthRpIds().isEmpty()) {
      env.config().setMinPinLengthRpIds(params.minPinLengthRpIds());
    }
  }
}
