package dev.softkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey pin change}: clientPIN changePIN (CTAP 2.1 section 6.5.5.6). */
@Command(name = "change", mixinStandardHelpOptions = true, description = "Change the PIN (clientPIN changePIN): the current PIN and the new one are both required.")
final class PinChangeCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions current = new PinOptions();

  @Mixin NewPinOptions newPin = new NewPinOptions();

  PinChangeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    String pin = current.required("pin change");
    String next = newPin.required("pin change");
    try (DeviceFactory.Device d = root.openDevice()) {
      root.factory().changePin(d, pin, next);
    }
    root.out().println("PIN changed.");
    return 0;
  }
}
