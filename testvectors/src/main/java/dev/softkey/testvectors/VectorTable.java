package dev.softkey.testvectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One vector file: header lines {@code # key: value} (a {@code source} header is required, so every
 * file names its provenance), other {@code #} lines are comments, blank lines are skipped, and each
 * remaining line is one row of tab-separated columns.
 *
 * @param resource the resource name under {@code dev/softkey/testvectors/}
 * @param headers the {@code # key: value} headers in file order (repeated keys are joined by a
 *     line break)
 * @param rows the data rows, each a list of columns
 */
public record VectorTable(String resource, Map<String, String> headers, List<List<String>> rows) {
  /** Where vector files live on the class path. */
  public static final String BASE = "/dev/softkey/testvectors/";

  public VectorTable {
    headers = Map.copyOf(headers);
    List<List<String>> copy = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      copy.add(List.copyOf(row));
    }
    rows = List.copyOf(copy);
    if (!headers.containsKey("source") || headers.get("source").isBlank()) {
      throw new IllegalArgumentException(resource + ": a vector file must name its source");
    }
  }

  /** The file's provenance, from its {@code # source:} header(s). */
  public String source() {
    return headers.get("source");
  }

  public Optional<String> header(String key) {
    return Optional.ofNullable(headers.get(key));
  }

  /** Loads {@code name} (for example {@code "cbor/rfc8949-appendix-a.tsv"}) from the class path. */
  public static VectorTable load(String name) {
    try (InputStream in = VectorTable.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + BASE + name);
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses vector-file text; {@code resource} only names it in errors. */
  public static VectorTable parse(String resource, String text) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<List<String>> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (line.startsWith("#")) {
          String body = line.substring(1).trim();
          int colon = body.indexOf(':');
          if (colon > 0 && body.substring(0, colon).matches("[a-z][a-z0-9-]*")) {
            String key = body.substring(0, colon);
            String value = body.substring(colon + 1).trim();
            headers.merge(key, value, (a, b) -> a + "\n" + b);
          }
          continue;
        }
        rows.add(List.of(line.split("\t", -1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new VectorTable(resource, headers, rows);
  }
}
