package dev.softkey.core.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The built-in profiles (JSON resources under dev/softkey/core/profile/) and JSON loading. */
public final class Profiles {
  /** Built-in profile IDs, in the order {@code softkey profiles} lists them. */
  public static final List<String> BUILT_IN = List.of("generic", "yubikey-5", "bio");

  public static final String DEFAULT_ID = "generic";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private Profiles() {}

  public static Profile defaultProfile() {
    return builtIn(DEFAULT_ID).orElseThrow();
  }

  public static Optional<Profile> builtIn(String id) {
    if (!BUILT_IN.contains(id)) {
      return Optional.empty();
    }
    try (InputStream in = Profiles.class.getResourceAsStream(id + ".json")) {
      if (in == null) {
        throw new IllegalStateException("missing resource for built-in profile " + id);
      }
      return Optional.of(JSON.readValue(in, Profile.class).validate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Profile> allBuiltIn() {
    List<Profile> out = new ArrayList<>();
    for (String id : BUILT_IN) {
      out.add(builtIn(id).orElseThrow());
    }
    return out;
  }

  /** A built-in profile by ID, or a JSON file by path. */
  public static Profile load(String idOrPath) {
    Optional<Profile> p = builtIn(idOrPath);
    if (p.isPresent()) {
      return p.get();
    }
    Path path = Path.of(idOrPath);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "unknown profile '" + idOrPath + "' (built-in: " + String.join(", ", BUILT_IN) + ", or a JSON file)");
    }
    try {
      return JSON.readValue(path.toFile(), Profile.class).validate();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read profile " + path + ": " + e.getMessage(), e);
    }
  }
}
