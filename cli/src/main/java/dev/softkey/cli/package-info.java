/**
 * The {@code softkey} command line (picocli). {@link dev.softkey.cli.Main} only assembles the
 * command tree; {@link dev.softkey.cli.SoftkeyCommand} holds the global options, and every command
 * and subcommand is a class of its own ({@code *Command}), created by the injecting factory with the
 * {@code SoftkeyCommand}. Commands only parse options, call the modules and print; the objects
 * behind them (authenticator, stores, PIN client, attestation CA) are assembled in exactly one
 * place, {@link dev.softkey.cli.DeviceFactory}. Every command has {@code --help} and {@code softkey
 * help CMD [SUB]}. Errors are one line on stderr with exit code 2 for usage errors and 1 for
 * failed operations; stack traces only with --verbose.
 */
package dev.softkey.cli;
