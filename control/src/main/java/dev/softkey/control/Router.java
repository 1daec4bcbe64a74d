package dev.softkey.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes of the control API: a method and a path template ({@code /softkey/v1/webauthn/
 * authenticator/{authenticatorId}}) per handler, matched segment by segment. A path no route
 * knows is WebDriver's "unknown command" (404); a known path with another method is "unknown
 * method" (405). The list is also what the OpenAPI document is made from, so the document cannot
 * drift from what the server answers.
 */
final class Router {
  /** A route handler; exceptions other than {@link ApiException} become "unknown error". */
  @FunctionalInterface
  interface Handler {
    ApiResponse handle(ApiRequest request) throws Exception;
  }

  /**
   * One route.
   *
   * @param summary one line for the OpenAPI document
   * @param requestBody the body's members and their JSON types, for the OpenAPI document
   */
  record Route(String method, String template, String summary, Map<String, String> requestBody, Handler handler) {
    Route {
      Objects.requireNonNull(method);
      Objects.requireNonNull(template);
      requestBody = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestBody));
    }

    List<String> segments() {
      return split(template);
    }

    List<String> parameters() {
      return segments().stream().filter(Router::isParameter).map(s -> s.substring(1, s.length() - 1)).toList();
    }
  }

  /** A matched route and the values of its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, String summary, Handler handler) {
    return add(method, template, summary, Map.of(), handler);
  }

  Router add(String method, String template, String summary, Map<String, String> requestBody, Handler handler) {
    routes.add(new Route(method, template, summary, requestBody, handler));
    return this;
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The route for {@code method} and {@code path}; ApiException when there is none. */
  Match match(String method, String path) {
    List<String> segments = split(path);
    boolean pathKnown = false;
    for (Route r : routes) {
      Optional<Map<String, String>> params = bind(r.segments(), segments);
      if (params.isEmpty()) {
        continue;
      }
      pathKnown = true;
      if (r.method().equals(method)) {
        return new Match(r, params.get());
      }
    }
    if (pathKnown) {
      throw ApiException.unknownMethod(method + " is not a method of " + path);
    }
    throw ApiException.unknownCommand("no command at " + path);
  }

  private static Optional<Map<String, String>> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (isParameter(t)) {
        if (p.isEmpty()) {
          return Optional.empty();
        }
        params.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  private static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return List.of(p.split("/", -1));
  }
}
