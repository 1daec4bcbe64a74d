package dev.softkey.core.ctap2.selection;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserRequest;

/** authenticatorSelection (CTAP 2.1 section 6.9): a touch to pick this key among several. */
public final class SelectionHandler {
  private final AuthenticatorEnv env;

  public SelectionHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  public void handle(OperationContext ctx) {
    Presence.require(env.presence(), UserRequest.of(UserRequest.Kind.SELECTION), ctx);
  }
}
