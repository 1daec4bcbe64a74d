package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.platform.credman.CredentialManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code softkey credentials delete ID}: deleteCredential (CTAP 2.1 section 6.8.5). */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete one discoverable credential (deleteCredential). The RP can no longer sign in with it; nothing else changes.")
final class CredentialsDeleteCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Parameters(index = "0", paramLabel = "ID", description = "The credential ID, base64url as 'softkey credentials list' prints it. Required.")
  String id;

  CredentialsDeleteCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    var credentialId = CredentialsAccess.credentialId(id);
    try (DeviceFactory.Device d = root.openDevice()) {
      CredentialManager m = CredentialsAccess.open(d, pin, "credentials delete");
      try {
        m.delete(credentialId);
      } catch (CtapException e) {
        throw CredentialsAccess.explainedForCredential(e, "credentials delete", id);
      }
    }
    root.out().println("Credential " + id + " deleted.");
    return 0;
  }
}
