package dev.softkey.hybrid.session;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.NoReplyException;
import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.P256KeyPair;
import dev.softkey.hybrid.noise.Crypter;
import dev.softkey.hybrid.noise.HandshakeResult;
import dev.softkey.hybrid.tunnel.TunnelClient;
import java.io.IOException;
import java.util.Optional;

/**
 * An open hybrid session on the initiator's side: CTAP requests in, responses out, through the
 * encrypted tunnel. getInfo is answered from the post-handshake message, as browsers do. Linking
 * information that arrives in an update message is verified and kept ({@link #linkInfo()}). A phone
 * that sends no reply within the options' timeout is {@link NoReplyException} (NotAllowedError for
 * the WebAuthn client); the session stays open for the next request.
 */
public final class HybridChannel implements CtapTransport, AutoCloseable {
  private final TunnelClient tunnel;
  private final Crypter crypter;
  private final HybridOptions options;
  private final Bytes getInfo;
  private final int tunnelDomainId;
  private final P256KeyPair qrIdentity;
  private final Bytes handshakeHash;
  private LinkInfo link;
  /** Encrypting and sending happen together, so messages leave in sequence-number order. */
  private final Object sendLock = new Object();
  private volatile boolean closed;

  private HybridChannel(
      TunnelClient tunnel, Crypter crypter, HybridOptions options, Bytes getInfo, int tunnelDomainId, P256KeyPair qrIdentity, Bytes handshakeHash) {
    this.tunnel = tunnel;
    this.crypter = crypter;
    this.options = options;
    this.getInfo = getInfo;
    this.tunnelDomainId = tunnelDomainId;
    this.qrIdentity = qrIdentity;
    this.handshakeHash = handshakeHash;
  }

  static HybridChannel open(TunnelClient tunnel, HandshakeResult result, HybridOptions options, int domainId, P256KeyPair qrIdentity)
      throws IOException {
    Bytes first = Bytes.wrap(tunnel.receive(options.timeout()).orElseThrow(() -> new HybridException("no post-handshake message")));
    Bytes info = Messages.parsePostHandshake(result.crypter().decrypt(first));
    options.log().accept("desktop: received the phone's getInfo (" + info.length() + " bytes)");
    return new HybridChannel(tunnel, result.crypter(), options, info, domainId, qrIdentity, result.handshakeHash());
  }

  /** The getInfo response map the phone sent after the handshake. */
  public Bytes getInfo() {
    return getInfo;
  }

  /** Linking information received in this session, if the phone sent it. */
  public Optional<LinkInfo> linkInfo() {
    return Optional.ofNullable(link);
  }

  @Override
  public synchronized byte[] transact(byte[] request) {
    if (closed) {
      throw new CtapException(CtapStatus.CTAP1_ERR_OTHER, "the hybrid session is closed");
    }
    if (request.length == 1 && request[0] == 0x04) {
      byte[] out = new byte[getInfo.length() + 1];
      System.arraycopy(getInfo.unsafeArray(), 0, out, 1, getInfo.length());
      return out;
    }
    try {
      send(Messages.CTAP, Bytes.wrap(request));
      while (true) {
        Bytes plain =
            crypter.decrypt(Bytes.wrap(tunnel.receive(options.timeout())
                        .orElseThrow(() -> new NoReplyException("the phone did not answer within " + options.timeout().toMillis() + " ms"))));
        if (plain.isEmpty()) {
          throw new HybridException("empty message from the phone");
        }
        Bytes payload = plain.slice(1, plain.length());
        switch (plain.get(0)) {
          case Messages.CTAP -> {
            return payload.toArray();
          }
          case Messages.UPDATE -> onUpdate(payload);
          default -> throw new HybridException("unexpected message type " + plain.get(0) + " from the phone");
        }
      }
    } catch (IOException e) {
      throw new CtapException(CtapStatus.CTAP1_ERR_OTHER, "hybrid tunnel: " + e.getMessage());
    }
  }

  /** Reads messages that may already wait (an update after the post-handshake message). */
  public synchronized void drainUpdates(java.time.Duration wait) throws IOException {
    Optional<byte[]> m;
    while ((m = tunnel.receive(wait)).isPresent()) {
      Bytes plain = crypter.decrypt(Bytes.wrap(m.get()));
      if (!plain.isEmpty() && plain.get(0) == Messages.UPDATE) {
        onUpdate(plain.slice(1, plain.length()));
      }
    }
  }

  private void onUpdate(Bytes payload) {
    Messages.linkingOf(payload)
        .ifPresent(
            m -> {
              if (qrIdentity == null) {
                return; // only QR transactions may link (as Chromium)
              }
              link = HybridInitiator.acceptLinking(m, tunnelDomainId, qrIdentity, handshakeHash);
              options.log().accept("desktop: linked with '" + link.name() + "'");
            });
  }

  private void send(int type, Bytes payload) {
    synchronized (sendLock) {
      tunnel.send(crypter.encrypt(Messages.typed(type, payload)).toArray());
    }
  }

  /**
   * Sends shutdown and closes the tunnel. May be called from another thread while {@link
   * #transact} waits: that is how the initiator gives up on a request (the phone cancels it when
   * its tunnel closes), and the waiting call then fails with CTAP1_ERR_OTHER.
   */
  @Override
  public void close() {
    synchronized (sendLock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        tunnel.send(crypter.encrypt(Messages.typed(Messages.SHUTDOWN, Bytes.EMPTY)).toArray());
      } finally {
        tunnel.close();
      }
    }
  }
}
