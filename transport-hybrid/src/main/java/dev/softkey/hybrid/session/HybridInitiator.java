package dev.softkey.hybrid.session;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.hybrid.ble.Advert;
import dev.softkey.hybrid.ble.Radio;
import dev.softkey.hybrid.crypto.Eid;
import dev.softkey.hybrid.crypto.EidCipher;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.HybridKdf;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.crypto.P256PublicKey;
import dev.softkey.hybrid.crypto.TunnelDomain;
import dev.softkey.hybrid.crypto.TunnelId;
import dev.softkey.hybrid.noise.HandshakeInitiator;
import dev.softkey.hybrid.noise.HandshakeResult;
import dev.softkey.hybrid.qr.QrPayload;
import dev.softkey.hybrid.qr.RequestType;
import dev.softkey.hybrid.tunnel.TunnelClient;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The desktop's side of hybrid: shows a QR code, scans for the phone's advert, connects to the
 * tunnel it names, runs the Noise handshake as initiator and returns a {@link HybridChannel} that
 * carries CTAP requests (a {@code CtapTransport} for the WebAuthn client). With linking
 * information from an earlier QR transaction it starts a state-assisted transaction instead.
 */
public final class HybridInitiator {
  private final Radio radio;
  private final RandomSource random;
  private final HybridOptions options;

  public HybridInitiator(Radio radio, RandomSource random, HybridOptions options) {
    this.radio = radio;
    this.random = random;
    this.options = options;
  }

  /** A QR transaction waiting for its phone. */
  public final class Pending {
    private final P256KeyPair identity;
    private final QrPayload qr;

    private Pending(P256KeyPair identity, QrPayload qr) {
      this.identity = identity;
      this.qr = qr;
    }

    /** The {@code FIDO:/} URL to show as a QR code. */
    public String fidoUrl() {
      return qr.encode();
    }

    public QrPayload payload() {
      return qr;
    }

    /** Waits for the phone's advert, connects and completes the handshake. */
    public HybridChannel connect() throws IOException {
      EidCipher eids = new EidCipher(HybridKdf.eidKey(qr.qrSecret()));
      options.log().accept("desktop: scanning for an advert that decrypts with this QR code's key");
      Eid eid = awaitAdvert(eids);
      TunnelId tunnelId = HybridKdf.tunnelId(qr.qrSecret());
      var uri = options.tunnelUri(eid.tunnelDomainId(), TunnelDomain.connectPath(eid.routingId(), tunnelId));
      options.log().accept("desktop: advert found, connecting " + uri);
      TunnelClient tunnel = TunnelClient.connect(uri, Map.of(), options.timeout());
      try {
        HandshakeInitiator hs = HandshakeInitiator.qrInitiated(HybridKdf.psk(qr.qrSecret(), eid), identity, random);
        tunnel.send(hs.initialMessage().toArray());
        Bytes msg2 = Bytes.wrap(tunnel.receive(options.timeout()).orElseThrow(() -> new HybridException("no handshake answer from the phone")));
        HandshakeResult result = hs.processResponse(msg2);
        options.log().accept("desktop: Noise KNpsk0 handshake done");
        return HybridChannel.open(tunnel, result, options, eid.tunnelDomainId(), identity);
      } catch (IOException | RuntimeException e) {
        tunnel.close();
        throw e;
      }
    }
  }

  /** Starts a QR transaction: a fresh identity key and QR secret. */
  public Pending startQr(RequestType hint, boolean offerLinking) {
    P256KeyPair identity = P256KeyPair.generate(random);
    Bytes qrSecret = Bytes.wrap(random.bytes(QrPayload.QR_SECRET_LENGTH));
    return new Pending(identity, QrPayload.forInitiator(identity, qrSecret, Instant.now(), hint, offerLinking));
  }

