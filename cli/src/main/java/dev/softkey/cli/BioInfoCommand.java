package dev.softkey.cli;

import dev.softkey.platform.bio.PlatformBio;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code softkey bio info}: getModality and getFingerprintSensorInfo (CTAP 2.1 sections 6.7.2, 6.7.3), no PIN needed. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the fingerprint sensor: modality, kind, samples per enrollment, longest friendly name. Needs no PIN.")
final class BioInfoCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  BioInfoCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      PlatformBio bio = BioSession.open(d);
      long modality = bio.modality();
      PlatformBio.SensorInfo s = bio.sensorInfo();
      root.out().println("command: 0x" + String.format("%02x", bio.command().code()) + " (" + bio.command() + ")");
      root.out().println("modality: " + modality + (modality == 1 ? " (fingerprint)" : ""));
      root.out().println("fingerprintKind: " + s.fingerprintKind() + (s.fingerprintKind() == 1 ? " (touch)" : s.fingerprintKind() == 2 ? " (swipe)" : ""));
      root.out().println("maxCaptureSamplesRequiredForEnroll: " + s.maxCaptureSamplesRequiredForEnroll());
      s.maxTemplateFriendlyName().ifPresent(m -> root.out().println("maxTemplateFriendlyName: " + m + " bytes"));
    }
    return 0;
  }
}
