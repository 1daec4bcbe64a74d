package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.hybrid.tunnel.TunnelServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code softkey tunnel-server}'s limit options: parsed into the server's limits, documented, checked. */
class TunnelServerCommandTest {
  @Test
  void limitOptions_becomeTheServersLimits_andDefaultToTheSafeOnes() {
    TunnelServerCommand cmd = new TunnelServerCommand(null);
    new CommandLine(cmd).parseArgs("--max-connections", "7", "--max-connections-per-address", "3", "--request-timeout", "250",
        "--idle-timeout", "900", "--unpaired-timeout", "1500");
    TunnelServer.Limits l = cmd.limits();
    assertThat(l.maxConnections()).isEqualTo(7);
    assertThat(l.maxConnectionsPerAddress()).isEqualTo(3);
    assertThat(l.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofMillis(900));
    assertThat(l.unpairedTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(l.maxMessageBytes()).isEqualTo(TunnelServer.Limits.DEFAULT.maxMessageBytes());

    TunnelServerCommand defaults = new TunnelServerCommand(null);
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.limits()).isEqualTo(TunnelServer.Limits.DEFAULT);
  }

  @Test
  void aZeroLimit_isAUsageErrorNamingTheOption() {
    CliRunner.Result r = CliRunner.run("tunnel-server", "--port", "0", "--request-timeout", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--request-timeout must be at least 1, got 0");
    assertThat(CliRunner.run("tunnel-server", "--max-connections-per-address", "-1").err()).contains("--max-connections-per-address must be at least 1");
  }

  @Test
  void help_documentsEveryLimitWithItsDefault() {
    String help = CliRunner.run("tunnel-server", "--help").out();
    assertThat(help).contains("--max-connections=N").contains("Default: 512")
        .contains("--max-connections-per-address=N").contains("Default: 32")
        .contains("--request-timeout=MS").contains("Default: 10000")
        .contains("--idle-timeout=MS").contains("Default: 60000")
        .contains("--unpaired-timeout=MS").contains("Default: 120000")
        .contains("503");
  }
}
