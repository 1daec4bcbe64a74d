package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PIN on the command line (issue 8): from stdin as well as an argument, an environment
 * variable or a file; the retries left after a wrong PIN and what to do when it is blocked;
 * {@code pin set} on a key that has a PIN; a PIN given to a key without one.
 */
class PinCommandLineTest {
  static final String NL = System.lineSeparator();
  static final String PIN = "4711-first";
  static final String RK_UV =
      MainTest.CREATE.replace(
          "\"pubKeyCredParams\"",
          "\"authenticatorSelection\":{\"residentKey\":\"required\",\"userVerification\":\"required\"},\"pubKeyCredParams\"");

  @TempDir Path dir;

  Path store() {
    return dir.resolve("store");
  }

  /** The store exists before each test, so that no "new store created" notice is on stderr. */
  @org.junit.jupiter.api.BeforeEach
  void createTheStore() {
    assertThat(sk("", "info").code()).isZero();
  }

  /** One command against the file store in {@link #dir}; every run is a power cycle of the key. */
  Result sk(String stdin, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = store().toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRunner.run(new DeviceFactory(), stdin, all);
  }

  Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  void setPin() {
    Result r = sk(PIN + "\n", "pin", "set", "--new-pin-file", "-");
    assertThat(r.err()).as(r.err()).doesNotContain("PIN set").doesNotContain(PIN);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("PIN set." + NL);
  }

  @Nested
  class FromStdin {
    @Test
    void pinSet_readsTheNewPinFromStdin_andTheKeyHasIt() {
      setPin();
      assertThat(sk("", "info", "--json").out()).contains("\"clientPin\" : true");
    }

    @Test
    void pinChange_readsTheCurrentPinThenTheNewPin_asTwoLines() throws IOException {
      setPin();
      Result r = sk(PIN + "\n" + "4711-second\r\n", "pin", "change", "--pin-file", "-", "--new-pin-file", "-");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      // The second line (its CR dropped) is the PIN now: the first one is refused, the second works.
      Path options = file("create.json", RK_UV);
      assertThat(sk(PIN + "\n", "webauthn", "create", "--origin", "https://example.com", "--options", options.toString(), "--pin-file", "-").err())
          .startsWith("softkey: NotAllowedError: wrong PIN");
      Result good = sk("4711-second\n", "webauthn", "create", "--origin", "https://example.com", "--options", options.toString(), "--pin-file", "-");
      assertThat(good.err()).isEmpty();
      assertThat(good.code()).isZero();
      assertThat(good.out()).contains("\"attestationObject\"");
    }

    @Test
    void webauthnGet_takesThePinFromStdin_withTheOptionsInAFile() throws IOException {
      setPin();
      Path create = file("create.json", RK_UV);
      assertThat(sk(PIN + "\n", "webauthn", "create", "--origin", "https://example.com", "--options", create.toString(), "--pin-file", "-").code()).isZero();
      Path get = file("get.json", "{\"challenge\":\"AQIDBA\",\"userVerification\":\"required\"}");
      Result r = sk(PIN + "\n", "webauthn", "get", "--origin", "https://example.com", "--options", get.toString(), "--pin-file", "-");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("\"authenticatorData\"").contains("\"userHandle\"");
    }

    @Test
    void pinOnStdin_withTheOptionsOnStdinToo_isAUsageError_exit2() {
      for (String command : new String[] {"create", "get"}) {
        Result r = sk(PIN + "\n" + RK_UV, "webauthn", command, "--origin", "https://example.com", "--pin-file", "-");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("softkey: --pin-file - reads the PIN from stdin, so the options cannot come from stdin too: give them with --options FILE" + NL);
      }
      Result hybrid = CliRunner.run(new DeviceFactory(), PIN + "\n", "hybrid", "initiate", "--origin", "https://example.com", "--pin-file", "-");
      assertThat(hybrid.code()).isEqualTo(2);
      assertThat(hybrid.err()).contains("--pin-file - reads the PIN from stdin");
    }

    @Test
    void anEmptyStdin_isAUsageError_namingTheOption() {
      Result r = sk("", "pin", "set", "--new-pin-file", "-");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: no line on stdin for the new PIN (--new-pin-file -); give it on its own line" + NL);
      setPin();
      Result change = sk(PIN + "\n", "pin", "change", "--pin-file", "-", "--new-pin-file", "-");
      assertThat(change.code()).isEqualTo(2);
      assertThat(change.err()).startsWith("softkey: no line on stdin for the new PIN");
    }

    @Test
    void theDemo_takesThePinFromTheEnvironment() {
      String var = System.getenv().containsKey("HOME") ? "HOME" : "PATH"; // set; the demo key has no PIN
      Result r = sk("", "demo", "--pin-env", var);
      assertThat(r.code()).isZero();
      assertThat(r.err()).isEqualTo("softkey: warning: --pin-env was given but the key has no PIN set, so the PIN is not used (set one with 'softkey pin set')" + NL);
      assertThat(r.err()).doesNotContain(System.getenv(var));
    }
  }

