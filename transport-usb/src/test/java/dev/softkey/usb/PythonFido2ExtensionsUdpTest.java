package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.RandomSource;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The authenticator extensions credProtect, credBlob, minPinLength and thirdPartyPayment (CTAP 2.1
 * section 12, CTAP 2.2) driven by python-fido2 0.9.1 (Debian 12's python3-fido2, through
 * /usr/bin/python3, its CredProtectExtension, CredBlobExtension, MinPinLengthExtension and Config)
 * against softkey on UDP: runs {@code src/test/python/test_softkey_extensions_udp.py} against an
 * in-process {@link UdpServeMain}. With the generic profile every check runs (11); with yubikey-5
 * (FIDO_2_1_PRE, credProtect only among these, getPinToken tokens) the credProtect ones (7). A
 * machine without python3-fido2 fails this test (it is not skipped) with the command to run.
 */
class PythonFido2ExtensionsUdpTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"generic, 11", "yubikey-5, 7"})
  void pythonFido2_usesTheExtensions_againstSoftkeyOnUdp(String profileId, int checks) throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_extensions_udp.py");
    Profile profile = Profiles.load(profileId);

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.seeded(20261202L), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r =
          PythonFido2.run(
              script,
              PythonFido2.udpArgs(
                  device,
                  "--max-cred-blob-length",
                  Integer.toString(profile.extensions().maxCredBlobLength().orElse(0))),
              180);

      assertThat(r.exitCode()).as("test_softkey_extensions_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains(checks + " passed, 0 failed");
    }
  }
}
