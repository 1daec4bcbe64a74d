package dev.softkey.hybrid.session;

import dev.softkey.hybrid.crypto.HybridException;
import dev.softkey.hybrid.crypto.TunnelDomain;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings shared by both roles.
 *
 * @param tunnelDomainId the tunnel service the authenticator names in its advert (0 Google, 1
 *     Apple, or a hashed ID of 256 and up)
 * @param tunnelOverride where to connect instead of {@code wss://<decoded domain>} (e.g.
 *     {@code ws://127.0.0.1:8080}); off unless asked for, as webauthn-rs keeps it behind a feature
 * @param timeout how long each wait (tunnel, advert, handshake, next message) may take
 * @param log receives one line per protocol step (for demos and --verbose); never secrets
 */
public record HybridOptions(int tunnelDomainId, Optional<URI> tunnelOverride, Duration timeout, Consumer<String> log) {
  public HybridOptions {
    if (!TunnelDomain.isValid(tunnelDomainId)) {
      throw new IllegalArgumentException("tunnel domain ID " + tunnelDomainId + " is not a valid one (0, 1 or >= 256)");
    }
  }

  /** Loopback tunnel at {@code base}, Google's domain ID in adverts, 30 s waits, no log. */
  public static HybridOptions loopback(URI base) {
    return new HybridOptions(TunnelDomain.GOOGLE, Optional.of(base), Duration.ofSeconds(30), s -> {});
  }

  public HybridOptions withLog(Consumer<String> l) {
    return new HybridOptions(tunnelDomainId, tunnelOverride, timeout, l);
  }

  /** The WebSocket URI for a tunnel path on the domain an advert or link names. */
  URI tunnelUri(int domainId, String path) {
    if (tunnelOverride.isPresent()) {
      String base = tunnelOverride.get().toString();
      return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }
    String host = TunnelDomain.decode(domainId).orElseThrow(() -> new HybridException("unknown tunnel domain ID " + domainId));
    return URI.create("wss://" + host + path);
  }
}
