package dev.softkey.hybrid.session;

import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.hybrid.ble.Advert;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.crypto.Eid;
import dev.softkey.hybrid.crypto.EidCipher;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.HybridKdf;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.RoutingId;
import dev.softkey.hybrid.crypto.TunnelDomain;
import dev.softkey.hybrid.crypto.TunnelId;
import dev.softkey.hybrid.noise.Crypter;
import dev.softkey.hybrid.noise.HandshakeResponder;
import dev.softkey.hybrid.noise.HandshakeResponse;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.tunnel.ContactDirectory;
import dev.softkey.hybrid.tunnel.TunnelClient;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The phone's side of hybrid (hybrid notes section 7.4): from a scanned QR code, open a tunnel,
 * advertise the encrypted EID, answer the Noise handshake, send getInfo, then serve CTAP requests
 * through the same {@link CtapDevice} as every other transport until the initiator shuts down. When
 * the QR code says the initiator can link, the phone sends linking information, and later serves
 * state-assisted transactions that reach it through a {@link ContactDirectory}.
 *
 * <p>Each request runs with an {@link OperationContext} that is cancelled when the tunnel goes
 * (the initiator or the tunnel server closed it, or it failed): a request waiting for the user then
 * ends with CTAP2_ERR_KEEPALIVE_CANCEL at once, as CTAPHID_CANCEL ends one on USB.
 *
 * <p>Persistent records in the {@link DeviceStateStore} the assembler passes (the device's own
 * store): "hybrid.identity" {1: version, 2: P-256 private scalar}, "hybrid.link.&lt;link ID
 * hex&gt;" {1: version, 2: link secret, 3: contact ID} and "hybrid.links" {1: [link IDs]}.
 */
public final class HybridAuthenticator {
  private static final String IDENTITY = "hybrid.identity";
  private static final String LINK_PREFIX = "hybrid.link.";

  private final CtapDevice device;
  private final Radio radio;
  private final RandomSource random;
  private final HybridOptions options;
  private final String displayName;
  private final DeviceStateStore state;

  /** What one transaction did. */
  public record Outcome(int ctapRequests, boolean linkingSent) {}

  /**
   * A phone serving {@code device}.
   *
   * @param device the key, as every transport sees it
   * @param state where the phone keeps its identity key and links; the device's own state store,
   *     so they live and go with the key's other records
   * @param radio where adverts go
   * @param random keys, link secrets, EIDs
   * @param options tunnel service, timeout, log
   * @param displayName the phone's name in linking information
   */
  public HybridAuthenticator(
      CtapDevice device, DeviceStateStore state, Radio radio, RandomSource random, HybridOptions options, String displayName) {
    this.device = java.util.Objects.requireNonNull(device, "device");
    this.state = java.util.Objects.requireNonNull(state, "state");
    this.radio = radio;
    this.random = random;
    this.options = options;
    this.displayName = displayName;
  }

  /** Serves one QR-initiated transaction for a {@code FIDO:/} URL. */
  public Outcome serveQr(String fidoUrl) throws IOException {
    return serveQr(QrPayload.decode(fidoUrl));
  }

  public Outcome serveQr(QrPayload qr) throws IOException {
    // 2. Derive the tunnel ID and EID key from the QR secret.
    TunnelId tunnelId = HybridKdf.tunnelId(qr.qrSecret());
    EidCipher eids = new EidCipher(HybridKdf.eidKey(qr.qrSecret()));
    // 3. Open the tunnel and learn the routing ID.
    var uri = options.tunnelUri(options.tunnelDomainId(), TunnelDomain.newTunnelPath(tunnelId));
    options.log().accept("phone: opening tunnel " + uri);
    try (TunnelClient tunnel = TunnelClient.connect(uri, Map.of(), options.timeout())) {
      TunnelOperation op = TunnelOperation.on(tunnel);
      RoutingId routingId =
          RoutingId.parseHex(
              tunnel.responseHeader("X-caBLE-Routing-ID").orElseThrow(() -> new HybridException("the tunnel server sent no X-caBLE-Routing-ID")));
      // 4. Advertise the EID; the PSK binds the handshake to this advert.
      Eid eid = Eid.create(routingId, options.tunnelDomainId(), random);
      Bytes psk = HybridKdf.psk(qr.qrSecret(), eid);
      Crypter crypter;
      HandshakeResponse response;
      try (Radio.Handle advert = radio.advertise(new Advert(Advert.FIDO_UUID, eids.encrypt(eid).toArray()))) {
        options.log().accept("phone: advertising EID (routing ID " + routingId.hex() + ") under 0xFFF9");
        // 5. The initiator's first handshake message.
        Bytes msg1 = Bytes.wrap(tunnel.receive(options.timeout()).orElseThrow(() -> new HybridException("no handshake from the initiator")));
        response = HandshakeResponder.respondQrInitiated(psk, qr.publicKey(), msg1, random);
        tunnel.send(response.message().toArray());
        crypter = response.result().crypter();
      }
      options.log().accept("phone: Noise KNpsk0 handshake done");
      // 6. Post-handshake message: getInfo and the supported features.
      tunnel.send(crypter.encrypt(Messages.postHandshake(getInfo(op))).toArray());
      // 7. Linking information when the initiator supports state-assisted transactions.
      boolean linked = false;
      if (qr.supportsStateAssisted().orElse(false)) {
        tunnel.send(crypter.encrypt(Messages.update(newLink(qr, response))).toArray());
        linked = true;
        options.log().accept("phone: sent linking information");
      }
      return new Outcome(serveCtap(tunnel, crypter, op), linked);
    }
  }

