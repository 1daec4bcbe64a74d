package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey credentials list|delete|update-user}: authenticatorCredentialManagement (CTAP 2.1 section 6.8). */
@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description =
        "List, delete and rename the key's discoverable credentials (authenticatorCredentialManagement, like fido2-token -L/-D/-S)."
            + " Needs the PIN, or built-in UV on a key with a fingerprint sensor.",
    subcommands = {CredentialsListCommand.class, CredentialsDeleteCommand.class, CredentialsUpdateUserCommand.class, HelpCommand.class})
final class CredentialsCommand extends CommandGroup {
  CredentialsCommand(SoftkeyCommand root) {
    super(root);
  }
}
