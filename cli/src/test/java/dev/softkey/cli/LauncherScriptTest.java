package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bin/softkey's class-data-sharing archive and short-run flags, through {@code
 * scripts/launcher-test.sh}: real bash, real JVMs and files in a temporary tree (the archive made
 * and used, a changed jar, read-only and uncreatable archive directories, a corrupt archive, the
 * long-running commands on the defaults).
 */
class LauncherScriptTest {
  @Test
  void launcherScript_allChecksPass() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path script = root.resolve("scripts/launcher-test.sh");
    assertThat(script).exists();
    Path log = Files.createTempFile("launcher-test", ".log");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), root.resolve("bin/softkey").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = p.waitFor(180, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as("launcher-test.sh ended within 180 s:%n%s", out).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).as(out).contains(" 0 failed").doesNotContain("FAIL");
      // The checks that must run everywhere did run.
      assertThat(out).contains("PASS second run: the archive is used", "PASS changed jar: the new archive is used",
          "PASS archive directory that cannot be created", "PASS corrupt archive");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
