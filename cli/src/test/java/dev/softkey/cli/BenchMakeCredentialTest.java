package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.profile.AttestationFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@code softkey bench}'s makeCredential figures: both ratios printed next to their baselines in
 * the same run, each from devices of the asked attestation format.
 */
class BenchMakeCredentialTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path ca;

  @Test
  void runMakeCredential_measuresBothFormatsNextToTheirBaselines() {
    List<AttestationFormat> asked = new ArrayList<>();
    DeviceFactory factory = new DeviceFactory();
    DeviceFactory.DeviceOptions o =
        new DeviceFactory.DeviceOptions(java.util.Optional.empty(), "generic", OptionalLong.empty(), "approve",
            java.util.Optional.empty(), false, ca);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Bench bench = new Bench(() -> factory.open(o), Duration.ofMillis(100), Duration.ofMillis(200), 1);
    Bench.MakeCredentialRow row =
        bench.runMakeCredential(
            new PrintStream(buf, true, StandardCharsets.UTF_8),
            format -> {
              asked.add(format);
              var p = dev.softkey.core.profile.Profiles.load("generic").toBuilder().attestation(format).build();
              return factory.open(o, b -> b.profile(p));
            });
    assertThat(asked).containsExactly(AttestationFormat.PACKED, AttestationFormat.NONE);
    assertThat(row.keyGenPerSec()).isPositive();
    // One key generation plus a signature takes longer than a key generation alone.
    assertThat(row.keyGenAndSignPerSec()).isPositive().isLessThan(row.keyGenPerSec());
    assertThat(row.packedPerSec()).isPositive();
    assertThat(row.nonePerSec()).isGreaterThan(row.packedPerSec());
    assertThat(row.packedRatio()).isEqualTo(row.packedPerSec() / row.keyGenAndSignPerSec());
    assertThat(row.noneRatio()).isEqualTo(row.nonePerSec() / row.keyGenPerSec());
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .containsPattern("(?m)^key generation\\s+[0-9]+/s$")
        .containsPattern("(?m)^key generation \\+ signature\\s+[0-9]+/s$")
        .containsPattern("(?m)^makeCredential, packed\\s+[0-9]+/s\\s+[0-9.]+ x \\(key generation \\+ signature\\)$")
        .containsPattern("(?m)^makeCredential, none\\s+[0-9]+/s\\s+[0-9.]+ x key generation$");
  }

  @Test
  void benchCommand_printsTheMakeCredentialRatios() {
    CliRunner.Result r = CliRunner.run("--ca", ca.toString(), "bench", "--no-udp", "--no-hybrid", "--seconds", "0.2", "--rounds", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ES256 makeCredential next to its limit")
        .containsPattern("(?m)^makeCredential, packed\\s+[0-9]+/s\\s+[0-9.]+ x")
        .containsPattern("(?m)^makeCredential, none\\s+[0-9]+/s\\s+[0-9.]+ x");
  }
}