  @Nested
  class WrongPin {
    @Test
    void reportsTheRetriesLeft_countingDown_andACorrectPinRestoresThem() throws IOException {
      setPin();
      Path options = file("create.json", RK_UV);
      for (int left : new int[] {7, 6}) {
        Result r = sk("", "webauthn", "create", "--origin", "https://example.com", "--options", options.toString(), "--pin", "0000-wrong");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("softkey: NotAllowedError: wrong PIN: " + left + " retries left (CTAP2_ERR_PIN_INVALID, 0x31)" + NL);
      }
      assertThat(sk("", "webauthn", "create", "--origin", "https://example.com", "--options", options.toString(), "--pin", PIN).code()).isZero();
      Result again = sk("", "pin", "change", "--pin", "0000-wrong", "--new-pin", "whatever-new");
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).isEqualTo("softkey: wrong PIN: 7 retries left (CTAP2_ERR_PIN_INVALID)" + NL);
    }

    @Test
    void inWebauthnGet_too() throws IOException {
      setPin();
      assertThat(sk("", "webauthn", "create", "--origin", "https://example.com", "--options", file("c.json", RK_UV).toString(), "--pin", PIN).code()).isZero();
      Result r = sk("{\"challenge\":\"AQIDBA\",\"userVerification\":\"required\"}", "webauthn", "get", "--origin", "https://example.com", "--pin", "0000-wrong");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: NotAllowedError: wrong PIN: 7 retries left (CTAP2_ERR_PIN_INVALID, 0x31)" + NL);
    }

    @Test
    void threeInOnePowerCycle_sayToPowerCycleTheKey() {
      // One engine for every command: no power cycle between them, as with 'softkey serve'.
      DeviceFactory shared =
          new DeviceFactory() {
            Device device;

            @Override
            public Device open(DeviceOptions o) {
              if (device == null) {
                device = super.open(o);
              }
              return device;
            }
          };
      assertThat(CliRunner.run(shared, "", "--store", "memory", "pin", "set", "--new-pin", PIN).code()).isZero();
      assertThat(CliRunner.run(shared, "", "--store", "memory", "pin", "change", "--pin", "bad-1", "--new-pin", "x-new-pin").err())
          .isEqualTo("softkey: wrong PIN: 7 retries left (CTAP2_ERR_PIN_INVALID)" + NL);
      assertThat(CliRunner.run(shared, "", "--store", "memory", "pin", "change", "--pin", "bad-2", "--new-pin", "x-new-pin").err())
          .isEqualTo("softkey: wrong PIN: 6 retries left (CTAP2_ERR_PIN_INVALID)" + NL);
      Result third = CliRunner.run(shared, "", "--store", "memory", "pin", "change", "--pin", "bad-3", "--new-pin", "x-new-pin");
      assertThat(third.code()).isEqualTo(1);
      assertThat(third.err())
          .startsWith("softkey: wrong PIN 3 times in a row: the key refuses every PIN until it is power-cycled; remove and reinsert it")
          .endsWith("then try again (5 retries left) (CTAP2_ERR_PIN_AUTH_BLOCKED)" + NL);
      // Even the right PIN is refused until then.
      Result right = CliRunner.run(shared, "", "--store", "memory", "pin", "change", "--pin", PIN, "--new-pin", "x-new-pin");
      assertThat(right.err()).contains("power-cycled").contains("CTAP2_ERR_PIN_AUTH_BLOCKED").doesNotContain(PIN);
    }

    @Test
    void theLastRetry_blocksThePin_andSaysOnlyResetHelps() {
      setPin();
      int left = 7;
      for (; left >= 1; left--) {
        Result r = sk("", "pin", "change", "--pin", "bad-pin", "--new-pin", "x-new-pin");
        assertThat(r.err()).isEqualTo("softkey: wrong PIN: " + (left == 1 ? "1 retry left" : left + " retries left") + " (CTAP2_ERR_PIN_INVALID)" + NL);
      }
      Result blocked = sk("", "pin", "change", "--pin", "bad-pin", "--new-pin", "x-new-pin");
      assertThat(blocked.code()).isEqualTo(1);
      String line = "softkey: the PIN is blocked: no retries left; only 'softkey reset' makes the key usable again, and it deletes every credential and the PIN (CTAP2_ERR_PIN_BLOCKED)" + NL;
      assertThat(blocked.err()).isEqualTo(line);
      assertThat(sk("", "pin", "change", "--pin", PIN, "--new-pin", "x-new-pin").err()).as("the right PIN too").isEqualTo(line);
      assertThat(sk("", "reset").code()).isZero();
      setPin();
    }

