package dev.softkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey pin set}: clientPIN setPIN (CTAP 2.1 section 6.5.5.5). */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Set the first PIN (clientPIN setPIN); fails if a PIN is set already (use 'pin change').")
final class PinSetCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--new-pin", required = true, paramLabel = "PIN",
      description = "The new PIN (4 or more characters, at most 63 bytes in UTF-8; required). Visible to other users in the process list.")
  String newPin;

  PinSetCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      root.factory().setPin(d, newPin);
    }
    root.out().println("PIN set.");
    return 0;
  }
}
