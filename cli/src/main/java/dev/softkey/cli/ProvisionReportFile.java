package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.softkey.platform.provision.ProvisioningReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report file of {@code softkey provision}: CSV or JSON by its extension. It holds PINs, so it is
 * created new with owner-only permissions (0600 where the file system has POSIX permissions)
 * before anything is written to it, never overwrites an existing file, and is rewritten whole
 * after each key, so that a bulk run that stops keeps the PINs of the keys already done.
 */
final class ProvisionReportFile {
  enum Format { CSV, JSON }

  private final Path path;
  private final Format format;
  private final List<ProvisioningReport> reports = new ArrayList<>();

  private ProvisionReportFile(Path path, Format format) {
    this.path = path;
    this.format = format;
  }

  /** The format of {@code path} by its extension; a usage error for any other. */
  static Format formatOf(Path path, String option) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith(".json")) {
      return Format.JSON;
    }
    throw new UsageException(option + " " + path + ": give a file name ending in .csv or .json (the report's format)");
  }

  /** Creates the (empty) file; it must not exist yet. */
  static ProvisionReportFile create(Path path, String option) {
    Format format = formatOf(path, option);
    try {
      if (Files.getFileStore(parentOf(path)).supportsFileAttributeView("posix")) {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(path);
      }
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(option + " " + path + " already exists; give a new file (a report holds PINs and is never overwritten)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the report " + path + ": " + IoErrors.reason(e) + " (check " + option + ")", e);
    }
    return new ProvisionReportFile(path, format);
  }

  private static Path parentOf(Path path) {
    Path parent = path.toAbsolutePath().getParent();
    return parent == null ? path.toAbsolutePath() : parent;
  }

  Path path() {
    return path;
  }

  /** Adds a key's report and rewrites the file. */
  void add(ProvisioningReport r) {
    reports.add(r);
    StringBuilder sb = new StringBuilder();
    if (format == Format.CSV) {
      sb.append(ProvisioningReport.csvHeader()).append("\r\n");
      reports.forEach(x -> sb.append(x.csvRecord()).append("\r\n"));
    } else {
      ArrayNode a = Json.MAPPER.createArrayNode();
      reports.forEach(x -> a.add(x.toJsonNode()));
      sb.append(a.toPrettyString()).append('\n');
    }
    try {
      Files.writeString(path, sb, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + path + ": " + IoErrors.reason(e), e);
    }
  }

  /** Removes the file if no report was written to it (the run failed before the first key). */
  void deleteIfEmpty() {
    if (reports.isEmpty()) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // It is empty: nothing secret is left behind.
      }
    }
  }
}
