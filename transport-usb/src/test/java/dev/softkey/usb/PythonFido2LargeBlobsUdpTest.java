package dev.softkey.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.crypto.RandomSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The largeBlobKey extension and authenticatorLargeBlobs driven by python-fido2 0.9.1 (its {@code
 * LargeBlobKeyExtension} and {@code fido2.ctap2.blob.LargeBlobs}, through /usr/bin/python3) against
 * softkey on UDP: runs {@code src/test/python/test_softkey_large_blobs_udp.py} against an
 * in-process {@link UdpServeMain} with the generic profile. Keys at makeCredential and
 * getAssertion, put_blob / get_blob / delete_blob with an lbw token, the refusals without one, and
 * python-fido2 0.9.1's multi-fragment write (length on every fragment) answered
 * CTAP2_ERR_INTEGRITY_FAILURE as the spec's steps give. A machine without python-fido2 fails this
 * test (it is not skipped) with the command to run.
 */
class PythonFido2LargeBlobsUdpTest {
  @Test
  void largeBlobKeyAndLargeBlobs_withPythonFido2_overUdp() throws Exception {
    PythonFido2.require();
    Path script = PythonFido2.script("test_softkey_large_blobs_udp.py");
    Profile profile = Profiles.defaultProfile();

    try (UdpServeMain device = UdpServeMain.start(profile, RandomSource.secure(), 0, PythonFido2.freeUdpPort())) {
      PythonFido2.Result r = PythonFido2.run(script, PythonFido2.udpArgs(device), 180);

      assertThat(r.exitCode()).as("test_softkey_large_blobs_udp.py output:%n%s", r.output()).isZero();
      assertThat(r.output()).contains("15 passed, 0 failed");
    }
  }
}
