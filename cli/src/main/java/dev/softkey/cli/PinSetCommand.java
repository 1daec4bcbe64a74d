package dev.softkey.cli;

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
      root.factory().setPin(d, pin);
    }
    root.out().println("PIN set.");
    return 0;
  }
}