    @Test
    void theWrongPin_isNeverInTheOutput_evenVerbose() {
      setPin();
      Result r = sk("", "--verbose", "pin", "change", "--pin", "secret-wrong-9", "--new-pin", "secret-new-9");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: wrong PIN: 7 retries left").doesNotContain("secret-wrong-9").doesNotContain("secret-new-9");
      assertThat(r.out()).isEmpty();
    }
  }

  @Nested
  class PinSetOnAKeyWithAPin {
    @Test
    void saysToUsePinChange_exit1_oneLine_andLeavesThePin() {
      setPin();
      Result r = sk("", "pin", "set", "--new-pin", "another-pin");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: the key has a PIN already: change it with 'softkey pin change' (the current PIN and the new one)" + NL);
      assertThat(r.out()).isEmpty();
      assertThat(sk("", "pin", "change", "--pin", PIN, "--new-pin", "another-pin").code()).as("the old PIN is still the one").isZero();
    }

    @Test
    void pinChange_onAKeyWithoutPin_saysToUsePinSet() {
      Result r = sk("", "pin", "change", "--pin", "1234", "--new-pin", "5678");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: the key has no PIN: set one first with 'softkey pin set' (CTAP2_ERR_PIN_NOT_SET)" + NL);
    }
  }

  @Nested
  class PinForAKeyWithoutPin {
    @Test
    void webauthnCreate_warnsOnStderr_andStillRegisters() {
      Result r = sk(MainTest.CREATE, "webauthn", "create", "--origin", "https://example.com", "--pin", "1234");
      assertThat(r.code()).isZero();
      assertThat(r.err()).isEqualTo("softkey: warning: --pin was given but the key has no PIN set, so the PIN is not used (set one with 'softkey pin set')" + NL);
      assertThat(r.out()).contains("\"attestationObject\"");
    }

    @Test
    void fromAFile_namesThatOption() throws IOException {
      Result r = sk("{\"challenge\":\"AQIDBA\"}", "webauthn", "get", "--origin", "https://example.com", "--pin-file", file("pin", "1234\n").toString());
      assertThat(r.err()).startsWith("softkey: warning: --pin-file was given but the key has no PIN set").doesNotContain("1234");
    }

    @Test
    void noWarning_whenTheKeyHasAPin_orNoPinIsGiven() {
      assertThat(sk(MainTest.CREATE, "webauthn", "create", "--origin", "https://example.com").err()).isEmpty();
      setPin();
      Result r = sk(MainTest.CREATE, "webauthn", "create", "--origin", "https://example.com", "--pin", PIN);
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
    }
  }

  @Nested
  class ErrorLine {
    @Test
    void findsThePinStatus_alsoWhenACommandWrappedIt() {
      var wrapped = new IllegalStateException("credentials list failed", new dev.softkey.ctap.CtapException(dev.softkey.ctap.CtapStatus.CTAP2_ERR_PIN_INVALID));
      assertThat(PinRefusals.statusOf(wrapped)).contains(dev.softkey.ctap.CtapStatus.CTAP2_ERR_PIN_INVALID);
      assertThat(PinRefusals.statusOf(new IllegalStateException("no CTAP status"))).isEmpty();
      var refusal = new PinRefusals.Refusal(dev.softkey.ctap.CtapStatus.CTAP2_ERR_PIN_INVALID, java.util.OptionalInt.of(1));
      assertThat(PinRefusals.explain(dev.softkey.ctap.CtapStatus.CTAP2_ERR_PIN_INVALID, java.util.Optional.of(refusal)))
          .contains("wrong PIN: 1 retry left (CTAP2_ERR_PIN_INVALID)");
      // A count seen for another status is not used.
      assertThat(PinRefusals.explain(dev.softkey.ctap.CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED, java.util.Optional.of(refusal)).orElseThrow())
          .doesNotContain("retry left").contains("power-cycled");
      assertThat(PinRefusals.explain(dev.softkey.ctap.CtapStatus.CTAP2_ERR_OPERATION_DENIED, java.util.Optional.empty())).isEmpty();
    }
  }

  @Nested
  class Help {
    @Test
    void theArgumentForm_saysOthersCanReadItInProc() {
      for (String[] cmd : new String[][] {{"pin", "change"}, {"pin", "set"}, {"webauthn", "create"}, {"webauthn", "get"}, {"demo"}, {"hybrid", "initiate"}}) {
        String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
        args[cmd.length] = "--help";
        String help = CliRunner.run(args).out().replaceAll("\\s+", " ");
        assertThat(help).as(String.join(" ", cmd)).contains("Other users can read it in /proc").contains("- (stdin)");
      }
    }
  }
}
