package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --control [HOST:]PORT}: loopback hosts only, a port 0..65535, everything else a usage error. */
class ControlDirTest {
  @Test
  void loopbackHosts_andABarePort() {
    assertThat(ControlDir.parseListen("8765").host().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(ControlDir.parseListen("8765").port()).isEqualTo(8765);
    assertThat(ControlDir.parseListen("127.0.0.1:0").port()).isZero();
    assertThat(ControlDir.parseListen("localhost:1").host().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(ControlDir.parseListen("[::1]:2").host().isLoopbackAddress()).isTrue();
    assertThat(ControlDir.parseListen("::1:3").host().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
  }

  @Test
  void otherHostsAndBadPorts_areUsageErrors() {
    for (String bad : new String[] {"0.0.0.0:8765", "192.168.1.2:1", "example.com:80", "127.0.0.2:1", "::1:70000", "abc", "127.0.0.1:", "-1"}) {
      assertThatThrownBy(() -> ControlDir.parseListen(bad)).as(bad).isInstanceOf(UsageException.class);
    }
  }
}
