package dev.softkey.cli;

import dev.softkey.ctap.CtapException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code softkey bio remove ID}: removeEnrollment (CTAP 2.1 section 6.7.9). */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an enrolled fingerprint.")
final class BioRemoveCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Parameters(index = "0", paramLabel = "ID", description = "The fingerprint's ID, in hex as 'softkey bio list' prints it. Required.")
  String id;

  BioRemoveCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    var templateId = BioSession.templateId(id);
    try (DeviceFactory.Device d = root.openDevice()) {
      try {
        BioSession.withToken(d, pin, "bio remove").removeEnrollment(templateId);
      } catch (CtapException e) {
        throw BioSession.explain(e, id);
      }
    }
    root.out().println("Fingerprint " + templateId.hex() + " removed.");
    return 0;
  }
}
