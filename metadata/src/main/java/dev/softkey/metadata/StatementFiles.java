package dev.softkey.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Plain metadata statements, one {@code <aaguid>.json} per model in a directory: what RPs that load
 * a folder of statements read. fido2-net-lib's FileSystemMetadataRepository deserializes every
 * file of its directory as one MetadataStatement (and gives each the status NOT_FIDO_CERTIFIED);
 * webauthn4j's LocalFilesMetadataStatementsProvider takes the files it is given. So that a model
 * left out of this export ({@code --omit}) does not linger from an earlier one, {@link #write}
 * deletes the other {@code <aaguid>.json} files of the directory; files with other names are left
 * alone (but fido2-net-lib would try to read them: keep the directory for statements only).
 */
public final class StatementFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String STATEMENT_FILE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.json";

  private StatementFiles() {}

  /**
   * Writes each statement to {@code dir/<aaguid>.json} (creating {@code dir}) and removes the
   * directory's other statement files; returns the files written.
   */
  public static List<Path> write(Path dir, List<ObjectNode> statements) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ObjectNode s : statements) {
      String name = s.path("aaguid").asText() + ".json";
      Path f = dir.resolve(name);
      Files.writeString(f, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
      out.add(f);
      names.add(name);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.matches(STATEMENT_FILE) && !names.contains(name) && Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
    }
    return out;
  }
}
