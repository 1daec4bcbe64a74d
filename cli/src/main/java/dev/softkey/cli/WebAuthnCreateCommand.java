package dev.softkey.cli;

import dev.softkey.platform.WebAuthnException;
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
  String optionsType() {
    return "PublicKeyCredentialCreationOptionsJSON";
  }

  @Override
  public Integer call() throws Exception {
    String json = readOptions();
    var p = pin.pin();
    try (DeviceFactory.Device d = root.openDevice()) {
      Json.print(root.out(), client(d).create(json, origin, p).toJsonNode());
    } catch (WebAuthnException e) {
      throw optionsError(e);
    }
    return 0;
  }
}
