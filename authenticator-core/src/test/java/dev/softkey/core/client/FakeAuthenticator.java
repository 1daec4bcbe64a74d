package dev.softkey.core.client;

import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.WebAuthnClient;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny stand-in authenticator for the client's unit tests: it answers getInfo from settable
 * options, makes ES256 credentials with "packed" self attestation, asserts with real signatures,
 * and records every request. It checks nothing a real authenticator checks beyond what the tests
 * need (algorithms, excludeList, allowList, rpId); the real engine is tested end to end elsewhere.
 */
final class FakeAuthenticator implements CtapTransport {
  static final Bytes AAGUID = Bytes.fromHex("0102030405060708090a0b0c0d0e0f10");

  final Map<String, Boolean> options = new LinkedHashMap<>(Map.of("rk", true, "up", true, "plat", false));
  final List<String> extensions = new ArrayList<>(List.of("credProtect", "hmac-secret"));
  long maxCredentialIdLength = 64;
  /** getInfo preferredPlatformUvAttempts (0x11), omitted when empty. */
  Optional<Long> preferredPlatformUvAttempts = Optional.empty();
  /** Requests in order: command byte and decoded parameters (empty map for none). */
  final List<Request> requests = new ArrayList<>();
  /** Statuses to answer instead of doing the work, consumed one per non-getInfo command. */
  final Deque<CtapStatus> scriptedErrors = new ArrayDeque<>();
  /** When set, authData carries SHA-256 of this instead of the real RP ID. */
  Optional<String> lieAboutRpId = Optional.empty();
  /** The AAGUID in attested credential data (getInfo keeps {@link #AAGUID}). */
  Bytes credentialAaguid = AAGUID;
  /** The attestation statement format made: "packed" (self, alg + sig), "packed-x5c" (with a fake x5c) or "none". */
  String attestationFormat = "packed";
  /** The authData of the last makeCredential response. */
  Bytes lastAuthData = Bytes.EMPTY;
  /** credBlob values stored per credential ID (at most {@link #MAX_CRED_BLOB} bytes). */
  final Map<Bytes, Bytes> credBlobs = new LinkedHashMap<>();
  static final int MAX_CRED_BLOB = 32;

  private final RandomSource random = RandomSource.seeded(42);
  private final List<Credential> credentials = new ArrayList<>();
  private final Deque<Credential> pendingNext = new ArrayDeque<>();
  private Bytes pendingClientDataHash = Bytes.EMPTY;
  private CborMap pendingExtensions = new CborMap(Map.of());
  private String pendingRpId = "";
  private long counter;

  record Request(int command, CborMap params) {}

  record Credential(Bytes id, String rpId, Bytes userId, String userName, boolean rk, CredentialKey key) {}

  List<Credential> credentials() {
    return List.copyOf(credentials);
  }

  Request last(int command) {
    for (int i = requests.size() - 1; i >= 0; i--) {
      if (requests.get(i).command() == command) {
        return requests.get(i);
      }
    }
    throw new AssertionError("no request with command " + command);
  }

  long count(int command) {
    return requests.stream().filter(r -> r.command() == command).count();
  }

