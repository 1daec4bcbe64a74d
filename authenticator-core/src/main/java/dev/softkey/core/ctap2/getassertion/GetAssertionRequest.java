package dev.softkey.core.ctap2.getassertion;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * authenticatorGetAssertion parameters (CTAP 2.1 section 6.2.1).
 *
 * @param rpId 0x01
 * @param clientDataHash 0x02
 * @param allowList 0x03 credential IDs (empty when absent)
 * @param extensions 0x04
 * @param rk 0x05 options.rk (never allowed)
 * @param up 0x05 options.up
 * @param uv 0x05 options.uv
 * @param pinUvAuthParam 0x06
 * @param pinUvAuthProtocol 0x07
 */
public record GetAssertionRequest(
    String rpId,
    Bytes clientDataHash,
    List<Bytes> allowList,
    Optional<CborMap> extensions,
    Optional<Boolean> rk,
    Optional<Boolean> up,
    Optional<Boolean> uv,
    Optional<Bytes> pinUvAuthParam,
    Optional<Long> pinUvAuthProtocol) {

  /** SHA-256 of the RP ID. */
  public Bytes rpIdHash() {
    return dev.softkey.core.ctap2.DeviceKeys.sha256(rpId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static GetAssertionRequest decode(CborMap m) {
    String rpId = m.text(0x01);
    Bytes clientDataHash = m.bytes(0x02);
    List<Bytes> allow = new ArrayList<>();
    for (Object o : m.optList(0x03).orElse(List.of())) {
      CborMap d = CborMap.asMap(o);
      d.text("type");
      allow.add(d.bytes("id"));
    }
    Optional<CborMap> options = m.optMap(0x05);
    return new GetAssertionRequest(
        rpId,
        clientDataHash,
        allow,
        m.optMap(0x04),
        options.flatMap(o -> o.optBool("rk")),
        options.flatMap(o -> o.optBool("up")),
        options.flatMap(o -> o.optBool("uv")),
        m.optBytes(0x06),
        m.optLong(0x07));
  }
}
