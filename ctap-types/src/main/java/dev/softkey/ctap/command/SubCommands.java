package dev.softkey.ctap.command;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** What the commands with subcommands share: finding a subcommand by its code, and the message their pinUvAuthParam signs. */
final class SubCommands {
  private SubCommands() {}

  /** The constant of {@code values} whose code is {@code code}, if any. */
  static <E extends Enum<E>> Optional<E> byCode(E[] values, ToIntFunction<E> codeOf, long code) {
    for (E e : values) {
      if (codeOf.applyAsInt(e) == code) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code prefix || subCommand (one byte) || CBOR(subCommandParams)} (the last part only when
   * present), the pinUvAuthParam message of credentialManagement, bioEnrollment and config (CTAP
   * 2.1 sections 6.8, 6.7, 6.11). A subCommand that is no byte is CTAP2_ERR_INVALID_SUBCOMMAND.
   */
  static Bytes pinUvAuthMessage(byte[] prefix, long subCommand, Optional<?> params) {
    if (subCommand < 0 || subCommand > 0xFF) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND, "subCommand " + subCommand);
    }
    byte[] head = new byte[prefix.length + 1];
    System.arraycopy(prefix, 0, head, 0, prefix.length);
    head[prefix.length] = (byte) subCommand;
    Bytes h = Bytes.wrap(head);
    return params.map(p -> Bytes.concat(h, CborEncoder.encodeBytes(p))).orElse(h);
  }
}
