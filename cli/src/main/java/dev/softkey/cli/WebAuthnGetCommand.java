package dev.softkey.cli;

import java.util.Optional;
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
  public Integer call() throws Exception {
    String json = readOptions();
    try (DeviceFactory.Device d = root.openDevice()) {
      Json.print(root.out(), client(d).get(json, origin, Optional.ofNullable(pin)).toJsonNode());
    }
    return 0;
  }
}
