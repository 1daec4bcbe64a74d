package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.config.PlatformConfig;
import dev.softkey.platform.pin.PinToken;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Command;

/**
 * {@code softkey config min-pin-length|always-uv|enterprise-attestation}: authenticatorConfig (CTAP
 * 2.1 section 6.11) through the platform's config client, as {@code fido2-token -S -l/-a/-e} does.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Configure the authenticator (authenticatorConfig): minimum PIN length, alwaysUv, enterprise attestation.",
      "A key with a PIN needs it (--pin-env VAR, --pin-file FILE or --pin PIN) for a token with the acfg permission."
    },
    subcommands = {
      ConfigMinPinLengthCommand.class,
      ConfigAlwaysUvCommand.class,
      ConfigEnterpriseAttestationCommand.class,
      HelpCommand.class
    })
final class ConfigCommand extends CommandGroup {
  ConfigCommand(SoftkeyCommand root) {
    super(root);
  }

  /**
   * Runs one authenticatorConfig call: checks getInfo authnrCfg, gets an acfg token from the PIN
   * (or built-in UV) when the key is protected, and turns the authenticator's refusals into a line
   * that says what to do.
   */
  static AuthenticatorInfo run(
      SoftkeyCommand root, PinOptions pinOptions, String command, Consumer<AuthenticatorInfo> check, ConfigCall call)
      throws Exception {
    Optional<String> pin = pinOptions.pin();
    try (DeviceFactory.Device d = root.openDevice()) {
      AuthenticatorInfo info = WebAuthnClient.builder(d.transport()).build().getInfo();
      if (!info.option("authnrCfg").orElse(false)) {
        throw new IllegalStateException(
            "this authenticator does not support authenticatorConfig (getInfo has no authnrCfg option); "
                + "choose a profile that has it, e.g. --profile generic (see softkey profiles)");
      }
      check.accept(info);
      Optional<PinToken> token = Optional.empty();
      if (info.isPinSet()) {
        String p =
            pin.orElseThrow(() -> new UsageException(command + ": this key has a PIN; give it with --pin-env VAR, --pin-file FILE or --pin PIN"));
        token = Optional.of(d.pin().orElseThrow().getPinUvAuthToken(p, Set.of(PlatformConfig.PERMISSION), Optional.empty()));
      } else if (info.hasBuiltInUv() && info.supportsPinUvAuthToken()) {
        token = Optional.of(d.pin().orElseThrow().getUvToken(Set.of(PlatformConfig.PERMISSION), Optional.empty()));
      }
      call.run(new PlatformConfig(d.transport()::transact), token);
      return WebAuthnClient.builder(d.transport()).build().getInfo();
    } catch (CtapException e) {
      throw explain(command, e);
    }
  }

  /** One authenticatorConfig request with the token (empty: none needed). */
  @FunctionalInterface
  interface ConfigCall {
    void run(PlatformConfig config, Optional<PinToken> token);
  }

  private static RuntimeException explain(String command, CtapException e) {
    String status = e.status().name();
    String next =
        switch (e.status()) {
          case CTAP2_ERR_PIN_POLICY_VIOLATION ->
              "the minimum PIN length can only grow (and is at most 63), and a PIN change may be pending: run softkey info, then softkey pin change";
          case CTAP2_ERR_PIN_NOT_SET -> "--force-change needs a PIN: set one first with softkey pin set";
          case CTAP2_ERR_KEY_STORE_FULL -> "too many --rp-id values: softkey info shows maxRPIDsForSetMinPINLength";
          case CTAP2_ERR_PUAT_REQUIRED ->
              "the key wants user verification: set a PIN (softkey pin set) and give it with --pin-env VAR, --pin-file FILE or --pin PIN";
          case CTAP2_ERR_PIN_INVALID -> "wrong PIN: check it and try again";
          case CTAP2_ERR_PIN_BLOCKED -> "the PIN is blocked: only softkey reset makes the key usable again";
          case CTAP2_ERR_PIN_AUTH_BLOCKED -> "too many wrong PINs in a row: restart the key (power cycle) and try again";
          case CTAP1_ERR_INVALID_PARAMETER -> "this key's model does not offer that setting (see softkey profiles show)";
          default -> e.status().meaning();
        };
    if (e.status() == CtapStatus.CTAP2_ERR_PIN_POLICY_VIOLATION && command.startsWith("config always-uv")) {
      next = "a PIN change is pending (forcePINChange): run softkey pin change first";
    }
    return new IllegalStateException(command + " failed: " + status + ": " + next, e);
  }
}
