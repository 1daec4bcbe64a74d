package dev.softkey.core.ctap2;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncodable;
import java.util.Optional;

/**
 * A command softkey does not implement (for this profile): CTAP1_ERR_INVALID_COMMAND, and nothing in
 * getInfo. Registered explicitly, so that leaving a command out is a decision, not an accident.
 */
public final class UnsupportedCommand implements CommandHandler {
  private final CtapCommand command;

  public UnsupportedCommand(CtapCommand command) {
    this.command = command;
  }

  @Override
  public CtapCommand command() {
    return command;
  }

  @Override
  public boolean supported() {
    return false;
  }

  @Override
  public Optional<CborEncodable> handle(CommandParameters parameters, OperationContext ctx) {
    throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_COMMAND, "command not supported");
  }
}