  /** Serves one state-assisted transaction after a knock from the tunnel service (section 8). */
  public Outcome serveLinked(ContactDirectory.Knock knock) throws IOException {
    CborMap payload;
    try {
      payload = CborDecoder.decodeMap(knock.clientPayload());
    } catch (CtapException e) {
      throw new HybridException("malformed client payload");
    }
    Bytes linkId = payload.bytes(1);
    Bytes clientNonce = payload.bytes(2);
    Bytes linkSecret = linkSecret(linkId).orElseThrow(() -> new HybridException("unknown link ID"));
    var uri =
        options.tunnelUri(
            options.tunnelDomainId(),
            TunnelDomain.connectPath(new RoutingId(Bytes.wrap(knock.routingId())), new TunnelId(Bytes.wrap(knock.tunnelId()))));
    options.log().accept("phone: woken for a linked transaction, connecting " + uri);
    try (TunnelClient tunnel = TunnelClient.connect(uri, Map.of(), options.timeout())) {
      TunnelOperation op = TunnelOperation.on(tunnel);
      EidCipher eids = new EidCipher(HybridKdf.eidKey(linkSecret, clientNonce));
      Eid eid = Eid.create(new RoutingId(Bytes.wrap(random.bytes(3))), options.tunnelDomainId(), random);
      Bytes psk = HybridKdf.psk(linkSecret, eid);
      Crypter crypter;
      try (Radio.Handle advert = radio.advertise(new Advert(Advert.FIDO_UUID, eids.encrypt(eid).toArray()))) {
        Bytes msg1 = Bytes.wrap(tunnel.receive(options.timeout()).orElseThrow(() -> new HybridException("no handshake from the initiator")));
        HandshakeResponse r = HandshakeResponder.respondStateAssisted(psk, identity(), msg1, random);
        tunnel.send(r.message().toArray());
        crypter = r.result().crypter();
      }
      options.log().accept("phone: Noise NKpsk0 handshake done");
      tunnel.send(crypter.encrypt(Messages.postHandshake(getInfo(op))).toArray());
      return new Outcome(serveCtap(tunnel, crypter, op), false);
    }
  }

  /**
   * The contact IDs this phone handed out, for a tunnel server that runs in the same process:
   * a knock starts {@link #serveLinked} on a new thread.
   */
  public ContactDirectory contacts(Function<Throwable, Void> onError) {
    return contactId -> {
      for (String key : linkKeys()) {
        Optional<Bytes> rec = state.get(key);
        if (rec.isPresent() && CborDecoder.decodeMap(rec.get().toArray()).bytes(3).equals(Bytes.wrap(contactId))) {
          return Optional.of(
              knock -> {
                Thread t =
                    new Thread(
                        () -> {
                          try {
                            serveLinked(knock);
                          } catch (IOException | RuntimeException e) {
                            onError.apply(e);
                          }
                        },
                        "softkey-hybrid-linked");
                t.setDaemon(true);
                t.start();
              });
        }
      }
      return Optional.empty();
    };
  }

  private java.util.List<String> linkKeys() {
    // DeviceStateStore has no listing: the phone remembers its link IDs in "hybrid.links".
    return state.get("hybrid.links")
        .map(b -> CborDecoder.decodeMap(b.toArray()).list(1).stream().map(o -> LINK_PREFIX + ((Bytes) o).hex()).toList())
        .orElse(java.util.List.of());
  }

