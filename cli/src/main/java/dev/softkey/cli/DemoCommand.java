package dev.softkey.cli;

import dev.softkey.platform.WebAuthnClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey demo}: a registration and a sign-in against a built-in RP, each step printed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Register and sign in against a built-in relying party, printing each message and check.",
      "The RP is " + Demo.ORIGIN + "; the key is an in-memory one of --profile (--store is not used)."
    })
final class DemoCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  DemoCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    var p = pin.pin();
    DeviceFactory.DeviceOptions o = root.deviceOptions().inMemory();
    try (DeviceFactory.Device d = root.openDevice(o)) {
      WebAuthnClient.Builder b = WebAuthnClient.builder(d.transport());
      d.pinTokenProvider().ifPresent(b::pinTokenProvider);
      new Demo(b.build(), root.out(), o.seed()).run(p);
    }
    return 0;
  }
}
