package dev.softkey.cli;

import dev.softkey.platform.WebAuthnClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey pin set}: clientPIN setPIN (CTAP 2.1 section 6.5.5.5). */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Set the first PIN (clientPIN setPIN); fails if a PIN is set already (use 'pin change').")
final class PinSetCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin NewPinOptions newPin = new NewPinOptions();

  PinSetCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    String pin = newPin.required("pin set");
    try (DeviceFactory.Device d = root.openDevice()) {
      // setPIN on a key with a PIN fails (CTAP 2.1 section 6.5.5.5: CTAP2_ERR_PIN_AUTH_INVALID),
      // which says nothing useful to a user: getInfo's clientPin option tells first.
      if (WebAuthnClient.builder(d.transport()).build().getInfo().isPinSet()) {
        throw new PinFailure("the key has a PIN already: change it with 'softkey pin change' (the current PIN and the new one)");
      }
      root.factory().setPin(d, pin);
    }
    root.out().println("PIN set.");
    return 0;
  }
}
