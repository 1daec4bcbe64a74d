package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey pin set|change}: authenticatorClientPIN through the platform's PIN client. */
@Command(
    name = "pin",
    mixinStandardHelpOptions = true,
    description = "Set or change the authenticator PIN (authenticatorClientPIN).",
    subcommands = {PinSetCommand.class, PinChangeCommand.class, HelpCommand.class})
final class PinCommand extends CommandGroup {
  PinCommand(SoftkeyCommand root) {
    super(root);
  }
}
