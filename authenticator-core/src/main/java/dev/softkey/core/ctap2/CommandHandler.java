package dev.softkey.core.ctap2;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.pin.Permission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The handler of one CTAP2 command, registered in the {@link CommandRegistry}. Every {@link
 * CtapCommand} has exactly one, possibly {@link UnsupportedCommand}; what a handler declares here is
 * what getInfo advertises and what a pinUvAuthToken may be granted, so a feature cannot be
 * advertised without the code behind it.
 */
public interface CommandHandler {
  CtapCommand command();

  /**
   * Runs the command. Failures are {@link dev.softkey.ctap.CtapException}s with the spec's status.
   *
   * @return the response members, or empty for a response that is the status byte alone
   */
  Optional<? extends CborEncodable> handle(CommandParameters parameters, OperationContext ctx);

  /** The pinUvAuthToken permissions this command consumes (CTAP 2.1 section 6.5.5.7), so ClientPIN may grant them. */
  default Set<Permission> permissions() {
    return Set.of();
  }

  /** The getInfo options (CTAP 2.1 section 6.4, member 0x04) this command stands behind, with their current values. */
  default Map<String, Boolean> infoOptions() {
    return Map.of();
  }

  /** Whether the command answers at all; an unsupported one is CTAP1_ERR_INVALID_COMMAND before decoding. */
  default boolean supported() {
    return true;
  }
}
