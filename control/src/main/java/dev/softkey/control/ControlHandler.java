package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.softkey.ctap.CtapException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The one HTTP handler: refuses a peer that is not loopback (403) and a missing or wrong bearer
 * token (401, compared in constant time), then routes. Every answer is WebDriver-shaped JSON
 * ({@code {"value": ...}}, errors {@code {"value": {"error", "message", "stacktrace"}}}); no
 * answer or log line carries the token.
 */
final class ControlHandler implements HttpHandler {
  /** The largest body accepted; a ceremony's options are a few kilobytes. */
  static final int MAX_BODY = 1 << 20;

  private static final System.Logger LOG = System.getLogger(ControlHandler.class.getName());

  /** What the handler answers, before it is written to an exchange. */
  record Reply(int status, String contentType, byte[] body, Optional<ApiResponse.Writer> stream) {}

  private final byte[] token;
  private final Router router;

  ControlHandler(String token, Router router) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.router = router;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      Reply r;
      if (body.length > MAX_BODY) {
        r = error(new ApiException(ApiException.INVALID_ARGUMENT, 413, "the body is larger than " + MAX_BODY + " bytes"));
      } else {
        r = dispatch(ex.getRemoteAddress(), ex.getRequestMethod(), ex.getRequestURI(),
            Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")), body);
      }
      ex.getResponseHeaders().set("Content-Type", r.contentType());
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      if (r.status() == 401) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"softkey\"");
      }
      if (r.stream().isPresent()) {
        ex.sendResponseHeaders(r.status(), 0);
        try (OutputStream out = ex.getResponseBody()) {
          r.stream().get().write(out);
        } catch (IOException gone) {
          // the client closed the stream: nothing to answer
        }
        return;
      }
      ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    } finally {
      ex.close();
    }
  }

  /** Checks and routes one request; package-private so tests can pass any peer address. */
  Reply dispatch(InetSocketAddress peer, String method, URI uri, Optional<String> authorization, byte[] body) {
    try {
      if (peer == null || peer.getAddress() == null || !peer.getAddress().isLoopbackAddress()) {
        throw new ApiException(ApiException.FORBIDDEN, 403, "the control API answers loopback peers only");
      }
      if (!authorized(authorization)) {
        throw new ApiException(ApiException.UNAUTHORIZED, 401, "a valid Authorization: Bearer token is required");
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      Router.Match m = router.match(method, path);
      ObjectNode json = Json.parseBody(body);
      ApiResponse resp = m.route().handler().handle(new ApiRequest(method, path, m.params(), json));
      if (resp instanceof ApiResponse.Value v) {
        return json(200, v.value());
      }
      if (resp instanceof ApiResponse.Text t) {
        return new Reply(200, t.contentType(), t.body().getBytes(StandardCharsets.UTF_8), Optional.empty());
      }
      ApiResponse.Stream s = (ApiResponse.Stream) resp;
      return new Reply(200, s.contentType(), new byte[0], Optional.of(s.writer()));
    } catch (ApiException e) {
      return error(e);
    } catch (IllegalArgumentException e) {
      return error(ApiException.invalidArgument(String.valueOf(e.getMessage())));
    } catch (CtapException e) {
      // The engine refused what the control surface asked (a full credential store, a model without rk).
      return error(ApiException.invalidArgument("the authenticator refused: " + e.status().name()));
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "control API request failed: " + e.getClass().getName());
      return error(ApiException.unknownError("the request failed: " + e.getClass().getSimpleName()));
    }
  }

  private boolean authorized(Optional<String> authorization) {
    if (authorization.isEmpty()) {
      return false;
    }
    String h = authorization.get();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = h.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(token, given);
  }

  private static Reply json(int status, JsonNode value) {
    ObjectNode o = Json.object();
    o.set("value", value);
    try {
      return new Reply(status, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(o), Optional.empty());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply error(ApiException e) {
    ObjectNode v = Json.object();
    v.put("error", e.error());
    v.put("message", String.valueOf(e.getMessage()));
    v.put("stacktrace", "");
    return json(e.httpStatus(), v);
  }
}
