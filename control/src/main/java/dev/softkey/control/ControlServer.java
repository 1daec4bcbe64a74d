package dev.softkey.control;

import com.sun.net.httpserver.HttpServer;
import dev.softkey.core.Authenticator;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.presence.SteerablePresence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * softkey's control API server: WebDriver's virtual-authenticator commands (WebAuthn L3 section
 * 11) and softkey's extensions over HTTP/JSON under {@link #BASE_PATH}, on loopback only, every
 * request with {@code Authorization: Bearer TOKEN} (the JDK's {@code com.sun.net.httpserver}).
 *
 * <p>Authenticators come from {@code POST /softkey/v1/webauthn/authenticator} (built by the
 * {@link AuthenticatorHost}) or from {@link #register} (a device started elsewhere, as {@code
 * softkey serve} starts its own). Each has an id {@code authenticator-N}, the WebDriver
 * authenticatorId. The routes and what they answer are in {@code GET /softkey/v1/openapi.json}.
 */
public final class ControlServer implements AutoCloseable {
  /** Every route lives under this path. */
  public static final String BASE_PATH = "/softkey/v1";

  static {
    // The JDK's HTTP server leaves Nagle on by default (property sun.net.httpserver.nodelay): each
    // answer then waits about 40 ms for the client's delayed ACK, so one ceremony over the API
    // cost 45 ms instead of 2 to 4 (measured with bench --control). The property is read once,
    // when the JVM's first HttpServer starts; a value the user set stays.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final InetSocketAddress address;
  private final String token;
  private final Optional<Path> tokenFile;
  private final Api api;
  private final ControlHandler handler;
  private HttpServer server;
  private ExecutorService executor;

  private ControlServer(Builder b) {
    this.address = b.address;
    this.token = b.token.orElseGet(TokenFile::newToken);
    this.tokenFile = b.tokenFile;
    this.api = new Api(b.host);
    this.handler = new ControlHandler(token, api.router());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link ControlServer}. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Optional<String> token = Optional.empty();
    private Optional<Path> tokenFile = Optional.empty();
    private AuthenticatorHost host = new InProcessHost();

    private Builder() {}

    /**
     * Where to listen: a loopback address (anything else is refused: the API is for this
     * machine's processes) and a port, 0 for any free one. Default: the loopback address, port 0.
     */
    public Builder address(InetAddress loopback, int port) {
      if (!loopback.isLoopbackAddress()) {
        throw new IllegalArgumentException("the control API listens on loopback only, not " + loopback.getHostAddress());
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not 0..65535");
      }
      this.address = new InetSocketAddress(loopback, port);
      return this;
    }

    /** The bearer token; default: 32 random bytes, base64url. */
    public Builder token(String t) {
      if (t.isBlank() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalArgumentException("the token must be printable ASCII without spaces");
      }
      this.token = Optional.of(t);
      return this;
    }

    /** The file {@link #start} writes the token to (mode 0600, atomically). */
    public Builder tokenFile(Path f) {
      this.tokenFile = Optional.of(f);
      return this;
    }

    /** What builds the authenticators that the API adds; default {@link InProcessHost}. */
    public Builder host(AuthenticatorHost h) {
      this.host = Objects.requireNonNull(h);
      return this;
    }

    public ControlServer build() {
      return new ControlServer(this);
    }
  }

  /** Binds, writes the token file, and serves. */
  public synchronized ControlServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      if (tokenFile.isPresent()) {
        TokenFile.write(tokenFile.get(), token);
      }
      HttpServer s = HttpServer.create(address, 0);
      AtomicInteger n = new AtomicInteger();
      ThreadFactory threads = r -> {
        Thread t = new Thread(r, "softkey-control-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      executor = Executors.newCachedThreadPool(threads);
      s.setExecutor(executor);
      s.createContext("/", handler);
      s.start();
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the control API on " + address + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The port it listens on (the chosen one after port 0). */
  public int port() {
    return started().getAddress().getPort();
  }

  public String token() {
    return token;
  }

  /** {@code http://127.0.0.1:PORT/softkey/v1}. */
  public URI baseUri() {
    InetSocketAddress a = started().getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + BASE_PATH);
  }

  /** Puts an authenticator started elsewhere behind the API; returns its authenticatorId. */
  public String register(Hosted h) {
    return api.register(h);
  }

  /**
   * The chain the transports of an authenticator use: a {@link CtapTap} over a new {@link
   * FaultPlan} over the engine, whose presence is {@code presence}. Give {@link Hosted#device()}
   * to every transport that serves it (CTAPHID, hybrid) and {@link #register} the result.
   */
  public static Hosted wrap(Authenticator engine, SteerablePresence presence, String transport, Optional<String> endpoint,
      AutoCloseable resources) {
    return wrap(engine, presence, transport, endpoint, resources, Optional.empty());
  }

  /** {@link #wrap(Authenticator, SteerablePresence, String, Optional, AutoCloseable)} with the CA the engine attests under. */
  public static Hosted wrap(Authenticator engine, SteerablePresence presence, String transport, Optional<String> endpoint,
      AutoCloseable resources, Optional<AttestationCa> ca) {
    FaultPlan faults = new FaultPlan(engine);
    CtapTap tap = new CtapTap(faults);
    return new Hosted(engine, tap, faults, presence, tap, transport, endpoint, resources, ca);
  }

  /** The handler, for tests that call it with a peer of their choosing. */
  ControlHandler handler() {
    return handler;
  }

  private synchronized HttpServer started() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server;
  }

  /** Ends every event stream, removes every authenticator (closing its resources), and stops. */
  @Override
  public synchronized void close() {
    api.close();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }
}
