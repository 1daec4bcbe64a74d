package dev.softkey.testvectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What real authenticators report in authenticatorGetInfo, under {@code getinfo/}, for the
 * getInfo-versus-source test of softkey's device catalogue. The directory's {@code README.md} names
 * the provenance of every file:
 *
 * <ul>
 *   <li>{@link #EXCERPT}: for 28 security-key models, keyed by AAGUID, the FIDO MDS3 statement
 *       fields a faithful emulation needs, authenticatorGetInfo among them (BLOB no. 163 as the
 *       public repository s1r-J/fido-mds3 commits it);
 *   <li>{@code <profile-id>.json}, which takes precedence over the excerpt for that profile: either
 *       {@code {"source": "<where it comes from>", "authenticatorGetInfo": {...}}} in the excerpt's
 *       JSON shape (member names of CTAP 2.1 section 6.4, aaguid as 32 hex digits, algorithms as
 *       {@code {"type", "alg"}} objects), or {@code {"unsourced": "<why there is none>"}} for a
 *       model no public getInfo describes (softkey's own models, phone passkey providers).
 * </ul>
 *
 * <p>Files are handed out as text; the tests parse them.
 */
public final class GetInfoSources {
  /** The directory under {@link VectorTable#BASE}. */
  public static final String DIRECTORY = "getinfo/";

  /** The MDS3 excerpt, keyed by AAGUID (8-4-4-4-12). */
  public static final String EXCERPT = DIRECTORY + "mds3-getinfo-excerpt.json";

  /** The directory's README, which names every file's provenance. */
  public static final String README = DIRECTORY + "README.md";

  /** The profiles that have a file of their own, in the order the README lists them. */
  public static final List<String> PER_PROFILE =
      List.of(
          "generic", "bio", "yubikey-5-nfc-5-2", "solo-1", "ms-authenticator-ios", "ms-authenticator-android",
          "google-password-manager", "icloud-keychain");

  private GetInfoSources() {}

  /** The excerpt's text. */
  public static String excerpt() {
    return read(EXCERPT).orElseThrow(() -> new IllegalStateException("missing " + EXCERPT));
  }

  /** The text of {@code <profileId>.json}, when the profile has a file of its own. */
  public static Optional<String> perProfile(String profileId) {
    if (!profileId.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("not a profile id: " + profileId);
    }
    return read(DIRECTORY + profileId + ".json");
  }

  /** The README's text. */
  public static String readme() {
    return read(README).orElseThrow(() -> new IllegalStateException("missing " + README));
  }

  private static Optional<String> read(String resource) {
    try (InputStream in = GetInfoSources.class.getResourceAsStream(VectorTable.BASE + resource)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
