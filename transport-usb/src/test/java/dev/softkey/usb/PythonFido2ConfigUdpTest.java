package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * authenticatorConfig and the Entra ID provisioning sequence (../shared/docs/entra.md section 1.4)
 * driven by python-fido2 0.9.1 (its {@code fido2.ctap2.config.Config} and {@code ClientPin}, through
 * /usr/bin/python3) against softkey on UDP: runs {@code src/test/python/test_softkey_config_udp.py}
 * against an in-process {@link UdpServeMain} (what {@code softkey serve --transport udp} runs) with
 * the generic profile. Reset, a random PIN, an acfg token, minimum length 6, forceChangePin; the
 * provisioned PIN is then refused as CTAP 2.1 says, changePIN succeeds and the sign-in works.
 * A machine without python-fido2 fails this test (it is not skipped) with the command to run.
 */
class PythonFido2ConfigUdpTest {
  @Test
  void entraProvisioningSequence_andConfig_withPythonFido2_overUdp() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_config_udp.py");
    Profile profile = Profiles.defaultProfile();

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.secure(), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r = PythonFido2.run(script, PythonFido2.udpArgs(device), 180);

      assertThat(r.exitCode()).as("test_softkey_config_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("15 passed, 0 failed");
    }
  }
}
