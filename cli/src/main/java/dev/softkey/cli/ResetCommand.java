package dev.softkey.cli;

import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.CtapException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code softkey reset}: authenticatorReset (CTAP 2.1 section 6.6). */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = "authenticatorReset: delete every credential and the PIN (asks for a touch; see --presence).")
final class ResetCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  ResetCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws Exception {
    try (DeviceFactory.Device d = root.openDevice()) {
      byte[] resp = d.transport().transact(new byte[] {0x07});
      if (resp.length == 0 || (resp[0] & 0xFF) != CtapStatus.CTAP2_OK.code()) {
        // Not a WebAuthn ceremony: the line names the CTAP status, not a DOMException.
        throw new CtapException(
            resp.length == 0 ? CtapStatus.CTAP1_ERR_OTHER : CtapStatus.fromCode(resp[0] & 0xFF).orElse(CtapStatus.CTAP1_ERR_OTHER));
      }
    }
    root.out().println("Authenticator reset.");
    return 0;
  }
}
