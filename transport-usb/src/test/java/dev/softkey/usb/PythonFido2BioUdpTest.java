package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.Authenticator;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.store.MemoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * python-fido2 0.9.1's bio enrollment ({@code fido2.ctap2.bio.FPBioEnrollment}) and built-in UV
 * against softkey's bio profile on UDP: runs {@code src/test/python/test_softkey_bio_udp.py} against
 * an in-process {@link UdpServeMain} of a new Bio key with no fingerprint enrolled, presence (and so
 * the simulated finger) approving. Sensor info, enrollment of every sample, enumeration, rename,
 * cancel, removal, and UV tokens from the enrolled finger. A machine without python3-fido2 fails
 * this test (it is not skipped) with the command to run.
 */
class PythonFido2BioUdpTest {
  @Test
  void pythonFido2_enrollsFingerprints_andGetsUvTokens_fromTheBioProfile() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_bio_udp.py");
    Profile profile = Profiles.builtIn("bio").orElseThrow();
    Profile.Fingerprint sensor = profile.management().fingerprint().orElseThrow();
    Authenticator authenticator =
        Authenticator.builder()
            .profile(profile)
            .store(new MemoryStore())
            .presence(Presence.approve())
            .noEnrolledFingerprint()
            .random(RandomSource.seeded(20261201L))
            .build();

    try (UdpServeMain device = UdpServeMain.start(authenticator, 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r =
          PythonFido2.run(
              script,
              PythonFido2.udpArgs(
                  device,
                  "--samples",
                  Integer.toString(sensor.samplesForEnrollment()),
                  "--max-name",
                  Integer.toString(sensor.maxTemplateFriendlyName())),
              180);

      assertThat(r.exitCode()).as("test_softkey_bio_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains(" passed, 0 failed");
    }
  }
}
