package dev.softkey.core.ctap2.reset;

import dev.softkey.core.store.StoredCredential;
import java.util.List;
import dev.softkey.core.bio.FingerprintSensor;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.LargeBlobArray;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import java.util.Optional;

import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.Quirks;
import dev.softkey.core.profile.Transport;

/**
 * authenticatorReset (CTAP 2.1 section 6.6): only over a transport the model allows it on, only
 * within the model's window after power-up (the spec's 10 s unless the profile's {@code
 * quirks.resetWindow} says otherwise), and only after a touch. Deletes every discoverable
 * credential, forgets the PIN and the enrolled fingerprints, empties the large-blob array and replaces the device secret, so non-discoverable credential IDs
 * stop working too. The attestation CA and batch keys stay.
 */
public final class ResetHandler implements CommandHandler {
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
    // 1. The model's reset window over this transport: disabled over it => CTAP2_ERR_OPERATION_DENIED;
    //    too late after power-up => CTAP2_ERR_NOT_ALLOWED.
    Quirks.ResetWindow window = env.profile().quirks().resetWindow().forTransport(Transport.fromWire(ctx.transport()));
    boolean inWindow =
        switch (window.kind()) {
          case ANY_TIME -> true;
          case AFTER_POWER_UP -> env.session().millisSincePowerUp() <= window.afterPowerUp().toMillis();
          case DISABLED ->
              throw new CtapException(CtapStatus.CTAP2_ERR_OPERATION_DENIED, "reset is disabled over " + ctx.transport());
        };
    if (!inWindow) {
      throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED, "reset is allowed only within " + window + " of power-up");
    }
    // 2. User presence: denied => OPERATION_DENIED, timeout => USER_ACTION_TIMEOUT.
    Presence.require(env.presence(), UserRequest.of(UserRequest.Kind.RESET), ctx);
    // 3. Forget everything but the attestation material.
    List<StoredCredential> gone = env.credentials().all();
    env.credentials().clear();
    env.pin().reset();
    env.keys().reset();
    env.fingerprint().ifPresent(FingerprintSensor::reset);
    env.config().reset();
    LargeBlobArray.reset(env.state());
    env.session().reset(); // a large-blob write in progress ends with the array it was writing
    // The control API's credentials go too (the old device secret sealed their keys); DELETED events.
    env.control().afterReset(gone);
    return Optional.empty();
  }
}
