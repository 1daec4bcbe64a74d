package dev.softkey.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One request as a route handler sees it, after the peer and token checks: the path parameters
 * the route's template named ({@code {authenticatorId}}) and the JSON body (an empty object when
 * there is none).
 */
record ApiRequest(String method, String path, Map<String, String> params, ObjectNode body) {
  ApiRequest {
    params = Map.copyOf(params);
  }

  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return v;
  }
}
