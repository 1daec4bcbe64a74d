package dev.softkey.ctap.command;

import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborMapBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The options member of makeCredential (0x07) and getAssertion (0x05), CTAP 2.1 sections 6.1.1 and
 * 6.2.1. An option the platform did not send is empty, not false: the defaults differ per command.
 *
 * @param rk "rk"
 * @param up "up"
 * @param uv "uv"
 */
public record CtapOptions(Optional<Boolean> rk, Optional<Boolean> up, Optional<Boolean> uv) implements CborEncodable {
  public static final CtapOptions NONE = new CtapOptions(Optional.empty(), Optional.empty(), Optional.empty());

  public static CtapOptions fromCbor(CborMap m) {
    return new CtapOptions(m.optBool("rk"), m.optBool("up"), m.optBool("uv"));
  }

  public boolean isEmpty() {
    return rk.isEmpty() && up.isEmpty() && uv.isEmpty();
  }

  @Override
  public Map<Object, Object> toCbor() {
    return CborMapBuilder.create().putOpt("rk", rk).putOpt("up", up).putOpt("uv", uv).build();
  }
}
