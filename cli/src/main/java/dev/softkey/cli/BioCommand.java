package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey bio enroll|list|rename|remove|info}: authenticatorBioEnrollment through the platform's client. */
@Command(
    name = "bio",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the fingerprints of a key with a fingerprint sensor (authenticatorBioEnrollment, e.g. --profile bio).",
      "enroll, list, rename and remove need a pinUvAuthToken with the be permission: from the PIN (--pin-env, --pin-file,"
          + " --pin) or, without one, from an enrolled finger (built-in UV). The simulated finger follows --presence:"
          + " approve is an enrolled finger and good samples, deny another finger and samples without a touch."
    },
    subcommands = {
      BioEnrollCommand.class,
      BioListCommand.class,
      BioRenameCommand.class,
      BioRemoveCommand.class,
      BioInfoCommand.class,
      HelpCommand.class
    })
final class BioCommand extends CommandGroup {
  BioCommand(SoftkeyCommand root) {
    super(root);
  }
}
