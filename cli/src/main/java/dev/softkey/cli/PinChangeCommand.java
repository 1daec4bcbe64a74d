package dev.softkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey pin change}: clientPIN changePIN (CTAP 2.1 section 6.5.5.6). */
@Command(name = "change", mixinStandardHelpOptions = true, description = "Change the PIN (clientPIN changePIN): the current PIN and the new one are both required.")
final class PinChangeCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--pin", required = true, paramLabel = "PIN",
      description = "The current PIN (required). Visible to other users in the process list.")
  String pin;

  @Option(names = "--new-pin", required = true, paramLabel = "PIN",
      description = "The new PIN (4 or more characters, at most 63 bytes in UTF-8; required). Visible to other users in the process list.")
  String newPin;

  PinChangeCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      root.factory().changePin(d, pin, newPin);
    }
    root.out().println("PIN changed.");
    return 0;
  }
}
