package dev.softkey.hybrid.tunnel;

import java.util.Optional;

/**
 * Where the tunnel server finds the authenticator behind a contact ID for state-assisted
 * transactions. The real service pushes a notification to the phone (FCM); how a phone registers
 * is not standardised, so this is softkey's own seam: an in-process directory for demos and tests.
 */
public interface ContactDirectory {
  /**
   * What the server tells the authenticator when an initiator knocks.
   *
   * @param routingId where to connect (3 bytes)
   * @param tunnelId the fresh tunnel ID (16 bytes)
   * @param clientPayload the initiator's X-caBLE-Client-Payload, hex-decoded (CBOR {1: linkId, 2: clientNonce, 3: hint})
   */
  record Knock(byte[] routingId, byte[] tunnelId, byte[] clientPayload) {}

  /** Receives knocks for one contact ID. */
  @FunctionalInterface
  interface Listener {
    void onKnock(Knock knock);
  }

  /** The listener for a contact ID, or empty: the server answers 410 Gone (forget this link). */
  Optional<Listener> find(byte[] contactId);

  static ContactDirectory none() {
    return id -> Optional.empty();
  }
}
