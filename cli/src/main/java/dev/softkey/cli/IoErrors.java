package dev.softkey.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** I/O failures as users read them. */
final class IoErrors {
  private IoErrors() {}

  /** The operating system's reason ("Permission denied"), without the Java class and path. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      if (f.getReason() != null) {
        return f.getReason();
      }
      if (f instanceof AccessDeniedException) {
        return "Permission denied";
      }
      if (f instanceof NoSuchFileException) {
        return "No such file or directory";
      }
      if (f instanceof NotDirectoryException) {
        return "Not a directory";
      }
      if (f instanceof DirectoryNotEmptyException) {
        return "Directory not empty";
      }
      if (f instanceof FileAlreadyExistsException) {
        return "File exists";
      }
      return f.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
