package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey mds export|serve}: softkey's FIDO metadata (MDS3) for its models. */
@Command(
    name = "mds",
    mixinStandardHelpOptions = true,
    description = "softkey's FIDO metadata (MDS3 BLOB and statements) for its models, signed under the installation's attestation root (--ca): test metadata, not the FIDO Alliance's.",
    subcommands = {MdsExportCommand.class, MdsServeCommand.class, HelpCommand.class})
final class MdsCommand extends CommandGroup {
  MdsCommand(SoftkeyCommand root) {
    super(root);
  }
}
