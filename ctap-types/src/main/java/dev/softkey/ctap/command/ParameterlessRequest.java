package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapCommand;

/**
 * The request of a command that takes no parameters: authenticatorGetInfo (CTAP 2.1 section 6.4),
 * authenticatorGetNextAssertion (6.3), authenticatorReset (6.6) and authenticatorSelection (6.9).
 * On the wire it is the command byte alone; an authenticator answers anything after it with
 * CTAP1_ERR_INVALID_LENGTH.
 *
 * @param command the command
 */
public record ParameterlessRequest(CtapCommand command) implements CtapRequest {
  public static final ParameterlessRequest GET_INFO = new ParameterlessRequest(CtapCommand.GET_INFO);
  public static final ParameterlessRequest GET_NEXT_ASSERTION = new ParameterlessRequest(CtapCommand.GET_NEXT_ASSERTION);
  public static final ParameterlessRequest RESET = new ParameterlessRequest(CtapCommand.RESET);
  public static final ParameterlessRequest SELECTION = new ParameterlessRequest(CtapCommand.SELECTION);

  public ParameterlessRequest {
    if (command != CtapCommand.GET_INFO
        && command != CtapCommand.GET_NEXT_ASSERTION
        && command != CtapCommand.RESET
        && command != CtapCommand.SELECTION) {
      throw new IllegalArgumentException(command + " takes parameters");
    }
  }

  /** No parameters: {@link #encode()} is the command byte alone. */
  @Override
  public Object toCbor() {
    return null;
  }
}
