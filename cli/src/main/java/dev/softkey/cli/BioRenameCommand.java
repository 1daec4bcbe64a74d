package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code softkey bio rename ID NAME}: setFriendlyName (CTAP 2.1 section 6.7.8). */
@Command(name = "rename", mixinStandardHelpOptions = true, description = "Give an enrolled fingerprint a friendly name.")
final class BioRenameCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Parameters(index = "0", paramLabel = "ID", description = "The fingerprint's ID, in hex as 'softkey bio list' prints it. Required.")
  String id;

  @Parameters(index = "1", paramLabel = "NAME", description = "The new friendly name (at most the sensor's maxTemplateFriendlyName bytes, see 'softkey bio info'). Required.")
  String name;

  BioRenameCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    var templateId = BioSession.templateId(id);
    try (DeviceFactory.Device d = root.openDevice()) {
      try {
        BioSession.withToken(d, pin, "bio rename").setFriendlyName(templateId, name);
      } catch (CtapException e) {
        if (e.status() == CtapStatus.CTAP1_ERR_INVALID_LENGTH) {
          throw new IllegalStateException(
              e.status().name() + ": the name is longer than the sensor allows: see maxTemplateFriendlyName in 'softkey bio info'", e);
        }
        throw BioSession.explain(e, id);
      }
    }
    root.out().println("Fingerprint " + templateId.hex() + " renamed to " + name + ".");
    return 0;
  }
}
