package dev.softkey.core.ctap2.clientpin;

import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinResponse;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * authenticatorClientPIN (CTAP 2.1 section 6.5): decodes the request and hands it to the PIN/UV
 * state ({@code core.pin.ClientPin}), which owns the subcommands, the tokens and the retries.
 */
public final class ClientPinHandler implements CommandHandler {
  private final AuthenticatorEnv env;

  public ClientPinHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.CLIENT_PIN;
  }

  /**
   * clientPin (a PIN is set), uv (built-in UV, when the model has it) and pinUvAuthToken (CTAP 2.1
   * models) of CTAP 2.1 section 6.4.
   */
  @Override
  public Map<String, Boolean> infoOptions() {
    Map<String, Boolean> o = new TreeMap<>();
    o.put("clientPin", env.pin().isPinSet());
    // uv: true when built-in UV is configured (a template is enrolled), false when supported but
    // not configured, absent without it; it stays true while built-in UV is blocked.
    env.pin().uvOption().ifPresent(uv -> o.put("uv", uv));
    if (env.profile().getInfo().supports(CtapVersion.FIDO_2_1)) {
      o.put("pinUvAuthToken", true);
    }
    return o;
  }

  @Override
  public Optional<ClientPinResponse> handle(CommandParameters parameters, OperationContext ctx) {
    ClientPinResponse r = env.pin().clientPin(ClientPinRequest.fromCbor(parameters.map()), ctx);
    // setPIN and changePIN answer with the status byte alone.
    return r.toCbor().isEmpty() ? Optional.empty() : Optional.of(r);
  }
}
