package dev.softkey.core.ctap2.makecredential;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * authenticatorMakeCredential parameters (CTAP 2.1 section 6.1.1), decoded strictly.
 *
 * @param clientDataHash 0x01
 * @param rpId 0x02 rp.id
 * @param rpName 0x02 rp.name
 * @param userId 0x03 user.id
 * @param userName 0x03 user.name
 * @param userDisplayName 0x03 user.displayName
 * @param pubKeyCredParams 0x04, COSE algorithm identifiers of the "public-key" entries in order
 * @param excludeList 0x05 credential IDs
 * @param extensions 0x06
 * @param rk 0x07 options.rk
 * @param up 0x07 options.up
 * @param uv 0x07 options.uv
 * @param pinUvAuthParam 0x08
 * @param pinUvAuthProtocol 0x09
 * @param enterpriseAttestation 0x0A
 */
public record MakeCredentialRequest(
    Bytes clientDataHash,
    String rpId,
    Optional<String> rpName,
    Bytes userId,
    Optional<String> userName,
    Optional<String> userDisplayName,
    List<Long> pubKeyCredParams,
    List<Bytes> excludeList,
    Optional<CborMap> extensions,
    Optional<Boolean> rk,
    Optional<Boolean> up,
    Optional<Boolean> uv,
    Optional<Bytes> pinUvAuthParam,
    Optional<Long> pinUvAuthProtocol,
    Optional<Long> enterpriseAttestation) {

  public static MakeCredentialRequest decode(CborMap m) {
    Bytes clientDataHash = m.bytes(0x01);
    CborMap rp = m.map(0x02);
    CborMap user = m.map(0x03);
    List<Object> params = m.list(0x04);
    String rpId = rp.text("id");
    Optional<String> rpName = rp.optText("name");
    rp.optText("icon");
    Bytes userId = user.bytes("id");
    if (userId.length() > 64) {
      // WebAuthn L3 5.4.3: user.id is at most 64 bytes.
      throw new CtapException(CtapStatus.CTAP1_ERR_INVALID_LENGTH, "user.id longer than 64 bytes");
    }
    Optional<String> userName = user.optText("name");
    Optional<String> displayName = user.optText("displayName");
    user.optText("icon");
    List<Long> algs = new ArrayList<>();
    for (Object o : params) {
      CborMap p = CborMap.asMap(o);
      String type = p.text("type");
      long alg = p.longValue("alg");
      if (type.equals("public-key")) {
        algs.add(alg);
      }
    }
    List<Bytes> exclude = new ArrayList<>();
    for (Object o : m.optList(0x05).orElse(List.of())) {
      CborMap d = CborMap.asMap(o);
      d.text("type");
      exclude.add(d.bytes("id"));
    }
    Optional<CborMap> extensions = m.optMap(0x06);
    Optional<CborMap> options = m.optMap(0x07);
    Optional<Bytes> pinUvAuthParam = m.optBytes(0x08);
    Optional<Long> protocol = m.optLong(0x09);
    Optional<Long> ep = m.optLong(0x0A);
    return new MakeCredentialRequest(
        clientDataHash,
        rpId,
        rpName,
        userId,
        userName,
        displayName,
        algs,
        exclude,
        extensions,
        options.flatMap(o -> o.optBool("rk")),
        options.flatMap(o -> o.optBool("up")),
        options.flatMap(o -> o.optBool("uv")),
        pinUvAuthParam,
        protocol,
        ep);
  }
}
