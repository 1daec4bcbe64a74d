package dev.softkey.cli;

import dev.softkey.platform.AuthenticatorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code softkey config min-pin-length N}: authenticatorConfig setMinPINLength (CTAP 2.1 section 6.11.4). */
@Command(
    name = "min-pin-length",
    mixinStandardHelpOptions = true,
    description = {
      "Raise the minimum PIN length (setMinPINLength); it can never be lowered again except by softkey reset.",
      "A PIN shorter than the new minimum, or --force-change, makes the key refuse the PIN until softkey pin change."
    })
final class ConfigMinPinLengthCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Parameters(index = "0", paramLabel = "N", arity = "0..1",
      description = "The new minimum PIN length in Unicode code points (4..63). Default: keep the current one (to only add --rp-id or --force-change).")
  Integer length;

  @Option(names = "--rp-id", paramLabel = "ID", split = ",",
      description = "An RP ID the minPinLength extension may tell the minimum to (repeatable or comma-separated; replaces the list; at most maxRPIDsForSetMinPINLength). Default: leave the list as it is.")
  List<String> rpIds = new ArrayList<>();

  @Option(names = "--force-change",
      description = "Require a PIN change before the PIN is accepted again (forceChangePin; the key needs a PIN). Default: off.")
  boolean forceChange;

  @Mixin PinOptions pin = new PinOptions();

  ConfigMinPinLengthCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    if (length != null && (length < 4 || length > 63)) {
      throw new UsageException("config min-pin-length: N must be 4..63 (CTAP 2.1 PINs are 4 to 63 code points), not " + length);
    }
    if (length == null && rpIds.isEmpty() && !forceChange) {
      throw new UsageException("config min-pin-length: give N, --rp-id ID or --force-change (see softkey config min-pin-length --help)");
    }
    AuthenticatorInfo info =
        ConfigCommand.run(root, pin, "config min-pin-length",
            i -> {
              if (!i.option("setMinPINLength").orElse(false)) {
                throw new IllegalStateException("this authenticator's model has no setMinPINLength (getInfo option setMinPINLength); nothing was changed");
              }
            },
            (config, token) -> config.setMinPinLength(token, Optional.ofNullable(length), rpIds, forceChange));
    root.out().println("Minimum PIN length is " + info.minPinLength().map(String::valueOf).orElse("unknown")
        + (info.forcePinChange() ? "; the PIN must be changed (softkey pin change) before it is accepted again." : "."));
    return 0;
  }
}