  /** A state-assisted transaction with a phone linked earlier (section 8). */
  public HybridChannel connectLinked(LinkInfo link, RequestType hint) throws IOException {
    Bytes clientNonce = Bytes.wrap(random.bytes(16));
    Map<Object, Object> payload = new LinkedHashMap<>();
    payload.put(1L, link.linkId());
    payload.put(2L, clientNonce);
    payload.put(3L, hint.wire());
    var uri = options.tunnelUri(link.tunnelDomainId(), TunnelDomain.contactPath(link.contactId()));
    options.log().accept("desktop: contacting linked phone '" + link.name() + "' via " + uri);
    // Scan before knocking, so the phone's advert cannot be missed.
    EidCipher eids = new EidCipher(HybridKdf.eidKey(link.linkSecret(), clientNonce));
    LinkedBlockingQueue<Eid> found = new LinkedBlockingQueue<>();
    try (Radio.Handle scan = radio.scan(a -> trial(eids, a).ifPresent(found::add))) {
      TunnelClient tunnel =
          TunnelClient.connect(uri, Map.of("X-caBLE-Client-Payload", HexFormat.of().formatHex(CborEncoder.encode(payload))), options.timeout());
      try {
        Eid eid = poll(found);
        HandshakeInitiator hs = HandshakeInitiator.stateAssisted(HybridKdf.psk(link.linkSecret(), eid), link.authenticatorIdentity(), random);
        tunnel.send(hs.initialMessage().toArray());
        Bytes msg2 = Bytes.wrap(tunnel.receive(options.timeout()).orElseThrow(() -> new HybridException("no handshake answer from the phone")));
        HandshakeResult result = hs.processResponse(msg2);
        options.log().accept("desktop: Noise NKpsk0 handshake done");
        return HybridChannel.open(tunnel, result, options, link.tunnelDomainId(), null);
      } catch (IOException | RuntimeException e) {
        tunnel.close();
        throw e;
      }
    }
  }

  private Eid awaitAdvert(EidCipher eids) throws IOException {
    LinkedBlockingQueue<Eid> found = new LinkedBlockingQueue<>();
    try (Radio.Handle scan = radio.scan(a -> trial(eids, a).ifPresent(found::add))) {
      return poll(found);
    }
  }

  private Eid poll(LinkedBlockingQueue<Eid> found) throws IOException {
    try {
      Eid e = found.poll(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new HybridException("no advert from the phone within " + options.timeout().toSeconds() + " s");
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", ex);
    }
  }

  private static java.util.Optional<Eid> trial(EidCipher eids, Advert a) {
    // Both 0xFFF9 and the older 0xFDE2 carry caBLE adverts (hybrid notes section 9).
    if ((a.serviceUuid16() != Advert.FIDO_UUID && a.serviceUuid16() != 0xFDE2) || a.serviceData().length < EidCipher.ADVERT_LENGTH) {
      return java.util.Optional.empty();
    }
    return eids.trialDecrypt(Bytes.wrap(a.serviceData()));
  }

  /**
   * Verifies linking information's signature (section 7.5) and turns it into a stored link.
   * Malformed linking information (a member missing or of the wrong type) is a {@link
   * HybridException} like a bad signature: the fuzz target {@code TunnelMessagesFuzzTest.update}
   * found the CBOR {@code CtapException} escaping, which {@code HybridChannel.transact} passed on as
   * if the phone had answered the CTAP request with CTAP2_ERR_CBOR_UNEXPECTED_TYPE.
   */
  static LinkInfo acceptLinking(CborMap m, int tunnelDomainId, P256KeyPair qrIdentity, Bytes handshakeHash) {
    try {
      P256PublicKey phone = P256PublicKey.fromEncoded(m.bytes(4));
      Bytes expected = HybridAuthenticator.linkSignature(qrIdentity.agree(phone), handshakeHash);
      if (!expected.constantTimeEquals(m.bytes(6))) {
        throw new HybridException("linking information with a bad signature");
      }
      return new LinkInfo(tunnelDomainId, m.bytes(1), m.bytes(2), m.bytes(3), phone, m.optText(5).orElse("phone"));
    } catch (CtapException e) {
      throw new HybridException("malformed linking information: " + e.status().name(), e);
    }
  }

}
