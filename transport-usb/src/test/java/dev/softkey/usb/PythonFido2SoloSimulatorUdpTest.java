package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.RandomSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The solo-1 profile under the checks that test suites written for the Solo 1 simulator make
 * (solokeys/fido2-tests, now trussed-dev/fido2-tests: tests/standard/transport/test_hid.py,
 * tests/vendor/solo/test_credmgmt.py, tests/standard/u2f, conftest.py's reboot and reset): runs
 * {@code src/test/python/test_solo_simulator_udp.py}, their port to python-fido2 0.9.1 (the suites
 * themselves need pytest, solo-python and python-fido2 0.8, not installed here), against an
 * in-process {@link UdpServeMain} with the solo-1 profile. A made-up CID is answered without INIT,
 * reset is accepted 11 s after power-up, credential management answers on 0x0A and 0x41 with the
 * getPinToken token, and the user icon comes back. A machine without python3-fido2 fails this test
 * (it is not skipped) with the command to run.
 */
class PythonFido2SoloSimulatorUdpTest {
  @Test
  void soloSimulatorChecks_passAgainstTheSolo1Profile() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_solo_simulator_udp.py");
    try (UdpServeMain device =
        UdpServeMain.start(Profiles.load("solo-1"), RandomSource.seeded(20261202L), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r = PythonFido2.run(script, PythonFido2.udpArgs(device), 180);

      assertThat(r.exitCode()).as("test_solo_simulator_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("16 passed, 0 failed");
    }
  }
}
