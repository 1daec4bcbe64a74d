/**
 * The {@code softkey} command line (picocli). Commands only parse options, call the modules and
 * print; the objects behind them (authenticator, stores, PIN client, attestation CA) are assembled
 * in exactly one place, {@link dev.softkey.cli.DeviceFactory}. Errors are one line on stderr with
 * exit code 2 for usage errors and 1 for failed operations; stack traces only with --verbose.
 */
package dev.softkey.cli;
