package dev.softkey.core.ctap2.selection;

import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import java.util.Optional;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserRequest;

/** authenticatorSelection (CTAP 2.1 section 6.9): a touch to pick this key among several. */
public final class SelectionHandler implements CommandHandler {
  private final AuthenticatorEnv env;

  public SelectionHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.SELECTION;
  }

  /** authenticatorSelection is new in CTAP 2.1; earlier models answer CTAP1_ERR_INVALID_COMMAND. */
  @Override
  public boolean supported() {
    return env.profile().getInfo().supports(CtapVersion.FIDO_2_1);
  }

  @Override
  public Optional<CborEncodable> handle(CommandParameters parameters, OperationContext ctx) {
    parameters.none();
    // 1. Wait for user presence; denied, timed out or cancelled ends with the mapped status.
    Presence.require(env.presence(), UserRequest.of(UserRequest.Kind.SELECTION), ctx);
    return Optional.empty();
  }
}
