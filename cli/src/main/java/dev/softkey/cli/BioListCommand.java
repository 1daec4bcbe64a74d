package dev.softkey.cli;

import dev.softkey.platform.bio.PlatformBio;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code softkey bio list}: enumerateEnrollments (CTAP 2.1 section 6.7.6). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the enrolled fingerprints: ID (hex) and friendly name.")
final class BioListCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  BioListCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      List<PlatformBio.Enrollment> list = BioSession.withToken(d, pin, "bio list").enumerateEnrollments();
      if (list.isEmpty()) {
        root.out().println("No fingerprints enrolled; enroll one with 'softkey bio enroll'.");
      }
      for (PlatformBio.Enrollment e : list) {
        root.out().println(e.templateId().hex() + "  " + e.friendlyName().orElse(""));
      }
    }
    return 0;
  }
}
