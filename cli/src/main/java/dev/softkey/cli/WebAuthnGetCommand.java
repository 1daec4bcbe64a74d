package dev.softkey.cli;

import dev.softkey.platform.WebAuthnException;
import picocli.CommandLine.Command;

/** {@code softkey webauthn get}: navigator.credentials.get() against this key. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "navigator.credentials.get(): sign in with a credential of this key.",
      "Reads PublicKeyCredentialRequestOptionsJSON, prints AuthenticationResponseJSON to stdout."
    })
final class WebAuthnGetCommand extends CeremonyCommand {
  WebAuthnGetCommand(SoftkeyCommand root) {
    super(root);
  }

  @Override
  String optionsType() {
    return "PublicKeyCredentialRequestOptionsJSON";
  }

  @Override
  public Integer call() throws Exception {
    String json = readOptions();
    var p = pin.pin();
    try (DeviceFactory.Device d = root.openDevice()) {
      Json.print(root.out(), client(d).get(json, origin, p).toJsonNode());
    } catch (WebAuthnException e) {
      throw optionsError(e);
    }
    return 0;
  }
}