  @Override
  public byte[] transact(byte[] request) {
    int cmd = request[0] & 0xFF;
    CborMap params =
        request.length > 1
            ? CborDecoder.decodeMap(java.util.Arrays.copyOfRange(request, 1, request.length))
            : new CborMap(Map.of());
    requests.add(new Request(cmd, params));
    if (cmd != 0x04 && !scriptedErrors.isEmpty()) {
      return new byte[] {(byte) scriptedErrors.pop().code()};
    }
    Map<Object, Object> resp;
    try {
      resp =
          switch (cmd) {
            case 0x04 -> getInfo();
            case 0x01 -> makeCredential(params);
            case 0x02 -> getAssertion(params);
            case 0x08 -> getNextAssertion();
            default -> null;
          };
    } catch (Scripted e) {
      return new byte[] {(byte) e.status.code()};
    }
    if (resp == null) {
      return new byte[] {(byte) CtapStatus.CTAP1_ERR_INVALID_COMMAND.code()};
    }
    byte[] body = CborEncoder.encode(resp);
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private Map<Object, Object> getInfo() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0x01L, List.of("FIDO_2_0", "FIDO_2_1"));
    m.put(0x02L, extensions);
    m.put(0x03L, AAGUID);
    m.put(0x04L, new LinkedHashMap<Object, Object>(options));
    m.put(0x06L, List.of(2L, 1L));
    m.put(0x08L, maxCredentialIdLength);
    m.put(0x0AL, List.of(Map.of("alg", -7L, "type", "public-key")));
    preferredPlatformUvAttempts.ifPresent(n -> m.put(0x11L, n));
    return m;
  }

  private Map<Object, Object> makeCredential(CborMap p) {
    boolean es256 = false;
    for (Object o : p.list(0x04L)) {
      if (CborMap.asMap(o).longValue("alg") == -7) {
        es256 = true;
        break;
      }
    }
    if (!es256) {
      return error(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
    }
    for (Object o : p.optList(0x05L).orElse(List.of())) {
      Bytes id = CborMap.asMap(o).bytes("id");
      if (credentials.stream().anyMatch(c -> c.id().equals(id))) {
        return error(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
      }
    }
    String rpId = p.map(0x02L).text("id");
    CborMap user = p.map(0x03L);
    boolean rk = p.optMap(0x07L).flatMap(o -> o.optBool("rk")).orElse(false);
    boolean uv = p.has(0x08L) || p.optMap(0x07L).flatMap(o -> o.optBool("uv")).orElse(false);
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    Bytes id = Bytes.wrap(random.bytes(16));
    credentials.add(0, new Credential(id, rpId, user.bytes("id"), user.optText("name").orElse(""), rk, key));
    Bytes coseKey = CborEncoder.encodeBytes(key.cosePublicKey());
    Bytes ext = Bytes.EMPTY;
    int flags = 0x41 | (uv ? 0x04 : 0);
    CborMap in = p.optMap(0x06L).orElse(new CborMap(Map.of()));
    Map<Object, Object> out = new LinkedHashMap<>();
    if (in.has("hmac-secret")) {
      out.put("hmac-secret", true);
    }
    in.optLong("credProtect").ifPresent(l -> out.put("credProtect", l));
    in.optBytes("credBlob").ifPresent(b -> {
      boolean fits = b.length() <= MAX_CRED_BLOB;
      if (fits) {
        credBlobs.put(id, b);
      }
      out.put("credBlob", fits);
    });
    if (in.optBool("minPinLength").orElse(false)) {
      out.put("minPinLength", 4L);
    }
    if (!out.isEmpty()) {
      ext = CborEncoder.encodeBytes(out);
      flags |= 0x80;
    }
    Bytes authData =
        Bytes.concat(
            rpIdHash(rpId),
            Bytes.wrap(new byte[] {(byte) flags, 0, 0, 0, 0}),
            credentialAaguid,
            Bytes.wrap(new byte[] {0, (byte) id.length()}),
            id,
            coseKey,
            ext);
    Bytes sig = key.sign(Bytes.concat(authData, p.bytes(0x01L)).unsafeArray());
    lastAuthData = authData;
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(0x01L, attestationFormat.startsWith("packed") ? "packed" : attestationFormat);
    m.put(0x02L, authData);
    m.put(
        0x03L,
        switch (attestationFormat) {
          case "packed-x5c" -> Map.of("alg", -7L, "sig", sig, "x5c", List.of(Bytes.fromHex("3000")));
          case "none" -> Map.of();
          default -> Map.of("alg", -7L, "sig", sig);
        });
    if (in.optBool("largeBlobKey").orElse(false)) {
      m.put(0x05L, Bytes.wrap(new byte[32]));
    }
    return m;
  }

  private Map<Object, Object> getAssertion(CborMap p) {
    String rpId = p.text(0x01L);
    List<Bytes> allow = new ArrayList<>();
    for (Object o : p.optList(0x03L).orElse(List.of())) {
      allow.add(CborMap.asMap(o).bytes("id"));
    }
    List<Credential> found = new ArrayList<>();
    for (Credential c : credentials) {
      if (c.rpId().equals(rpId) && (allow.isEmpty() ? c.rk() : allow.contains(c.id()))) {
        found.add(c);
      }
    }
    if (found.isEmpty()) {
      return error(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }
    pendingClientDataHash = p.bytes(0x02L);
    pendingRpId = rpId;
    pendingNext.clear();
    if (allow.isEmpty()) {
      pendingNext.addAll(found.subList(1, found.size()));
    }
    pendingExtensions = p.optMap(0x04L).orElse(new CborMap(Map.of()));
    Map<Object, Object> m = assertion(found.get(0), allow.size() != 1);
    if (allow.isEmpty() && found.size() > 1) {
      m.put(0x05L, (long) found.size());
    }
    return m;
  }

  private Map<Object, Object> getNextAssertion() {
    if (pendingNext.isEmpty()) {
      return error(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
    return assertion(pendingNext.pop(), true);
  }

  private Map<Object, Object> assertion(Credential c, boolean includeCredential) {
    counter++;
    Bytes ext = Bytes.EMPTY;
    int flags = 0x01;
    if (pendingExtensions.optBool("credBlob").orElse(false)) {
      ext = CborEncoder.encodeBytes(Map.of("credBlob", credBlobs.getOrDefault(c.id(), Bytes.EMPTY)));
      flags |= 0x80;
    }
    Bytes authData =
        Bytes.concat(
            rpIdHash(pendingRpId),
            Bytes.wrap(new byte[] {(byte) flags, 0, 0, 0, (byte) counter}),
            ext);
    Map<Object, Object> m = new LinkedHashMap<>();
    if (includeCredential) {
      m.put(0x01L, Map.of("id", c.id(), "type", "public-key"));
    }
    m.put(0x02L, authData);
    m.put(0x03L, c.key().sign(Bytes.concat(authData, pendingClientDataHash).unsafeArray()));
    if (c.rk()) {
      m.put(0x04L, Map.of("id", c.userId(), "name", c.userName()));
    }
    return m;
  }

  private Bytes rpIdHash(String rpId) {
    return WebAuthnClient.sha256(Bytes.wrap(lieAboutRpId.orElse(rpId).getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<Object, Object> error(CtapStatus s) {
    throw new Scripted(s);
  }

  /** Unwinds to transact() with an error status. */
  static final class Scripted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient CtapStatus status;

    Scripted(CtapStatus s) {
      super(s.name(), null, false, false);
      this.status = s;
    }
  }
}
