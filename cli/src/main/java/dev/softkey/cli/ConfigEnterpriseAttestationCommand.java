package dev.softkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey config enterprise-attestation}: authenticatorConfig enableEnterpriseAttestation (CTAP 2.1 section 6.11.2). */
@Command(
    name = "enterprise-attestation",
    mixinStandardHelpOptions = true,
    description = {
      "Enable enterprise attestation (enableEnterpriseAttestation; getInfo ep becomes true until softkey reset).",
      "Then webauthn create --enterprise-rp-id ID asks for it for that RP ID."
    })
final class ConfigEnterpriseAttestationCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  ConfigEnterpriseAttestationCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    ConfigCommand.run(root, pin, "config enterprise-attestation",
        i -> {
          if (i.option("ep").isEmpty()) {
            throw new IllegalStateException(
                "this authenticator's model is not enterprise attestation capable (getInfo has no ep option); "
                    + "the generic profile is (softkey profiles show generic)");
          }
        },
        (config, token) -> config.enableEnterpriseAttestation(token));
    root.out().println("Enterprise attestation is enabled.");
    return 0;
  }
}
