package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * python-fido2 0.9.1 (Debian 12's python3-fido2, through /usr/bin/python3) against softkey on UDP:
 * runs {@code src/test/python/test_softkey_udp.py} against an in-process {@link UdpServeMain} on
 * free loopback ports. CI installs the package; a machine without it fails this test (it is not
 * skipped) with the command to run.
 */
class PythonFido2UdpTest {
  @Test
  void pythonFido2_passesEveryCheck_againstSoftkeyOnUdp() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_udp.py");
    Profile profile = Profiles.defaultProfile();

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.seeded(20240607L), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r =
          PythonFido2.run(
              script,
              PythonFido2.udpArgs(device, "--aaguid", profile.identity().aaguid().toString()),
              180);

      assertThat(r.exitCode()).as("test_softkey_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains(" passed, 0 failed");
    }
  }
}
