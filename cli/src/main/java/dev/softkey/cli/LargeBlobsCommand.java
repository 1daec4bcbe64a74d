package dev.softkey.cli;

import picocli.CommandLine.Command;

/** {@code softkey large-blobs list|get|put|delete|clear}: the large-blob array (CTAP 2.1 sections 6.10 and 12.3). */
@Command(
    name = "large-blobs",
    mixinStandardHelpOptions = true,
    description =
        "Read and write the key's large-blob array (authenticatorLargeBlobs, like fido2-token -L/-G/-S/-D -b): per discoverable"
            + " credential, data encrypted under its largeBlobKey. A credential has one when it was made with the largeBlobKey"
            + " extension (WebAuthn largeBlob). Needs the PIN, or built-in UV on a key with a fingerprint sensor: the keys come"
            + " from credential management, and writes need the lbw permission.",
    subcommands = {
      LargeBlobsListCommand.class,
      LargeBlobsGetCommand.class,
      LargeBlobsPutCommand.class,
      LargeBlobsDeleteCommand.class,
      LargeBlobsClearCommand.class,
      HelpCommand.class
    })
final class LargeBlobsCommand extends CommandGroup {
  LargeBlobsCommand(SoftkeyCommand root) {
    super(root);
  }
}
