package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.RandomSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * hmac-secret (CTAP 2.1 section 12.5) and hmac-secret-mc (CTAP 2.2) driven by python-fido2 0.9.1
 * (its {@code fido2.ctap2.extensions.HmacSecretExtension}, through /usr/bin/python3) against softkey
 * on UDP: runs {@code src/test/python/test_softkey_hmac_udp.py} against an in-process {@link
 * UdpServeMain} with the generic profile. The outputs are stable for the same salt and differ for
 * another salt and with and without UV, over protocols 1 and 2, with one and two salts; python-fido2
 * checks every reply for canonical CBOR. A machine without python-fido2 fails this test (it is not
 * skipped) with the command to run.
 */
class PythonFido2HmacUdpTest {
  @Test
  void hmacSecret_withPythonFido2_overUdp() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_hmac_udp.py");
    Profile profile = Profiles.defaultProfile();

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.secure(), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r = PythonFido2.run(script, PythonFido2.udpArgs(device), 180);

      assertThat(r.exitCode()).as("test_softkey_hmac_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("16 passed, 0 failed");
    }
  }
}
