package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey webauthn create|get}: WebAuthn ceremonies as a browser runs them. */
@Command(
    name = "webauthn",
    mixinStandardHelpOptions = true,
    description = "Run WebAuthn ceremonies as a browser would: options JSON in (stdin or --options), response JSON out.",
    subcommands = {WebAuthnCreateCommand.class, WebAuthnGetCommand.class, HelpCommand.class})
final class WebAuthnCommand extends CommandGroup {
  WebAuthnCommand(SoftkeyCommand root) {
    super(root);
  }
}
