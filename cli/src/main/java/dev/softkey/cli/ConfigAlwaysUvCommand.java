package dev.softkey.cli;

import dev.softkey.platform.AuthenticatorInfo;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code softkey config always-uv on|off}: authenticatorConfig toggleAlwaysUv (CTAP 2.1 section 6.11.3). */
@Command(
    name = "always-uv",
    mixinStandardHelpOptions = true,
    description = {
      "Turn alwaysUv on or off (toggleAlwaysUv, sent only when the setting differs).",
      "While on, every registration and sign-in needs the PIN (or built-in UV), and U2F (CTAP1) is off."
    })
final class ConfigAlwaysUvCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Parameters(index = "0", paramLabel = "on|off", description = "The wanted state of alwaysUv (required).")
  String state;

  @Mixin PinOptions pin = new PinOptions();

  ConfigAlwaysUvCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    boolean want =
        switch (state.toLowerCase(Locale.ROOT)) {
          case "on", "true" -> true;
          case "off", "false" -> false;
          default -> throw new UsageException("config always-uv: give on or off, not '" + state + "'");
        };
    boolean[] already = new boolean[1];
    ConfigCommand.run(root, pin, "config always-uv",
        i -> {
          if (i.option("alwaysUv").isEmpty()) {
            throw new IllegalStateException("this authenticator does not support alwaysUv (getInfo has no alwaysUv option)");
          }
          already[0] = i.option("alwaysUv").get() == want;
        },
        (config, token) -> {
          if (!already[0]) {
            config.toggleAlwaysUv(token);
          }
        });
    root.out().println(already[0] ? "alwaysUv was already " + (want ? "on" : "off") + "." : "alwaysUv is " + (want ? "on" : "off") + ".");
    return 0;
  }
}
