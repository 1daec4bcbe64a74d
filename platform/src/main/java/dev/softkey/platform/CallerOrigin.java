package dev.softkey.platform;

import dev.softkey.platform.WebAuthnException.Name;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The caller's origin and the RP ID checks of WebAuthn L3 section 5.1.3 steps 7 and 8 (and the same
 * steps of section 5.1.4).
 *
 * <p>Secure contexts: {@code https} origins, and for local development {@code http} on {@code
 * localhost}, {@code 127.0.0.1} and {@code [::1]}. An IP-literal origin may only use itself as RP ID
 * (browsers refuse IP origins altogether; softkey lets them through for test rigs).
 *
 * <p>Simplification: softkey ships no Public Suffix List, so "is a registrable domain suffix of"
 * (HTML, "Origin" section) is approximated: the RP ID must equal the origin's host, or the host must
 * end with "." + RP ID and the RP ID must contain at least one dot (or be {@code localhost}). That
 * refuses "com" but accepts a public suffix such as "github.io" that a browser would refuse.
 *
 * @param scheme "https" or "http"
 * @param host the host in lower-case ASCII (punycode), IPv6 literals in brackets
 * @param port the port, or -1 for the scheme's default
 */
public record CallerOrigin(String scheme, String host, int port) {

  /** Parses a URL or origin string; anything past the authority (path, query) is ignored. */
  public static CallerOrigin parse(String url) {
    URI u;
    try {
      u = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new WebAuthnException(Name.SecurityError, "origin is not a valid URL: " + url);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost();
    if (host == null && u.getRawAuthority() != null) {
      // java.net.URI leaves non-ASCII (IDN) hosts unparsed; take the host part ourselves.
      String auth = u.getRawAuthority();
      auth = auth.substring(auth.lastIndexOf('@') + 1);
      int colon = auth.lastIndexOf(':');
      host = colon >= 0 && !auth.endsWith("]") ? auth.substring(0, colon) : auth;
    }
    if (host == null || host.isEmpty()) {
      throw new WebAuthnException(Name.SecurityError, "origin has no host: " + url);
    }
    host = toAsciiHost(host);
    int port = u.getPort();
    if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
      port = -1;
    }
    CallerOrigin origin = new CallerOrigin(scheme, host, port);
    // Step 7 analogue: only a secure context may call WebAuthn.
    if (!scheme.equals("https") && !(scheme.equals("http") && origin.isLoopback())) {
      throw new WebAuthnException(
          Name.SecurityError,
          "origin must be https (or http://localhost, 127.0.0.1, [::1] for development): " + url);
    }
    return origin;
  }

  private static String toAsciiHost(String host) {
    if (host.startsWith("[")) {
      return host.toLowerCase(Locale.ROOT);
    }
    try {
      return IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new WebAuthnException(Name.SecurityError, "not a valid domain: " + host);
    }
  }

  /** The ASCII serialization of the origin, as clientDataJSON carries it (no path, no default port). */
  public String serialize() {
    return scheme + "://" + host + (port == -1 ? "" : ":" + port);
  }

  /** Whether the host is an IPv4 or IPv6 literal. */
  public boolean isIpLiteral() {
    return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private boolean isLoopback() {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  /**
   * The RP ID for this origin: the effective domain when {@code requested} is empty, else the
   * requested RP ID if it equals the host or is a registrable domain suffix of it (see the class
   * comment for the simplification); otherwise SecurityError (section 5.1.3 step 8, 5.1.4 step 8).
   */
  public String rpId(Optional<String> requested) {
    if (requested.isEmpty()) {
      return host;
    }
    String raw = requested.get();
    String rpId;
    try {
      rpId = raw.isEmpty() ? "" : IDN.toASCII(raw, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new WebAuthnException(Name.SecurityError, "RP ID is not a valid domain: " + raw);
    }
    if (rpId.equals(host)) {
      return rpId;
    }
    boolean suffix =
        !isIpLiteral()
            && !rpId.isEmpty()
            && host.endsWith("." + rpId)
            && (rpId.contains(".") || rpId.equals("localhost"));
    if (!suffix) {
      throw new WebAuthnException(
          Name.SecurityError,
          "RP ID \"" + raw + "\" is not the origin's host \"" + host + "\" or a registrable domain suffix of it");
    }
    return rpId;
  }
}
