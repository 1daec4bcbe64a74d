package dev.softkey.cli;

import dev.softkey.core.webauthn.AuthenticatorInfo;
import dev.softkey.core.webauthn.WebAuthnClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code softkey info}: authenticatorGetInfo of the key the global options describe. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "authenticatorGetInfo of the key (profile and live state), one member per line.")
final class InfoCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  InfoCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      AuthenticatorInfo info = WebAuthnClient.builder(d.transport()).build().getInfo();
      root.out().print(info.describe());
    }
    return 0;
  }
}
