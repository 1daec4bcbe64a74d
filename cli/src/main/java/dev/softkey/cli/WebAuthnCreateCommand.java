package dev.softkey.cli;

import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code softkey webauthn create}: navigator.credentials.create() against this key. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "navigator.credentials.create(): register a credential.",
      "Reads PublicKeyCredentialCreationOptionsJSON, prints RegistrationResponseJSON to stdout."
    })
final class WebAuthnCreateCommand extends CeremonyCommand {
  WebAuthnCreateCommand(SoftkeyCommand root) {
    super(root);
  }

  @Override
  public Integer call() throws Exception {
    String json = readOptions();
    try (DeviceFactory.Device d = root.openDevice()) {
      Json.print(root.out(), client(d).create(json, origin, Optional.ofNullable(pin)).toJsonNode());
    }
    return 0;
  }
}
