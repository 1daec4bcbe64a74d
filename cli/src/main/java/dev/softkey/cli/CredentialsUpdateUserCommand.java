package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.credman.CredentialManager.Credential;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code softkey credentials update-user ID}: updateUserInformation (CTAP 2.1 section 6.8.6). */
@Command(
    name = "update-user",
    mixinStandardHelpOptions = true,
    description =
        "Change the user name and display name stored with a discoverable credential (updateUserInformation); the user ID stays."
            + " A CTAP 2.1 subcommand: the FIDO_2_1_PRE prototype (yubikey-5) does not have it.")
final class CredentialsUpdateUserCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Parameters(index = "0", paramLabel = "ID", description = "The credential ID, base64url as 'softkey credentials list' prints it. Required.")
  String id;

  @Option(names = "--name", paramLabel = "N", description = "The new user name; \"\" removes it. Default: the current name stays.")
  String name;

  @Option(names = "--display-name", paramLabel = "D", description = "The new display name; \"\" removes it. Default: the current display name stays.")
  String displayName;

  CredentialsUpdateUserCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    Bytes credentialId = CredentialsAccess.credentialId(id);
    if (name == null && displayName == null) {
      throw new UsageException("credentials update-user changes nothing without --name N or --display-name D");
    }
    try (DeviceFactory.Device d = root.openDevice()) {
      CredentialManager m = CredentialsAccess.open(d, pin, "credentials update-user");
      try {
        // The user ID must be the credential's (section 6.8.6): find it, and the names that stay.
        Credential c =
            m.allCredentials().stream()
                .filter(x -> x.credentialId().equals(credentialId))
                .findFirst()
                .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS));
        Optional<String> n = name == null ? c.user().name() : Optional.of(name).filter(s -> !s.isEmpty());
        Optional<String> dn = displayName == null ? c.user().displayName() : Optional.of(displayName).filter(s -> !s.isEmpty());
        m.updateUser(credentialId, new PublicKeyCredentialUserEntity(c.user().id(), n, dn));
      } catch (CtapException e) {
        if (e.status() == CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND) {
          throw new IllegalStateException(
              "this key's credential management is the CTAP 2.1 prototype (FIDO_2_1_PRE), which cannot update user"
                  + " information: delete the credential and register it again instead", e);
        }
        throw CredentialsAccess.explainedForCredential(e, "credentials update-user", id);
      }
    }
    root.out().println("Credential " + id + " updated.");
    return 0;
  }
}
