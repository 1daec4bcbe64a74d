package dev.softkey.testvectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Microsoft Entra ID / Graph documents (entra/README.md in the resources names their sources).
 */
public final class EntraVectors {
  /**
   * A Graph webauthnCredentialCreationOptions response shaped like a real tenant's (odata
   * annotations, a 7.9 KB JWE challenge, a 48-byte user id, standard-base64 excludeCredentials ids),
   * synthetic values.
   */
  public static final String GRAPH_CREATION_OPTIONS = "entra/graph-creation-options.json";

  private EntraVectors() {}

  /** The text of {@link #GRAPH_CREATION_OPTIONS}. */
  public static String graphCreationOptions() {
    return text(GRAPH_CREATION_OPTIONS);
  }

  static String text(String name) {
    try (InputStream in = EntraVectors.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test vector file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
