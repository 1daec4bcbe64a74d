package dev.softkey.core.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in profiles (JSON resources under dev/softkey/core/profile/), loading profile files
 * and writing a profile as JSON. The format is documented in docs/profile-schema.md; a file that
 * does not follow it is rejected with an {@link InvalidProfileException} that names the file and
 * every bad field.
 */
public final class Profiles {
  /** Built-in profile IDs, in the order {@code softkey profiles} lists them. */
  public static final List<String> BUILT_IN =
      List.of(
          "generic", "yubikey-5", "bio",
          // The security-key catalogue (issue 10): real models, each naming its sources.
          "yubikey-5-nfc-5-2", "yubikey-5-nfc-5-7-1", "yubikey-5-nfc-5-7-4", "yubikey-5-fips-5-4", "yubikey-5-fips-5-7",
          "yubikey-bio-5-5", "yubikey-bio-5-7", "security-key-5-2", "security-key-nfc-5-7-1", "titan-v2",
          "feitian-epass-fido2", "feitian-epass-ctap21", "feitian-biopass", "nitrokey-3", "token2-pin-plus",
          "thales-idprime-bio",
          // SoloKeys Solo 1 and the phone passkey providers of the hybrid role.
          "solo-1", "ms-authenticator-ios", "ms-authenticator-android", "google-password-manager", "icloud-keychain");

  public static final String DEFAULT_ID = "generic";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  /** Two-space indent, {@code "key": value}, arrays on one line: the layout of the built-in files. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withArrayValueSpacing(Separators.Spacing.AFTER)
                  .withArrayEmptySeparator("")
                  .withObjectEmptySeparator(""))
          .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);

  private Profiles() {}

  public static Profile defaultProfile() {
    return builtIn(DEFAULT_ID).orElseThrow();
  }

  public static Optional<Profile> builtIn(String id) {
    if (!BUILT_IN.contains(id)) {
      return Optional.empty();
    }
    String name = id + ".json";
    try (InputStream in = Profiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource for built-in profile " + id);
      }
      return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + name));
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
    String json;
    try {
      json = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read profile " + path + ": " + e.getMessage(), e);
    }
    return parse(json, path.toString());
  }

  /**
   * A profile from JSON text, validated.
   *
   * @param name the file the text came from, for messages ("my.json")
   * @throws InvalidProfileException naming {@code name} and every problem: not JSON, a missing,
   *     mistyped, misspelled or unknown field, a broken invariant
   */
  public static Profile parse(String json, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidProfileException("profile " + name, List.of("not valid JSON" + where + ": " + e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidProfileException("profile " + name, List.of("the file is empty"));
    }
    Profile p = ProfileJson.read(root, name);
    try {
      return p.validate();
    } catch (InvalidProfileException e) {
      throw new InvalidProfileException("profile " + name, e.problems());
    }
  }

  /**
   * {@code p} as a profile file (docs/profile-schema.md), pretty-printed, every field written out
   * (defaults too); {@link #parse} of the result equals {@code p}.
   */
  public static String toJson(Profile p) {
    try {
      return JSON.writer(PRETTY).writeValueAsString(ProfileJson.write(p)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write profile " + p.id(), e);
    }
  }
}
