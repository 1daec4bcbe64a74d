package dev.softkey.core;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.core.ctap1.U2fHandler;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.ctap2.getassertion.GetAssertionHandler;
import dev.softkey.core.ctap2.getassertion.GetAssertionRequest;
import dev.softkey.core.ctap2.getinfo.GetInfoHandler;
import dev.softkey.core.ctap2.makecredential.MakeCredentialHandler;
import dev.softkey.core.ctap2.makecredential.MakeCredentialRequest;
import dev.softkey.core.ctap2.reset.ResetHandler;
import dev.softkey.core.ctap2.selection.SelectionHandler;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import dev.softkey.ctap.command.ClientPinRequest;

/**
 * The CTAP2 engine: a request (command byte + CBOR parameters) in, a response (status byte + CBOR)
 * out. One request at a time; every transport calls {@link #process}. Build one with {@link
 * AuthenticatorBuilder}.
 */
public final class Authenticator {
  private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());

  private final AuthenticatorEnv env;
  private final GetInfoHandler getInfo;
  private final MakeCredentialHandler makeCredential;
  private final GetAssertionHandler getAssertion;
  private final ResetHandler reset;
  private final SelectionHandler selection;
  private final U2fHandler u2f;
  private long powerUpMillis;

  Authenticator(AuthenticatorEnv env) {
    this.env = env;
    this.getInfo = new GetInfoHandler(env);
    this.makeCredential = new MakeCredentialHandler(env);
    this.getAssertion = new GetAssertionHandler(env);
    this.reset = new ResetHandler(env);
    this.selection = new SelectionHandler(env);
    this.u2f = new U2fHandler(env);
    this.powerUpMillis = env.clock().millis();
  }

  public static AuthenticatorBuilder builder() {
    return new AuthenticatorBuilder();
  }

  public Profile profile() {
    return env.profile();
  }

  /** The environment, for transports and tools that need the same stores (U2F, credential listing). */
  public AuthenticatorEnv env() {
    return env;
  }

  /**
   * Processes one CTAP2 message: byte 0 is the command, the rest its CBOR parameters. Never throws:
   * every failure is a status byte.
   */
  public synchronized byte[] process(byte[] request, OperationContext ctx) {
    try {
      return dispatch(request, ctx);
    } catch (CtapException e) {
      return new byte[] {(byte) e.status().code()};
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "internal error while processing command 0x%02x: %s",
          request.length > 0 ? request[0] & 0xFF : -1, e.getClass().getName());
      return new byte[] {(byte) CtapStatus.CTAP1_ERR_OTHER.code()};
    }
  }

  private byte[] dispatch(byte[] request, OperationContext ctx) {
    if (request.length == 0) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "empty request");
    }
    if (request.length > env.profile().limits().maxMsgSize()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "request exceeds maxMsgSize");
    }
    Optional<CtapCommand> cmd = CtapCommand.fromCode(request[0]);
    if (cmd.isEmpty()) {
      getAssertion.clearState();
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    }
    if (cmd.get() != CtapCommand.GET_NEXT_ASSERTION) {
      getAssertion.clearState();
    }
    Object response;
    switch (cmd.get()) {
      case GET_INFO -> {
        noParameters(request);
        response = getInfo.handle();
      }
      case MAKE_CREDENTIAL -> response = makeCredential.handle(MakeCredentialRequest.decode(parameters(request)), ctx);
      case GET_ASSERTION -> response = getAssertion.handle(GetAssertionRequest.decode(parameters(request)), ctx);
      case GET_NEXT_ASSERTION -> {
        noParameters(request);
        response = getAssertion.handleNext();
      }
      case CLIENT_PIN -> {
        Map<Object, Object> m = env.pin().clientPin(ClientPinRequest.fromCbor(parameters(request)), ctx).toCbor();
        response = m.isEmpty() ? null : m;
      }
      case RESET -> {
        noParameters(request);
        reset.handle(powerUpMillis, ctx);
        response = null;
      }
      case SELECTION -> {
        noParameters(request);
        if (!env.profile().getInfo().supports(CtapVersion.FIDO_2_1)) {
          throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
        }
        selection.handle(ctx);
        response = null;
      }
      default -> throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND, "command not supported");
    }
    if (response == null) {
      return new byte[] {0};
    }
    byte[] body = CborEncoder.encode(response);
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private static CborMap parameters(byte[] request) {
    if (request.length == 1) {
      throw new CtapException(CtapStatus.CTAP2_ERR_MISSING_PARAMETER, "parameters are missing");
    }
    Object v = CborDecoder.decode(request, 1, request.length - 1);
    if (v instanceof CborMap m) {
      return m;
    }
    throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "parameters must be a map");
  }

  private static void noParameters(byte[] request) {
    if (request.length != 1) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "this command takes no parameters");
    }
  }

  /**
   * Processes one CTAP1/U2F request APDU (what CTAPHID_MSG carries) and returns the response APDU
   * (data and status word). A profile without U2F_V2 answers SW_INS_NOT_SUPPORTED.
   */
  public synchronized byte[] processU2f(byte[] apdu, OperationContext ctx) {
    getAssertion.clearState();
    if (!env.profile().getInfo().supports(CtapVersion.U2F_V2)) {
      return new byte[] {0x6D, 0x00};
    }
    try {
      return u2f.process(apdu, ctx);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "internal error while processing a U2F request: %s", e.getClass().getName());
      return new byte[] {0x6F, 0x00};
    }
  }

  /**
   * A power cycle (unplug and plug back): volatile state is lost (PIN/UV tokens, key agreement
   * keys, the mismatch-until-power-cycle counter, getNextAssertion state) and the reset window
   * starts again. Stored state stays.
   */
  public synchronized void powerCycle() {
    getAssertion.clearState();
    env.pin().powerCycle();
    powerUpMillis = env.clock().millis();
  }
}
