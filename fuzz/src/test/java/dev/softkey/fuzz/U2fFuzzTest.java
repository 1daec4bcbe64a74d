package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.core.OperationContext;
import dev.softkey.core.ctap1.U2fHandler;
import java.util.Set;

/**
 * The CTAP1/U2F APDU parser and handler ({@code Authenticator.processU2f}, CTAP 2.1 section 11.2.9.1.1
 * and FIDO U2F Raw Message Formats) on a fresh engine per input: any bytes as a request APDU.
 *
 * <p>Invariants: the answer ends in an ISO 7816 status word U2F defines (SW_UNKNOWN 0x6F00, what
 * the engine answers for an internal error, is a finding); a refusal is the status word alone; a
 * refused request writes nothing to the store; the device still answers getInfo.
 */
class U2fFuzzTest {
  /** FIDO U2F Raw Message Formats section 3.3 status words. */
  static final Set<Integer> U2F_STATUS_WORDS =
      Set.of(
          U2fHandler.SW_NO_ERROR,
          U2fHandler.SW_CONDITIONS_NOT_SATISFIED,
          U2fHandler.SW_WRONG_DATA,
          U2fHandler.SW_WRONG_LENGTH,
          U2fHandler.SW_CLA_NOT_SUPPORTED,
          U2fHandler.SW_INS_NOT_SUPPORTED);

  @FuzzTest
  void apdu(byte[] apdu) {
    FuzzDevices.Device d = FuzzDevices.fresh("generic");
    SnapshotStore.Snapshot before = d.store().snapshot();
    byte[] response;
    try (InternalErrors errors = InternalErrors.watch()) {
      response = d.authenticator().processU2f(apdu, OperationContext.INTERNAL);
      errors.assertNone();
    }
    assertThat(response.length).as("response length").isGreaterThanOrEqualTo(2);
    int sw = ((response[response.length - 2] & 0xFF) << 8) | (response[response.length - 1] & 0xFF);
    assertThat(U2F_STATUS_WORDS).as("status word %04x", sw).contains(sw);
    if (sw != U2fHandler.SW_NO_ERROR) {
      assertThat(response).as("a refusal is the status word alone").hasSize(2);
      assertThat(d.store().snapshot()).as("store after refused APDU").isEqualTo(before);
    }
    byte[] info = d.process(new byte[] {0x04});
    assertThat(info[0]).as("getInfo still answers").isEqualTo((byte) 0);
  }
}