  private int serveCtap(TunnelClient tunnel, Crypter crypter, TunnelOperation op) throws IOException {
    int served = 0;
    while (true) {
      Optional<byte[]> frame = tunnel.receive(options.timeout());
      if (frame.isEmpty()) {
        throw new HybridException("the initiator went quiet");
      }
      Bytes plain = crypter.decrypt(Bytes.wrap(frame.get()));
      if (plain.isEmpty()) {
        throw new HybridException("empty message");
      }
      int type = plain.get(0);
      Bytes payload = plain.slice(1, plain.length());
      switch (type) {
        case Messages.SHUTDOWN -> {
          options.log().accept("phone: initiator shut down after " + served + " request(s)");
          return served;
        }
        case Messages.CTAP -> {
          byte[] resp = device.process(payload.toArray(), op);
          if (CtapDevice.isNoReply(resp)) {
            // A fault plan dropped the reply: the phone sends no frame, the initiator's own
            // timeout fires, and the phone goes on serving the tunnel.
            served++;
            options.log().accept(String.format("phone: sent no reply to CTAP command 0x%02x (dropped)", payload.isEmpty() ? -1 : payload.get(0)));
            continue;
          }
          if (op.isCancelled()) {
            // Nobody is left to answer; the request itself ended with CTAP2_ERR_KEEPALIVE_CANCEL
            // if it was still waiting for the user.
            options.log().accept(String.format("phone: the tunnel closed during CTAP command 0x%02x (status 0x%02x)", payload.isEmpty() ? -1 : payload.get(0), resp[0] & 0xFF));
            throw new IOException("the tunnel closed");
          }
          tunnel.send(crypter.encrypt(Messages.typed(Messages.CTAP, Bytes.wrap(resp))).toArray());
          served++;
          options.log().accept(String.format("phone: served CTAP command 0x%02x, status 0x%02x", payload.isEmpty() ? -1 : payload.get(0), resp[0] & 0xFF));
        }
        case Messages.UPDATE -> {
          // must be CBOR; otherwise ignored (Chromium's phone does the same)
        }
        default -> throw new HybridException("unknown message type " + type);
      }
    }
  }

  /**
   * The context of the phone's requests on one tunnel. Hybrid carries no keepalives; the cancel
   * flag is set once the tunnel is gone (TunnelClient's close callback, on its I/O thread).
   */
  private static final class TunnelOperation implements OperationContext {
    private volatile boolean cancelled;

    static TunnelOperation on(TunnelClient tunnel) {
      TunnelOperation op = new TunnelOperation();
      tunnel.onClose(() -> op.cancelled = true);
      return op;
    }

    @Override
    public void keepalive(KeepaliveStatus status) {}

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public String transport() {
      return "hybrid";
    }
  }

  private Bytes getInfo(OperationContext op) {
    byte[] r = device.process(new byte[] {0x04}, op);
    if (CtapDevice.isNoReply(r)) {
      // No post-handshake message goes out: the initiator waits for it in vain.
      throw new HybridException("the device sent no getInfo reply (dropped)");
    }
    if (r[0] != 0) {
      throw new HybridException("getInfo failed with status " + (r[0] & 0xFF));
    }
    return Bytes.of(r, 1, r.length - 1);
  }

  /** The phone's long-lived identity key, created on first use. */
  P256KeyPair identity() {
    Optional<Bytes> rec = state.get(IDENTITY);
    if (rec.isPresent()) {
      return P256KeyPair.fromPrivateScalar(CborDecoder.decodeMap(rec.get().toArray()).bytes(2));
    }
    P256KeyPair k = P256KeyPair.generate(random);
    state.put(IDENTITY, CborEncoder.encodeBytes(Map.of(1L, 1L, 2L, k.privateScalar())));
    return k;
  }

  private Optional<Bytes> linkSecret(Bytes linkId) {
    return state.get(LINK_PREFIX + linkId.hex()).map(b -> CborDecoder.decodeMap(b.toArray()).bytes(2));
  }

  /** Creates and stores a link; returns the linking-information map (section 7.5). */
  private Map<Object, Object> newLink(QrPayload qr, HandshakeResponse response) {
    P256KeyPair identity = identity();
    Bytes linkId = Bytes.wrap(random.bytes(8));
    Bytes linkSecret = Bytes.wrap(random.bytes(32));
    Bytes contactId = Bytes.wrap(random.bytes(16));
    state.put(LINK_PREFIX + linkId.hex(), CborEncoder.encodeBytes(Map.of(1L, 1L, 2L, linkSecret, 3L, contactId)));
    java.util.List<Object> ids = new java.util.ArrayList<>(
        state.get("hybrid.links").map(b -> CborDecoder.decodeMap(b.toArray()).list(1)).orElse(java.util.List.of()));
    ids.add(linkId);
    state.put("hybrid.links", CborEncoder.encodeBytes(Map.of(1L, ids)));
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, contactId);
    m.put(2L, linkId);
    m.put(3L, linkSecret);
    m.put(4L, identity.publicKey().uncompressed());
    m.put(5L, displayName);
    m.put(6L, linkSignature(identity.agree(qr.publicKey()), response.result().handshakeHash()));
    return m;
  }

  /** HMAC-SHA256(key = ECDH X coordinate, message = handshake hash), section 7.5 key 6. */
  static Bytes linkSignature(Bytes sharedX, Bytes handshakeHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(sharedX.toArray(), "HmacSHA256"));
      return Bytes.wrap(mac.doFinal(handshakeHash.toArray()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
