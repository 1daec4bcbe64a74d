package dev.softkey.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain metadata statements, one {@code <aaguid>.json} per model in a directory: what RPs that load
 * a folder of statements read (fido2-net-lib's FileSystemMetadataRepository takes every {@code
 * *.json} file of its directory as one MetadataStatement; webauthn4j's
 * LocalFilesMetadataStatementsProvider the same).
 */
public final class StatementFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatementFiles() {}

  /** Writes each statement to {@code dir/<aaguid>.json} (creating {@code dir}); returns the files. */
  public static List<Path> write(Path dir, List<ObjectNode> statements) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (ObjectNode s : statements) {
      Path f = dir.resolve(s.path("aaguid").asText() + ".json");
      Files.writeString(f, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
      out.add(f);
    }
    return out;
  }
}
