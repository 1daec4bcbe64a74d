package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.CtapCommand;
import org.junit.jupiter.api.Test;

class ParameterlessRequestTest {
  @Test
  void encodesAsTheCommandByteAlone() {
    assertThat(ParameterlessRequest.GET_INFO.encode()).containsExactly(0x04);
    assertThat(ParameterlessRequest.GET_NEXT_ASSERTION.encode()).containsExactly(0x08);
    assertThat(ParameterlessRequest.RESET.encode()).containsExactly(0x07);
    assertThat(ParameterlessRequest.SELECTION.encode()).containsExactly(0x0B);
  }

  @Test
  void aCommandWithParameters_isRefused() {
    assertThatThrownBy(() -> new ParameterlessRequest(CtapCommand.MAKE_CREDENTIAL)).hasMessageContaining("MAKE_CREDENTIAL");
  }
}
