package dev.softkey.cli;

import dev.softkey.core.bio.Fingers;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.bio.PlatformBio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code softkey bio enroll}: enrollBegin and enrollCaptureNextSample until the template is stored (CTAP 2.1 sections 6.7.4, 6.7.5). */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = "Enroll a fingerprint: one sample after another until the sensor has enough good ones, then print the new ID.")
final class BioEnrollCommand implements Callable<Integer> {
  /** Samples in a row that are not good after which the enrollment is given up. */
  static final int MAX_BAD_SAMPLES = 8;

  private final SoftkeyCommand root;

  @Mixin PinOptions pin = new PinOptions();

  @Option(names = "--name", paramLabel = "NAME", description = "A friendly name for the new fingerprint (setFriendlyName). Default: none.")
  String name;

  @Option(names = "--samples", paramLabel = "STATUS[,STATUS...]", split = ",",
      description = "Script what the sensor makes of the first samples (tests): good, too-high, too-low, too-left, too-right, too-fast,"
          + " too-slow, poor-quality, too-skewed, too-short, merge-failure, exists, no-user-activity, no-up-transition;"
          + " later samples follow --presence. Default: every sample follows --presence.")
  List<String> samples = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "MS", description = "How long the sensor waits for each sample, in milliseconds (timeoutMilliseconds). Default: the key's own (30 s).")
  Long timeoutMillis;

  BioEnrollCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    List<EnrollSampleStatus> scripted = new ArrayList<>();
    for (String s : samples) {
      scripted.add(BioSession.sampleStatus(s));
    }
    if (timeoutMillis != null && timeoutMillis < 0) {
      throw new UsageException("--timeout must not be negative");
    }
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    UnaryOperator<dev.softkey.core.AuthenticatorBuilder> finger =
        b -> b.finger(Fingers.withSampleStatuses(Fingers.following(o.userPresence()), scripted));
    try (DeviceFactory.Device d = scripted.isEmpty() ? root.openDevice(o) : root.announcingNewStore(o, () -> root.factory().open(o, finger))) {
      PlatformBio bio = BioSession.withToken(d, pin, "bio enroll");
      int[] n = {0};
      Bytes id;
      try {
        id = bio.enroll(
            Optional.ofNullable(name),
            Optional.ofNullable(timeoutMillis).map(Duration::ofMillis),
            MAX_BAD_SAMPLES,
            s -> root.out().printf("sample %d: %s, %d remaining%n", ++n[0],
                s.status().map(BioSession::cliName).orElse("status 0x" + Long.toHexString(s.statusCode())), s.remainingSamples()));
      } catch (CtapException e) {
        if (e.status() == dev.softkey.ctap.CtapStatus.CTAP2_ERR_OPERATION_DENIED) {
          throw new IllegalStateException(
              "enrollment cancelled: " + MAX_BAD_SAMPLES + " samples in a row were not good (with --presence deny the simulated user"
                  + " never touches: use --presence approve or prompt)", e);
        }
        throw BioSession.explain(e, "");
      }
      root.out().println("Enrolled fingerprint " + id.hex() + (name == null ? "" : " (" + name + ")") + ".");
    }
    return 0;
  }
}
