package dev.softkey.core;

import dev.softkey.core.control.DeviceControl;
import dev.softkey.core.ctap1.U2fHandler;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.core.ctap2.CommandRegistry;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborEncoder;
import java.lang.System.Logger.Level;
import java.util.Optional;


/**
 * The CTAP2 engine: a request (command byte + CBOR parameters) in, a response (status byte + CBOR)
 * out. One request at a time; every transport calls {@link #process} through the {@link CtapDevice}
 * interface. Build one with {@link AuthenticatorBuilder}; its parts (stores, presence, clock) stay
 * with whoever assembled it.
 */
public final class Authenticator implements CtapDevice {
  private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());

  private final AuthenticatorEnv env;
  private final CommandRegistry commands;
  private final U2fHandler u2f;
  private final DeviceControl control;

  /** @param commands a sealed registry with a handler for every command */
  Authenticator(AuthenticatorEnv env, CommandRegistry commands) {
    this.env = env;
    this.commands = commands;
    this.u2f = new U2fHandler(env);
    // The control API holds this engine's monitor, the one process() holds: never mid-request.
    this.control = new DeviceControl(this, env);
  }

  /**
   * This engine's control surface (WebDriver-style credential injection, UV verdicts, PIN state,
   * response overrides, credential events); one per engine, thread-safe with {@link #process}.
   */
  public DeviceControl control() {
    return control;
  }

  /** The registered commands (for tests of the registry and tools that list what the device answers). */
  public CommandRegistry commands() {
    return commands;
  }

  public static AuthenticatorBuilder builder() {
    return new AuthenticatorBuilder();
  }

  @Override
  public Profile profile() {
    return env.profile();
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
      LOG.log(Level.ERROR, "internal error while processing command 0x{0}: {1}",
          request.length > 0 ? String.format("%02x", request[0] & 0xFF) : "(none)", e.getClass().getName());
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
    // Any command but a continuation ends a pending stateful sequence (getNextAssertion, ...).
    env.session().stateful().beforeCommand(cmd);
    CommandHandler handler =
        cmd.map(commands::handler).orElseThrow(() -> new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND));
    if (!handler.supported()) {
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND, "command not supported");
    }
    Optional<? extends CborEncodable> response = handler.handle(new CommandParameters(request), ctx);
    if (response.isEmpty()) {
      return new byte[] {0};
    }
    byte[] body = CborEncoder.encode(response.get());
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /**
   * Processes one CTAP1/U2F request APDU (what CTAPHID_MSG carries) and returns the response APDU
   * (data and status word). A profile without U2F_V2, or alwaysUv on, answers SW_INS_NOT_SUPPORTED.
   */
  public synchronized byte[] processU2f(byte[] apdu, OperationContext ctx) {
    env.session().stateful().beforeCommand(Optional.empty());
    // alwaysUv disables CTAP1/U2F, which cannot verify the user (CTAP 2.1 section 7.2.4; OpenSK
    // allows_ctap1): answered as by a key without U2F, so that a client does not wait for a touch.
    if (!env.profile().getInfo().supports(CtapVersion.U2F_V2) || env.config().alwaysUv()) {
      return new byte[] {0x6D, 0x00};
    }
    try {
      return u2f.process(apdu, ctx);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "internal error while processing a U2F request: {0}", e.getClass().getName());
      return new byte[] {0x6F, 0x00};
    }
  }

  /**
   * A power cycle (unplug and plug back): volatile state is lost (PIN/UV tokens, key agreement
   * keys, the mismatch-until-power-cycle counter, getNextAssertion state) and the reset window
   * starts again. Stored state stays.
   */
  public synchronized void powerCycle() {
    env.session().powerCycle();
    env.pin().powerCycle();
  }
}
