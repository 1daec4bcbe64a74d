package dev.softkey.cli;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CtapTransport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal stand-in key for CLI tests until the real Authenticator is wired: ES256 only, "none"
 * attestation, non-resident credentials, answers {@link #deny} with OPERATION_DENIED.
 */
final class FakeKey implements CtapTransport {
  final Map<String, Boolean> options = new LinkedHashMap<>(Map.of("rk", true, "up", true));
  final List<Integer> commands = new ArrayList<>();
  boolean deny;
  private final RandomSource random = RandomSource.seeded(7);
  private final Map<Bytes, CredentialKey> keys = new LinkedHashMap<>();

  @Override
  public byte[] transact(byte[] request) {
    int cmd = request[0] & 0xFF;
    commands.add(cmd);
    CborMap p = request.length > 1 ? CborDecoder.decodeMap(java.util.Arrays.copyOfRange(request, 1, request.length)) : null;
    if (deny && (cmd == 0x01 || cmd == 0x02)) {
      return new byte[] {(byte) CtapStatus.CTAP2_ERR_OPERATION_DENIED.code()};
    }
    Optional<Map<Object, Object>> resp =
        switch (cmd) {
          case 0x04 -> Optional.of(Map.of(0x01L, List.of("FIDO_2_1"), 0x03L, new byte[16], 0x04L, new LinkedHashMap<Object, Object>(options)));
          case 0x01 -> Optional.of(makeCredential(p));
          case 0x02 -> getAssertion(p);
          case 0x07 -> Optional.of(Map.of());
          default -> Optional.empty();
        };
    if (resp.isEmpty()) {
      return new byte[] {(byte) CtapStatus.CTAP2_ERR_NO_CREDENTIALS.code()};
    }
    if (cmd == 0x07) {
      return new byte[] {0};
    }
    byte[] body = CborEncoder.encode(resp.get());
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private Map<Object, Object> makeCredential(CborMap p) {
    CredentialKey k = CredentialKey.generate(CoseAlgorithm.ES256, random);
    Bytes id = Bytes.wrap(random.bytes(32));
    keys.put(id, k);
    Bytes authData =
        Bytes.concat(
            rpIdHash(p.map(0x02L).text("id")),
            Bytes.wrap(new byte[] {0x41, 0, 0, 0, 1}),
            Bytes.wrap(new byte[16]),
            Bytes.wrap(new byte[] {0, 32}),
            id,
            CborEncoder.encodeBytes(k.cosePublicKey()));
    return Map.of(0x01L, "none", 0x02L, authData, 0x03L, Map.of());
  }

  private Optional<Map<Object, Object>> getAssertion(CborMap p) {
    for (Object o : p.optList(0x03L).orElse(List.of())) {
      Bytes id = CborMap.asMap(o).bytes("id");
      CredentialKey k = keys.get(id);
      if (k != null) {
        Bytes authData = Bytes.concat(rpIdHash(p.text(0x01L)), Bytes.wrap(new byte[] {0x01, 0, 0, 0, 2}));
        Bytes sig = k.sign(Bytes.concat(authData, p.bytes(0x02L)).unsafeArray());
        return Optional.of(Map.of(0x01L, Map.of("id", id, "type", "public-key"), 0x02L, authData, 0x03L, sig));
      }
    }
    return Optional.empty();
  }

  private static Bytes rpIdHash(String rpId) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
