package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey ca export}: the attestation CA. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "The attestation CA that signs each profile's batch certificate.",
    subcommands = {CaExportCommand.class, HelpCommand.class})
final class CaCommand extends CommandGroup {
  CaCommand(SoftkeyCommand root) {
    super(root);
  }
}
