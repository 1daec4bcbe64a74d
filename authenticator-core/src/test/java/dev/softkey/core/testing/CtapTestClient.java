package dev.softkey.core.testing;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sends CTAP2 commands to a CtapDevice (an Authenticator or a decorator) in tests and decodes the answers. */
public final class CtapTestClient {
  private final CtapDevice authenticator;

  public CtapTestClient(CtapDevice authenticator) {
    this.authenticator = authenticator;
  }

  /** A response: status and (for CTAP2_OK with a body) the decoded map. */
  public record Response(CtapStatus status, CborMap body, byte[] raw) {
    public CborMap ok() {
      if (status != CtapStatus.CTAP2_OK) {
        throw new AssertionError("expected CTAP2_OK, got " + status);
      }
      return body;
    }
  }

  public Response send(CtapCommand cmd, Map<Object, Object> params) {
    byte[] body = params == null ? new byte[0] : CborEncoder.encode(params);
    byte[] req = new byte[body.length + 1];
    req[0] = (byte) cmd.code();
    System.arraycopy(body, 0, req, 1, body.length);
    return sendRaw(req);
  }

  public Response sendRaw(byte[] req) {
    byte[] resp = authenticator.process(req, OperationContext.INTERNAL);
    CtapStatus status = CtapStatus.fromCode(resp[0]).orElseThrow(() -> new AssertionError("unknown status " + resp[0]));
    CborMap m = null;
    if (resp.length > 1) {
      byte[] cbor = Arrays.copyOfRange(resp, 1, resp.length);
      // The reply must be canonical: re-encoding gives the same bytes (python-fido2's check).
      Object decoded = CborDecoder.decode(cbor);
      if (!Arrays.equals(CborEncoder.encode(decoded), cbor)) {
        throw new AssertionError("non-canonical CBOR from the authenticator");
      }
      m = (CborMap) decoded;
    }
    return new Response(status, m, resp);
  }

  public static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object k = kv[i] instanceof Integer n ? (Object) Long.valueOf(n) : kv[i];
      m.put(k, kv[i + 1]);
    }
    return m;
  }

  public static Bytes hash(String s) {
    return dev.softkey.core.ctap2.DeviceKeys.sha256(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A typical makeCredential parameter map. */
  public static Map<Object, Object> makeCredential(String rpId, byte[] userId, List<Long> algs, Map<Object, Object> options) {
    List<Object> params = algs.stream().map(a -> (Object) map("alg", a, "type", "public-key")).toList();
    Map<Object, Object> m =
        map(
            1, hash("challenge-" + rpId),
            2, map("id", rpId, "name", "Example"),
            3, map("id", userId, "name", "alice", "displayName", "Alice"),
            4, params);
    if (options != null) {
      m.put(7L, options);
    }
    return m;
  }

  public static Map<Object, Object> getAssertion(String rpId, List<Bytes> allow, Map<Object, Object> options) {
    Map<Object, Object> m = map(1, rpId, 2, hash("assert-" + rpId));
    if (allow != null) {
      m.put(3L, allow.stream().map(id -> (Object) map("id", id, "type", "public-key")).toList());
    }
    if (options != null) {
      m.put(5L, options);
    }
    return m;
  }
}
