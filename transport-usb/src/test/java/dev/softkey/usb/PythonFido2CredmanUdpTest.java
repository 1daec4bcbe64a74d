package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * authenticatorCredentialManagement with python-fido2 0.9.1 (Debian 12's python3-fido2, through
 * /usr/bin/python3) against softkey on UDP: runs {@code src/test/python/test_softkey_credman_udp.py}
 * against an in-process {@link UdpServeMain}, once with the generic profile (python-fido2 sends
 * 0x0A and signs with a cm token) and once with yubikey-5 (the prototype 0x41, signed with the
 * getPinToken token as for a FIDO_2_1_PRE YubiKey). A machine without python3-fido2 fails this test
 * (it is not skipped) with the command to run.
 */
class PythonFido2CredmanUdpTest {
  @ParameterizedTest(name = "{0}: command {1}")
  @CsvSource({"generic, 0x0a", "yubikey-5, 0x41"})
  void pythonFido2_managesCredentials_againstSoftkeyOnUdp(String profileId, String command) throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_credman_udp.py");
    Profile profile = Profiles.load(profileId);

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.seeded(20261201L), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r =
          PythonFido2.run(
              script,
              PythonFido2.udpArgs(
                  device,
                  "--expect-command",
                  command,
                  "--max-rk",
                  Integer.toString(profile.limits().maxResidentCredentials())),
              180);

      assertThat(r.exitCode()).as("test_softkey_credman_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("14 passed, 0 failed");
    }
  }
}
