package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;

/** The CLI's JSON: one mapper, pretty printing. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static void print(PrintStream out, JsonNode n) {
    try {
      out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
