package dev.softkey.rp.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven by Debian's chromedriver, headless. Both paths are given to Selenium
 * explicitly, so Selenium Manager never looks for (or downloads) a browser or a driver.
 */
final class Chromium {
  /** Debian's chromium package: the browser itself (the /usr/bin/chromium launcher only adds flags). */
  static final Path BROWSER = Path.of("/usr/lib/chromium/chromium");
  /** Debian's chromium-driver package. */
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /** What is missing to run Chromium here, in one line saying what to install; empty when both are there. */
  static Optional<String> missing() {
    for (Path p : new Path[] {BROWSER, DRIVER}) {
      if (!Files.isExecutable(p)) {
        return Optional.of("the browser tests need Debian's Chromium and its driver, and " + p
            + " is missing: apt-get install chromium chromium-driver");
      }
    }
    return Optional.empty();
  }

  /** A headless Chromium with a fresh profile; chromedriver's log goes to {@code log}. */
  static ChromeDriver start(Path log) {
    missing().ifPresent(m -> {
      throw new AssertionError(m);
    });
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .withLogFile(log.toFile()).withTimeout(Duration.ofSeconds(60)).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--window-size=1200,900");
    if ("root".equals(System.getProperty("user.name"))) {
      // Chromium refuses to start its sandbox as root (CI runs as root).
      options.addArguments("--no-sandbox");
    }
    return new ChromeDriver(service, options);
  }

  /** A file name under target/ for this run's artefacts. */
  static File target(String name) {
    File dir = new File("target/page-in-chromium");
    dir.mkdirs();
    return new File(dir, name);
  }
}
