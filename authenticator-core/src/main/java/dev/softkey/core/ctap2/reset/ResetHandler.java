package dev.softkey.core.ctap2.reset;

import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import java.util.Optional;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserRequest;
import java.time.Duration;

/**
 * authenticatorReset (CTAP 2.1 section 6.6): only within 10 seconds of power-up, and only after a
 * touch. Deletes every discoverable credential, forgets the PIN and replaces the device secret, so
 * non-discoverable credential IDs stop working too. The attestation CA and batch keys stay.
 */
public final class ResetHandler implements CommandHandler {
  /** The window after power-up in which reset is allowed (CTAP 2.1 6.6; YubiKeys use 5 s over USB, 10 s is the spec's). */
  public static final Duration WINDOW = Duration.ofSeconds(10);

  private final AuthenticatorEnv env;

  public ResetHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.RESET;
  }

  @Override
  public Optional<CborEncodable> handle(CommandParameters parameters, OperationContext ctx) {
    parameters.none();
    // 1. Too late after power-up: CTAP2_ERR_NOT_ALLOWED.
    if (env.session().millisSincePowerUp() > WINDOW.toMillis()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED, "reset is allowed only within 10 s of power-up");
    }
    // 2. User presence: denied => OPERATION_DENIED, timeout => USER_ACTION_TIMEOUT.
    Presence.require(env.presence(), UserRequest.of(UserRequest.Kind.RESET), ctx);
    // 3. Forget everything but the attestation material.
    env.credentials().clear();
    env.pin().reset();
    env.keys().reset();
    return Optional.empty();
  }
}
