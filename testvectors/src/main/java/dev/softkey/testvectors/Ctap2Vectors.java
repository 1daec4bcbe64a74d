package dev.softkey.testvectors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CTAP2 messages of commands whose wire records softkey builds, under {@code ctap2/}: what
 * python-fido2's credential management, bio enrollment, large blob and config classes send, and
 * what authenticators answered as libfido2 captured it. Each file names its source in its header.
 * Rows are handed out as column lists keyed by their first column, the vector name; the message is
 * column 2 in every file.
 */
public final class Ctap2Vectors {
  /** Requests python-fido2 sends: name, the python-fido2 call, message (command byte then CBOR), note. */
  public static final String PYTHON_FIDO2_REQUESTS = "ctap2/python-fido2-requests.tsv";

  /** Authenticators' replies captured by libfido2: name, wiredata macro, response CBOR (no status byte), what it answers. */
  public static final String LIBFIDO2_RESPONSES = "ctap2/libfido2-responses.tsv";

  /** Every CTAP2 vector file, for provenance checks. */
  public static final List<String> FILES = List.of(PYTHON_FIDO2_REQUESTS, LIBFIDO2_RESPONSES);

  /** The column holding the message, in every file. */
  public static final int MESSAGE = 2;

  private Ctap2Vectors() {}

  public static VectorTable table(String file) {
    return VectorTable.load(file);
  }

  /** The rows of {@code file} by their first column; duplicate names are an error. */
  public static Map<String, List<String>> rowsByName(String file) {
    return table(file).rows().stream()
        .collect(
            Collectors.toMap(
                r -> r.get(0),
                r -> r,
                (a, b) -> {
                  throw new IllegalArgumentException(file + ": duplicate vector " + a.get(0));
                },
                LinkedHashMap::new));
  }

  /** The message of vector {@code name} in {@code file}, as a fresh array. */
  public static byte[] message(String file, String name) {
    List<String> row = rowsByName(file).get(name);
    if (row == null) {
      throw new IllegalArgumentException(file + ": no vector named " + name);
    }
    return Hex.decode(row.get(MESSAGE));
  }

  /** The pinUvAuthToken python-fido2 held when it computed the pinUvAuthParams of {@link #PYTHON_FIDO2_REQUESTS}. */
  public static byte[] pythonFido2Token() {
    return Hex.decode(table(PYTHON_FIDO2_REQUESTS).header("pin-uv-auth-token").orElseThrow());
  }
}
