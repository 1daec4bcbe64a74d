package dev.softkey.rp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code softkey rp}: a relying party on loopback (RP ID {@code localhost}, origin {@code
 * http://localhost:PORT} or, with {@link Builder#https}, {@code https://localhost:PORT}) that
 * serves the page and the JSON endpoints of {@code docs/rp.md}, verifies with Yubico's
 * java-webauthn-server and applies an Entra-style {@link RpPolicy}. Users and credentials are in
 * memory; they go with the server.
 *
 * <pre>
 * try (RpServer rp = RpServer.builder().policy(p).metadata(m).build().start()) {
 *   String origin = rp.origin(); // http://localhost:PORT
 * }
 * </pre>
 *
 * Like the control API's server it answers loopback peers only (403 for any other) and turns
 * Nagle off (the JDK's server otherwise makes each answer wait for the client's delayed ACK).
 */
public final class RpServer implements AutoCloseable {
  /** The RP ID: localhost is a secure context for browsers, with or without TLS. */
  public static final String RP_ID = "localhost";

  /** The default port of {@code softkey rp}. */
  public static final int DEFAULT_PORT = 8780;

  private static final Logger LOG = Logger.getLogger(RpServer.class.getName());
  private static final int MAX_BODY = 1 << 20;

  static {
    // As ControlServer: the property is read when the JVM's first HttpServer starts; a set value stays.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final InetSocketAddress address;
  private final boolean https;
  private final AtomicReference<RpPolicy> policy;
  private final Optional<RpMetadata> metadata;
  private final Duration ceremonyTimeout;
  private final Clock clock;
  private final Users users = new Users();
  private HttpServer server;
  private ExecutorService executor;
  private Ceremonies ceremonies;
  private LocalhostTls tls;
  private String origin;

  private RpServer(Builder b) {
    this.address = new InetSocketAddress(b.host, b.port);
    this.https = b.https;
    this.policy = new AtomicReference<>(b.policy);
    this.metadata = b.metadata;
    this.ceremonyTimeout = b.ceremonyTimeout;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures an {@link RpServer}. */
  public static final class Builder {
    private InetAddress host = InetAddress.getLoopbackAddress();
    private int port = 0;
    private boolean https;
    private RpPolicy policy = RpPolicy.DEFAULT;
    private Optional<RpMetadata> metadata = Optional.empty();
    private Duration ceremonyTimeout = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The loopback address to listen on (anything else is refused). Default: the loopback address. */
    public Builder host(InetAddress loopback) {
      if (!loopback.isLoopbackAddress()) {
        throw new IllegalArgumentException("softkey rp listens on loopback only, not " + loopback.getHostAddress());
      }
      this.host = loopback;
      return this;
    }

    /** The port, 0 for any free one. Default 0 (the CLI's default is {@link #DEFAULT_PORT}). */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port " + p + " is not 0..65535");
      }
      this.port = p;
      return this;
    }

    /** Serve HTTPS with a self-signed certificate for localhost made at start. Default: plain HTTP. */
    public Builder https(boolean on) {
      this.https = on;
      return this;
    }

    /** The policy in force at start ({@code PUT /api/policy} replaces it). Default {@link RpPolicy#DEFAULT}. */
    public Builder policy(RpPolicy p) {
      this.policy = Objects.requireNonNull(p);
      return this;
    }

    /** The FIDO metadata that attests keys and names their models. Default: none (no key attested). */
    public Builder metadata(RpMetadata m) {
      this.metadata = Optional.of(m);
      return this;
    }

    /** How long a ceremony waits between options and verify. Default 5 minutes. */
    public Builder ceremonyTimeout(Duration t) {
      this.ceremonyTimeout = Objects.requireNonNull(t);
      return this;
    }

    /** The clock of ceremony timeouts (tests). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public RpServer build() {
      return new RpServer(this);
    }
  }

  /** Binds and serves. */
  public synchronized RpServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      HttpServer s;
      if (https) {
        tls = LocalhostTls.generate();
        HttpsServer hs = HttpsServer.create(address, 0);
        hs.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
        s = hs;
      } else {
        s = HttpServer.create(address, 0);
      }
      AtomicInteger n = new AtomicInteger();
      ThreadFactory threads = r -> {
        Thread t = new Thread(r, "softkey-rp-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      executor = Executors.newCachedThreadPool(threads);
      s.setExecutor(executor);
      origin = (https ? "https" : "http") + "://" + RP_ID + ":" + s.getAddress().getPort();
      ceremonies = new Ceremonies(RP_ID, origin, users, policy, metadata, ceremonyTimeout, clock);
      s.createContext("/", this::handle);
      s.start();
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start softkey rp on " + address + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The port it listens on (the chosen one after port 0). */
  public synchronized int port() {
    return started().getAddress().getPort();
  }

  /** {@code http://localhost:PORT} (or https): the origin a page and a key's client use. */
  public synchronized String origin() {
    started();
    return origin;
  }

  /** The RP ID, {@value #RP_ID}. */
  public String rpId() {
    return RP_ID;
  }

  /** The policy in force. */
  public RpPolicy policy() {
    return policy.get();
  }

  /** Replaces the policy (as {@code PUT /api/policy}). */
  public void policy(RpPolicy p) {
    policy.set(Objects.requireNonNull(p));
  }

  /** The HTTPS option's certificate, for a client that must trust it. */
  public synchronized Optional<X509Certificate> tlsCertificate() {
    return Optional.ofNullable(tls).map(LocalhostTls::certificate);
  }

  /** The metadata given at build time. */
  public Optional<RpMetadata> metadata() {
    return metadata;
  }

  private synchronized HttpServer started() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  // ---- HTTP

  private record Reply(int status, String contentType, byte[] body) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, String message) {
      ObjectNode o = Ceremonies.JSON.createObjectNode();
      o.put("ok", false);
      o.put("message", message);
      return json(status, o);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    Reply r;
    try {
      InetSocketAddress peer = ex.getRemoteAddress();
      if (peer == null || peer.getAddress() == null || !peer.getAddress().isLoopbackAddress()) {
        r = Reply.error(403, "softkey rp answers loopback peers only");
      } else if (!loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
        // a page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name
        r = Reply.error(403, "softkey rp answers requests for localhost, 127.0.0.1 or [::1] only; open http://localhost:PORT/");
      } else {
        r = route(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex);
      }
    } catch (Ceremonies.BadRequest e) {
      r = Reply.error(400, e.getMessage());
    } catch (MethodNotAllowed e) {
      ex.getResponseHeaders().set("Allow", e.allowed.replace(" or ", ", "));
      r = Reply.error(405, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "softkey rp: " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " failed: " + e.getClass().getName());
      r = Reply.error(500, "internal error (" + e.getClass().getSimpleName() + "); the server log has the request");
    }
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", r.contentType() + "; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      if (r.contentType().equals("text/html")) {
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      }
    }
  }

  /** Whether a Host header names this machine by a loopback name (any port), or is absent (HTTP/1.0). */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return true;
    }
    String h = host.strip().toLowerCase(java.util.Locale.ROOT);
    int colon = h.startsWith("[") ? h.indexOf(']') + 1 : h.indexOf(':');
    String name = colon > 0 ? h.substring(0, colon) : h;
    String port = colon > 0 ? h.substring(colon) : "";
    if (!port.isEmpty() && !port.matches(":\\d{1,5}")) {
      return false;
    }
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
  }

  private Reply route(String method, String path, HttpExchange ex) throws IOException {
    switch (path) {
      case "/", "/index.html" -> {
        allow(method, "GET");
        return resource("index.html", "text/html");
      }
      case "/rp.js" -> {
        allow(method, "GET");
        return resource("rp.js", "text/javascript");
      }
      case "/api/register/options" -> {
        allow(method, "POST");
        return Reply.json(200, ceremonies.registerOptions(body(ex)));
      }
      case "/api/register/verify" -> {
        allow(method, "POST");
        return answer(ceremonies.registerVerify(bodyOrNull(ex)));
      }
      case "/api/signin/options" -> {
        allow(method, "POST");
        return Reply.json(200, ceremonies.signInOptions(body(ex)));
      }
      case "/api/signin/verify" -> {
        allow(method, "POST");
        return answer(ceremonies.signInVerify(bodyOrNull(ex)));
      }
      case "/api/policy" -> {
        if (method.equals("PUT")) {
          try {
            policy.set(RpPolicy.parse(new String(read(ex), StandardCharsets.UTF_8)));
          } catch (RpPolicy.InvalidPolicyException e) {
            return Reply.error(400, "malformed policy: " + e.getMessage());
          }
          return Reply.json(200, policy.get().toJson());
        }
        allow(method, "GET", "PUT");
        return Reply.json(200, policy.get().toJson());
      }
      case "/api/users" -> {
        allow(method, "GET");
        return Reply.json(200, users.toJson());
      }
      default -> {
        return Reply.error(404, "no such page or endpoint: " + (path.length() > 80 ? path.substring(0, 80) + "…" : path)
            + " (see GET / and the /api/ endpoints in docs/rp.md)");
      }
    }
  }

  private static Reply answer(Ceremonies.Answer a) {
    return Reply.json(a.status(), a.body());
  }

  /** A method the path does not take: 405 (HEAD goes with GET). */
  private static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String allowed;

    MethodNotAllowed(String method, String allowed) {
      super(method + " is not allowed here: use " + allowed);
      this.allowed = allowed;
    }
  }

  private static void allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method) || (a.equals("GET") && method.equals("HEAD"))) {
        return;
      }
    }
    throw new MethodNotAllowed(method, String.join(" or ", allowed));
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] b = read(ex);
    try {
      JsonNode n = Ceremonies.JSON.readTree(b);
      if (n == null || !n.isObject()) {
        throw new Ceremonies.BadRequest("the body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new Ceremonies.BadRequest("the body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** A verify's body; a malformed one is null, which the verify answers with its result object. */
  private static JsonNode bodyOrNull(HttpExchange ex) throws IOException {
    try {
      return body(ex);
    } catch (Ceremonies.BadRequest e) {
      return null;
    }
  }

  private static byte[] read(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY + 1);
      if (b.length > MAX_BODY) {
        throw new Ceremonies.BadRequest("the body is larger than " + MAX_BODY + " bytes");
      }
      return b;
    }
  }

  private static Reply resource(String name, String type) {
    try (InputStream in = RpServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the rp jar");
      }
      return new Reply(200, type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
