package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What a route answers: WebDriver-shaped JSON ({@code {"value": ...}}), a text document (PEM), or
 * a stream the server writes until the client goes away (Server-Sent Events).
 */
sealed interface ApiResponse {
  /** {@code {"value": value}} with HTTP 200. */
  record Value(JsonNode value) implements ApiResponse {}

  /** A text body (PEM, JSON documents served as they are). */
  record Text(String contentType, String body) implements ApiResponse {}

  /** A response written as it happens, HTTP 200 with no length (chunked). */
  record Stream(String contentType, Writer writer) implements ApiResponse {}

  /** Writes a streamed body; returns when the stream ends (client gone, server closed). */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** WebDriver's answer to a command without a result: {@code {"value": null}}. */
  static ApiResponse empty() {
    return new Value(NullNode.getInstance());
  }

  static ApiResponse value(JsonNode v) {
    return new Value(v);
  }

  static ApiResponse value(String v) {
    return new Value(Json.NODES.textNode(v));
  }
}
