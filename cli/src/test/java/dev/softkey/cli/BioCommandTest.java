package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.cli.CliRunner.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey bio ...} against the real engine and a file store, one run per command as a user would. */
class BioCommandTest {
  @TempDir Path dir;

  private Result run(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--store";
    all[1] = dir.toString();
    // The bio profile, although "bio" is a command too.
    all[2] = "--profile";
    all[3] = "bio";
    System.arraycopy(args, 0, all, 4, args.length);
    return CliRunner.run(new DeviceFactory(), "", all);
  }

  private void setPin() {
    assertThat(run("pin", "set", "--new-pin", "123456").code()).isZero();
  }

  @Nested
  class Info {
    @Test
    void showsTheSensor_withoutAPin() {
      Result r = run("bio", "info");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("command: 0x09", "modality: 1 (fingerprint)", "fingerprintKind: 1 (touch)",
          "maxCaptureSamplesRequiredForEnroll: 4", "maxTemplateFriendlyName: 15 bytes");
    }

    @Test
    void aKeyWithoutASensor_saysWhichProfileHasOne() {
      Result r = CliRunner.run(new DeviceFactory(), "", "--store", dir.toString(), "bio", "info");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("no fingerprint sensor", "--profile bio");
    }
  }

  @Nested
  class Enroll {
    @Test
    void noFingerprint_aNewKeyStartsEmpty_andTheFirstEnrollmentIsTemplate01() {
      assertThat(run("--no-fingerprint", "pin", "set", "--new-pin", "123456").code()).isZero();
      Result empty = run("bio", "list", "--pin", "123456");
      assertThat(empty.code()).as(empty.err()).isZero();
      assertThat(empty.out()).contains("No fingerprints enrolled");
      Result r = run("bio", "enroll", "--pin", "123456");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Enrolled fingerprint 01.");
      // The store keeps what it holds: later commands without the option see the one enrollment.
      assertThat(run("bio", "list", "--pin", "123456").out()).contains("01").doesNotContain("softkey finger");
    }

    @Test
    void everySampleGood_enrollsAndPrintsTheNewId_thenListShowsIt() {
      setPin();
      Result r = run("bio", "enroll", "--pin", "123456", "--name", "left index");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("sample 1: good, 3 remaining", "sample 4: good, 0 remaining", "Enrolled fingerprint 02 (left index).");
      Result list = run("bio", "list", "--pin", "123456");
      assertThat(list.out()).contains("01  softkey finger", "02  left index");
    }

    @Test
    void scriptedSamples_areReported_andOnlyGoodOnesCount() {
      setPin();
      Result r = run("bio", "enroll", "--pin", "123456", "--samples", "too-high,good,poor-quality");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("sample 1: too-high, 4 remaining", "sample 2: good, 3 remaining", "sample 3: poor-quality, 3 remaining",
          "sample 6: good, 0 remaining");
    }

    @Test
    void presenceDeny_givesUpAfterBadSamples_andSaysWhy() {
      setPin();
      Result r = run("--presence", "deny", "bio", "enroll", "--pin", "123456");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("samples in a row were not good", "--presence approve");
      assertThat(run("bio", "list", "--pin", "123456").out()).doesNotContain("02");
    }

    @Test
    void unknownSampleStatus_isAUsageError_listingTheNames() {
      Result r = run("bio", "enroll", "--samples", "wet");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("unknown sample status 'wet'", "too-high", "no-user-activity");
    }

    @Test
    void withoutAPinOnTheKey_saysToSetOne_evenWithAnEnrolledFinger_whenThePinIsGiven() {
      Result r = run("bio", "enroll", "--pin", "123456");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("this key has no PIN", "softkey pin set");
    }

    @Test
    void withoutAPin_theEnrolledFingerGivesTheToken() {
      Result r = run("bio", "enroll");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Enrolled fingerprint 02.");
    }

    @Test
    void aKeyWithAPin_butNoPinGivenAndNoMatchingFinger_asksForThePin() {
      setPin();
      Result r = run("--presence", "deny", "bio", "list");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("built-in UV failed", "--pin-env");
    }
  }

  @Nested
  class RenameAndRemove {
    @Test
    void renameThenRemove() {
      setPin();
      assertThat(run("bio", "rename", "01", "thumb", "--pin", "123456").out()).contains("Fingerprint 01 renamed to thumb.");
      assertThat(run("bio", "list", "--pin", "123456").out()).contains("01  thumb");
      assertThat(run("bio", "remove", "01", "--pin", "123456").out()).contains("Fingerprint 01 removed.");
      assertThat(run("bio", "list", "--pin", "123456").out()).contains("No fingerprints enrolled", "softkey bio enroll");
    }

    @Test
    void anUnknownId_pointsToList() {
      setPin();
      Result r = run("bio", "remove", "7f", "--pin", "123456");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("CTAP2_ERR_INVALID_OPTION", "no fingerprint with ID 7f", "softkey bio list");
    }

    @Test
    void aNameTooLong_pointsToInfo() {
      setPin();
      Result r = run("bio", "rename", "01", "x".repeat(16), "--pin", "123456");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("CTAP1_ERR_INVALID_LENGTH", "softkey bio info");
    }

    @Test
    void anIdThatIsNotHex_isAUsageError() {
      Result r = run("bio", "remove", "zz");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("hex", "softkey bio list");
    }
  }
}
